using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Transmission.Core.Envelope;

namespace Transmission.Core.Log;

/// <summary>
/// Checkpoints as C2SP signed notes (https://c2sp.org/signed-note): the checkpoint text, a blank line, then lines
/// "— &lt;key name&gt; &lt;base64(key ID ‖ signature)&gt;". Signature scheme: <see cref="CheckpointKey"/>.
/// </summary>
public static class CheckpointNote
{
    /// <summary>The most signature lines a note may carry (the spec asks verifiers to accept at least 16).</summary>
    public const int MaxSignatures = 32;

    /// <summary>The most characters a note may have.</summary>
    public const int MaxNoteLength = 64 * 1024;

    private const string SignaturePrefix = "\u2014 ";

    /// <summary>Signs <paramref name="checkpoint"/> with <paramref name="privateKey"/> under <paramref name="keyName"/>; returns the whole note.</summary>
    /// <remarks>Does not check consistency with earlier checkpoints: Central signs through <see cref="CheckpointSigner"/>.</remarks>
    public static string Sign(Checkpoint checkpoint, string keyName, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(privateKey);
        var key = new CheckpointKey(keyName, privateKey);
        var text = checkpoint.ToNoteText();
        var signature = new byte[4 + EcdsaP256.SignatureSize];
        BinaryPrimitives.WriteUInt32BigEndian(signature, key.KeyId);
        EcdsaP256.Sign(privateKey, Encoding.UTF8.GetBytes(text)).CopyTo(signature, 4);
        return $"{text}\n{SignaturePrefix}{keyName} {Convert.ToBase64String(signature)}\n";
    }

    /// <summary>
    /// Verifies a signed checkpoint note against the log's key: the note parses strictly, carries a signature line
    /// with the key's name and ID that verifies (signatures from other keys are ignored, as the spec requires), the
    /// text is a well-formed checkpoint, and its origin is the key name. Never throws for bad input.
    /// </summary>
    public static CheckpointResult Verify(string note, CheckpointKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!TrySplit(note, out var text, out var signatureLines, out var problem))
        {
            return CheckpointResult.Fail(CheckpointFailure.NoteMalformed, problem);
        }

        var verified = false;
        foreach (var line in signatureLines)
        {
            var separator = line.LastIndexOf(' ');
            var name = line[SignaturePrefix.Length..separator];
            var bytes = StrictBase64.Decode(line[(separator + 1)..]);
            if (bytes is null || bytes.Length < 5)
            {
                return CheckpointResult.Fail(CheckpointFailure.NoteMalformed, "A signature is not base64 of a key ID and a signature.");
            }

            if (name != key.Name || BinaryPrimitives.ReadUInt32BigEndian(bytes) != key.KeyId)
            {
                continue;
            }

            // A known key's signature that fails rejects the whole note (signed-note: clients SHOULD).
            if (!EcdsaP256.Verify(key.PublicKey, Encoding.UTF8.GetBytes(text), bytes.AsSpan(4)))
            {
                return CheckpointResult.Fail(CheckpointFailure.SignatureInvalid, $"The signature by {key.Name} does not verify.");
            }

            verified = true;
        }

        if (!verified)
        {
            return CheckpointResult.Fail(CheckpointFailure.SignatureMissing, $"No signature by {key.Name} (key ID {key.KeyId:x8}).");
        }

        var parsed = Checkpoint.Parse(text);
        if (!parsed.IsValid)
        {
            return parsed;
        }

        return parsed.Checkpoint.Origin == key.Name
            ? parsed
            : CheckpointResult.Fail(CheckpointFailure.OriginMismatch, $"The origin is not {key.Name}.");
    }

    // Splits at the last blank line; checks the note-level rules of signed-note §Format.
    private static bool TrySplit(string note, out string text, out List<string> signatureLines, out string problem)
    {
        text = string.Empty;
        signatureLines = [];
        problem = string.Empty;
        if (string.IsNullOrEmpty(note) || note.Length > MaxNoteLength)
        {
            problem = "The note is empty or too long.";
            return false;
        }

        if (note.Any(c => c != '\n' && char.IsControl(c)) || note.Any(char.IsSurrogate) && !IsWellFormedUtf16(note))
        {
            problem = "The note has control characters or is not valid Unicode.";
            return false;
        }

        var blank = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0 || blank + 2 >= note.Length || note[^1] != '\n')
        {
            problem = "The note has no blank line before its signatures, no signature, or does not end in a newline.";
            return false;
        }

        text = note[..(blank + 1)];
        var lines = note[(blank + 2)..^1].Split('\n');
        if (lines.Length > MaxSignatures)
        {
            problem = "The note has too many signatures.";
            return false;
        }

        foreach (var line in lines)
        {
            var separator = line.LastIndexOf(' ');
            if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal) || separator <= SignaturePrefix.Length
                || !CheckpointKey.IsValidKeyName(line[SignaturePrefix.Length..separator]))
            {
                problem = "A signature line is not \"— <key name> <base64>\".";
                return false;
            }

            signatureLines.Add(line);
        }

        return true;
    }

    private static bool IsWellFormedUtf16(string s)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetByteCount(s);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
