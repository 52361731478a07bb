using System.Globalization;
using Transmission.Cli.Localization;
using Transmission.Grpc;
using Transmission.Station.Localization;

namespace Transmission.Station.Outbox;

/// <summary>What kind of failure an outbox item's last error records.</summary>
internal enum FailureKind
{
    /// <summary>The send run ended (Ctrl+C, a crash) while the item was in flight.</summary>
    Interrupted,

    /// <summary>Central refused a message of a batch as too large; every protocol is sent on its own to find it.</summary>
    Splitting,

    /// <summary>The call failed with a status worth retrying (<see cref="RetryPolicy.IsRetryable"/>).</summary>
    Retrying,

    /// <summary>The call failed with a status that retrying cannot change; sending stopped until the chair acts.</summary>
    Stopped,

    /// <summary>The signed envelope is larger than one message Central accepts; it is not sent.</summary>
    TooLarge,

    /// <summary>Central's receipt did not verify (a security problem); it is sent again.</summary>
    ReceiptInvalid,

    /// <summary>Central refused the protocol in-band with a reason code.</summary>
    Refused,
}

/// <summary>
/// The last failure of an outbox item, kept in the outbox in a language-neutral form (<see cref="ToStored"/>, e.g.
/// <c>refused SIGNATURE_INVALID: The envelope does not verify.</c>) and worded for the chair in the language of the
/// command that shows it (<see cref="ToText"/>): a send run in Albanian and a later <c>status</c> in Serbian each
/// speak their own language. Codes and Central's own words (English, as Central sent them) are kept as they came.
/// </summary>
/// <param name="Kind">What failed.</param>
/// <param name="Code">A gRPC status name (<c>UNAVAILABLE</c>), Central's reason code (<c>SIGNATURE_INVALID</c>) or a receipt check code; empty for <see cref="FailureKind.Interrupted"/> and <see cref="FailureKind.Splitting"/>.</param>
/// <param name="Detail">Central's or the transport's words, or for <see cref="FailureKind.TooLarge"/> the envelope's size and the limit in bytes (<c>"5000000 4194304"</c>).</param>
internal sealed record FailureNote(FailureKind Kind, string Code, string Detail)
{
    private static readonly Dictionary<FailureKind, string> Tokens = new()
    {
        [FailureKind.Interrupted] = "interrupted",
        [FailureKind.Splitting] = "splitting",
        [FailureKind.Retrying] = "retrying",
        [FailureKind.Stopped] = "stopped",
        [FailureKind.TooLarge] = "too-large",
        [FailureKind.ReceiptInvalid] = "receipt-invalid",
        [FailureKind.Refused] = "refused",
    };

    private static readonly Dictionary<string, FailureKind> Kinds = Tokens.ToDictionary(t => t.Value, t => t.Key, StringComparer.Ordinal);

    /// <summary>The send run was interrupted while the item was in flight.</summary>
    public static FailureNote Interrupted { get; } = new(FailureKind.Interrupted, string.Empty, string.Empty);

    /// <summary>A batch was refused as too large; the protocols go one by one.</summary>
    public static FailureNote Splitting { get; } = new(FailureKind.Splitting, string.Empty, string.Empty);

    /// <summary>A call failure: <see cref="FailureKind.Retrying"/> or <see cref="FailureKind.Stopped"/>.</summary>
    public static FailureNote CallFailed(bool retry, StatusCode status, string? detail) =>
        new(retry ? FailureKind.Retrying : FailureKind.Stopped, status.ToCanonicalName(), Clean(detail));

    /// <summary>An envelope of <paramref name="size"/> bytes cannot go in one message of at most <paramref name="limit"/> bytes.</summary>
    public static FailureNote TooLargeToSend(long size, long limit) =>
        new(FailureKind.TooLarge, "MESSAGE_TOO_LARGE", string.Create(CultureInfo.InvariantCulture, $"{size} {limit}"));

    /// <summary>Central's receipt failed the check with <paramref name="code"/>.</summary>
    public static FailureNote ReceiptDidNotVerify(string code, string? detail) => new(FailureKind.ReceiptInvalid, code, Clean(detail));

