using System.Globalization;

namespace Transmission.Audit.Bundle;

/// <summary>The name and version of the bundle format, and how its JSON files spell times.</summary>
public static class BundleFormat
{
    /// <summary>The <c>format</c> of <c>MANIFEST.json</c>: <c>transmission-audit-bundle/1</c>.</summary>
    public const string Name = "transmission-audit-bundle/1";

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>ISO 8601 in UTC with milliseconds and <c>Z</c> (as the exports write it); finer digits are cut.</summary>
    public static string FormatTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses exactly the spelling <see cref="FormatTime"/> writes; nothing else.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset value)
    {
        if (text is { Length: 24 }
            && DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
            return true;
        }

        value = default;
        return false;
    }
}

/// <summary>What a log entry is. The value is the kind byte of <c>log/entries.bin</c>.</summary>
public enum BundleEntryKind : byte
{
    /// <summary>An accepted submission: the entry bytes are the envelope as received.</summary>
    Submission = 0,

    /// <summary>A review decision: <c>PAE(LogEntryTypes.Decision, LoggedDecision)</c>.</summary>
    Decision = 1,

    /// <summary>A revocation Central put in force: <c>PAE(LogEntryTypes.Revocation, LoggedRevocation)</c>.</summary>
    Revocation = 2,
}

/// <summary>The names of <see cref="BundleEntryKind"/> in <c>log/entries.json</c>.</summary>
public static class BundleEntryKinds
{
    /// <summary><c>submission</c>, <c>decision</c> or <c>revocation</c>.</summary>
    public static string Name(BundleEntryKind kind) => kind switch
    {
        BundleEntryKind.Submission => "submission",
        BundleEntryKind.Decision => "decision",
        BundleEntryKind.Revocation => "revocation",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown entry kind."),
    };

    /// <summary>The kind named <paramref name="name"/>, if any.</summary>
    public static BundleEntryKind? Parse(string? name) => name switch
    {
        "submission" => BundleEntryKind.Submission,
        "decision" => BundleEntryKind.Decision,
        "revocation" => BundleEntryKind.Revocation,
        _ => null,
    };

    /// <summary>Whether <paramref name="value"/> is a defined kind byte.</summary>
    public static bool IsDefined(byte value) => value <= (byte)BundleEntryKind.Revocation;
}
