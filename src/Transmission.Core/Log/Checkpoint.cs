using System.Globalization;
using System.Text;

namespace Transmission.Core.Log;

/// <summary>
/// A tree head in the C2SP tlog-checkpoint text format (https://c2sp.org/tlog-checkpoint): the origin line, the
/// tree size in decimal without leading zeroes, the base64 root hash, then optional non-empty extension lines, each
/// ending in a newline. Signed as a C2SP signed note by <see cref="CheckpointNote"/>.
/// </summary>
// Invariant: Origin and every extension are non-empty with no control characters; TreeSize >= 0; RootHash has 32 bytes.
public sealed class Checkpoint
{
    private readonly byte[] _rootHash;

    /// <summary>A checkpoint; throws <see cref="ArgumentException"/> if a field cannot be represented in the format.</summary>
    public Checkpoint(string origin, long treeSize, ReadOnlySpan<byte> rootHash, IReadOnlyList<string>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (!IsValidLine(origin))
        {
            throw new ArgumentException("The origin must be a non-empty line without control characters.", nameof(origin));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        if (rootHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("The root hash has 32 bytes.", nameof(rootHash));
        }

        var lines = extensions?.ToArray() ?? [];
        if (!lines.All(IsValidLine))
        {
            throw new ArgumentException("Extension lines must be non-empty and without control characters.", nameof(extensions));
        }

        Origin = origin;
        TreeSize = treeSize;
        _rootHash = rootHash.ToArray();
        Extensions = lines;
    }

    /// <summary>The log's identity, e.g. <c>transmission.example/log/2026-general</c>.</summary>
    public string Origin { get; }

    /// <summary>The number of leaves.</summary>
    public long TreeSize { get; }

    /// <summary>A copy of the 32-byte RFC 9162 root hash at <see cref="TreeSize"/>.</summary>
    public byte[] RootHash => (byte[])_rootHash.Clone();

    /// <summary>Optional opaque extension lines (not recommended by the spec; empty by default).</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The note text: origin, size, root and extensions, each line ending in U+000A.</summary>
    public string ToNoteText()
    {
        var text = new StringBuilder();
        text.Append(Origin).Append('\n');
        text.Append(TreeSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(Convert.ToBase64String(_rootHash)).Append('\n');
        foreach (var line in Extensions)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// Parses checkpoint note text strictly: every line ends in a newline and is non-empty; at least three lines;
    /// a size of ASCII digits without leading zeroes that fits a signed 64-bit integer; a root that is canonical
    /// padded base64 of exactly 32 bytes. Never throws for bad input.
    /// </summary>
    public static CheckpointResult Parse(string text)
    {
        if (string.IsNullOrEmpty(text) || text[^1] != '\n')
        {
            return CheckpointResult.Fail(CheckpointFailure.CheckpointMalformed, "The text must end in a newline.");
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3)
        {
            return CheckpointResult.Fail(CheckpointFailure.CheckpointMalformed, "A checkpoint has at least three lines.");
        }

        if (!lines.All(IsValidLine))
        {
            return CheckpointResult.Fail(CheckpointFailure.CheckpointMalformed, "Lines must be non-empty and without control characters.");
        }

        var sizeText = lines[1];
        if (!sizeText.All(char.IsAsciiDigit) || (sizeText.Length > 1 && sizeText[0] == '0')
            || !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return CheckpointResult.Fail(CheckpointFailure.CheckpointMalformed, "The tree size is not a canonical decimal number.");
        }

        var root = StrictBase64.Decode(lines[2]);
        if (root is null || root.Length != MerkleHash.Size)
        {
            return CheckpointResult.Fail(CheckpointFailure.CheckpointMalformed, "The root hash is not base64 of 32 bytes.");
        }

        return CheckpointResult.Ok(new Checkpoint(lines[0], size, root, lines[3..]));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Origin} @ {TreeSize} {Convert.ToBase64String(_rootHash)}";

    private static bool IsValidLine(string line) => line.Length > 0 && !line.Any(char.IsControl);
}

/// <summary>Canonical standard base64 (RFC 4648 §4, padded): the only accepted spelling is the one we would write.</summary>
internal static class StrictBase64
{
    /// <summary>The bytes, or <see langword="null"/> if <paramref name="text"/> is not canonical base64.</summary>
    public static byte[]? Decode(string text)
    {
        // Convert.TryFromBase64String skips whitespace and tolerates non-zero padding bits; re-encoding catches both.
        var buffer = new byte[text.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return null;
        }

        var bytes = buffer[..written];
        return Convert.ToBase64String(bytes) == text ? bytes : null;
    }
}