    /// <summary>Central refused the protocol with <paramref name="code"/> and its own words.</summary>
    public static FailureNote RefusedByCentral(string code, string? detail) => new(FailureKind.Refused, code, Clean(detail));

    /// <summary>The form kept in the outbox: <c>kind</c>, or <c>kind CODE</c>, or <c>kind CODE: detail</c>.</summary>
    public string ToStored()
    {
        var token = Tokens[Kind];
        if (Code.Length == 0)
        {
            return token;
        }

        return Detail.Length == 0 ? $"{token} {Code}" : $"{token} {Code}: {Detail}";
    }

    /// <summary>
    /// Reads a stored last error back, or <see langword="null"/> when it is not in the form of <see cref="ToStored"/>
    /// (an outbox written by an older station program kept English sentences; they are shown as they are).
    /// </summary>
    public static FailureNote? Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        var space = stored.IndexOf(' ', StringComparison.Ordinal);
        var token = space < 0 ? stored : stored[..space];
        if (!Kinds.TryGetValue(token, out var kind))
        {
            return null;
        }

        if (space < 0)
        {
            return kind is FailureKind.Interrupted or FailureKind.Splitting ? new FailureNote(kind, string.Empty, string.Empty) : null;
        }

        var rest = stored[(space + 1)..];
        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        var code = colon < 0 ? rest : rest[..colon];
        var detail = colon < 0 ? string.Empty : rest[(colon + 2)..];
        if (code.Length == 0 || code.Any(c => !(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')))
        {
            return null;
        }

        return new FailureNote(kind, code, detail);
    }

    /// <summary>A stored last error worded for the chair in the current UI language; an unknown form as it is.</summary>
    public static string Describe(string? stored) => Parse(stored)?.ToText() ?? stored ?? string.Empty;

    /// <summary>One sentence for the chair in the current UI language.</summary>
    public string ToText()
    {
        var quoted = Detail.Length == 0 ? string.Empty : $" ({Detail})";
        return Kind switch
        {
            FailureKind.Interrupted => StationText.Note_Interrupted,
            FailureKind.Splitting => StationText.Note_Splitting,
            FailureKind.Retrying when Code is "UNKNOWN" or "INTERNAL" => Localized.Format(StationText.Note_RetryFailed, Code, quoted),
            FailureKind.Retrying => Localized.Format(StationText.Note_RetryNotNow, Code, quoted),
            FailureKind.Stopped => Localized.Format(StopText(Code), Code, quoted),
            FailureKind.TooLarge => TooLargeText(),
            FailureKind.ReceiptInvalid => Localized.Format(StationText.Note_ReceiptInvalid, Code, Detail),
            _ => Localized.Format(StationText.Note_Refused, Code, RefusalText(Code, Detail)),
        };
    }

    /// <summary>
    /// What a refusal by Central means, for the chair: in English Central's own words (the most specific); in
    /// another language the meaning of the code in that language, then Central's English words marked as such.
    /// </summary>
    public static string RefusalText(string code, string? detail) =>
        CodeText.Explain(CodeText.Refusal, code, detail, StationText.Note_CentralInEnglish);

    private static string StopText(string status) => status switch
    {
        "INVALID_ARGUMENT" => StationText.Note_StopInvalidArgument,
        "PERMISSION_DENIED" => StationText.Note_StopPermissionDenied,
        "UNAUTHENTICATED" => StationText.Note_StopUnauthenticated,
        "RESOURCE_EXHAUSTED" => StationText.Note_StopResourceExhausted,
        _ => StationText.Note_StopOther,
    };

    private string TooLargeText()
    {
        var parts = Detail.Split(' ');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            ? Localized.Format(StationText.Note_TooLarge, size, limit)
            : Localized.Format(StationText.Note_Refused, Code, Detail);
    }

    /// <summary>One line: Central's or the transport's words without line breaks, so the stored form reads back.</summary>
    private static string Clean(string? detail) =>
        string.IsNullOrWhiteSpace(detail) ? string.Empty : detail.ReplaceLineEndings(" ").Trim();
}
