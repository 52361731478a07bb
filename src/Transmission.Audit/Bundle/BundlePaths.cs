using System.Globalization;
using System.Numerics;

namespace Transmission.Audit.Bundle;

/// <summary>
/// The files of an audit bundle (docs/audit-bundle.md). Paths are relative, separated by <c>/</c> whatever the
/// platform, and made of safe segments only, so a path read from a manifest or a stream can never leave the bundle.
/// </summary>
public static class BundlePaths
{
    /// <summary>The file list with sizes and SHA-256 (a completeness check, not a trust anchor).</summary>
    public const string Manifest = "MANIFEST.json";

    /// <summary>The election definition, the exact bytes Central loaded.</summary>
    public const string Election = "election.json";

    /// <summary>The election root CA certificate (PEM).</summary>
    public const string Root = "pki/root.cert.pem";

    /// <summary>Central's receipt and log signing certificate (PEM); its key signs the checkpoint.</summary>
    public const string CentralSigning = "pki/central-signing.cert.pem";

    /// <summary>The folder of the CRLs Central put in force, one file per cRLNumber.</summary>
    public const string CrlFolder = "pki/crls/";

    /// <summary>The log entries in index order, framed (see <see cref="EntryFraming"/>).</summary>
    public const string Entries = "log/entries.bin";

    /// <summary>What Central recorded about each entry (JSON array, same order as <see cref="Entries"/>).</summary>
    public const string EntriesJson = "log/entries.json";

    /// <summary>The signed checkpoint (C2SP signed note) for the tree of all entries.</summary>
    public const string Checkpoint = "log/checkpoint";

    /// <summary>The folder of conflicting envelopes Central kept as evidence (never logged).</summary>
    public const string EvidenceFolder = "evidence/conflicts/";

    /// <summary>The folder of attachment bytes, named by their SHA-256 (only when attachments are included).</summary>
    public const string AttachmentsFolder = "attachments/";

    /// <summary>Central's published totals export at the bundle's log size.</summary>
    public const string Totals = "published/totals.json";

    /// <summary>Central's published stations export at the bundle's log size.</summary>
    public const string Stations = "published/stations.json";

    /// <summary>The files every bundle has, whatever its content.</summary>
    public static IReadOnlyList<string> Required { get; } =
        [Election, Root, CentralSigning, Entries, EntriesJson, Checkpoint, Totals, Stations];

    /// <summary><c>pki/crls/&lt;number&gt;.crl.pem</c> (decimal, no leading zeros).</summary>
    public static string Crl(BigInteger number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        return CrlFolder + number.ToString(CultureInfo.InvariantCulture) + ".crl.pem";
    }

    /// <summary><c>evidence/conflicts/&lt;sha256&gt;.envelope</c>.</summary>
    public static string Evidence(string sha256Hex) => EvidenceFolder + RequireSha256(sha256Hex) + ".envelope";

    /// <summary><c>attachments/&lt;sha256&gt;</c>.</summary>
    public static string Attachment(string sha256Hex) => AttachmentsFolder + RequireSha256(sha256Hex);

    /// <summary>
    /// Whether <paramref name="path"/> is a bundle path: 1–512 characters, segments separated by single <c>/</c>,
    /// each segment 1–255 characters of <c>[A-Za-z0-9._-]</c> and neither <c>.</c> nor <c>..</c>.
    /// </summary>
    public static bool IsSafe(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > 512)
        {
            return false;
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length is 0 or > 255 || segment is "." or ".." || !segment.All(IsSafeCharacter))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="text"/> is 64 lowercase hex digits.</summary>
    public static bool IsSha256Hex(string? text) =>
        text is { Length: 64 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>The cRLNumber a CRL file name states, if it is <c>pki/crls/&lt;decimal&gt;.crl.pem</c> without leading zeros.</summary>
    public static BigInteger? CrlNumberOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        const string Suffix = ".crl.pem";
        if (!path.StartsWith(CrlFolder, StringComparison.Ordinal) || !path.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = path[CrlFolder.Length..^Suffix.Length];
        if (digits.Length == 0 || digits.Length > 50 || !digits.All(char.IsAsciiDigit) || (digits.Length > 1 && digits[0] == '0'))
        {
            return null;
        }

        return BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static string RequireSha256(string sha256Hex) => IsSha256Hex(sha256Hex)
        ? sha256Hex
        : throw new ArgumentException("A SHA-256 is 64 lowercase hex digits.", nameof(sha256Hex));

    private static bool IsSafeCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
