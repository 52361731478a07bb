using System.Globalization;
using Transmission.Cli.Localization;

namespace Transmission.Station.Localization;

/// <summary>
/// Words for a reason code that comes with an English sentence from Core or Central (a certificate check, a
/// definition problem, a refusal, a log check): in English the sentence itself, the most specific; in another
/// language what the code means in that language (resource <c>{prefix}{CODE}</c>), then the English sentence marked
/// as English, so nothing specific is lost and the chair can still read what happened.
/// </summary>
internal static class CodeText
{
    /// <summary>Resource prefix of what Central's refusal codes mean (<c>Refusal_SIGNATURE_INVALID</c>).</summary>
    public const string Refusal = "Refusal_";

    /// <summary>Resource prefix of what certificate check codes mean (<c>Pki_EXPIRED</c>).</summary>
    public const string Pki = "Pki_";

    /// <summary>Resource prefix of what election definition problem codes mean (<c>Definition_FIELD_MISSING</c>).</summary>
    public const string Definition = "Definition_";

    /// <summary>Resource prefix of what the station's log check codes mean (<c>Witness_LOG_SHRANK</c>).</summary>
    public const string Witness = "Witness_";

    /// <summary>
    /// <paramref name="detail"/> in English; otherwise the meaning of <paramref name="code"/> followed by
    /// <paramref name="detail"/> in <paramref name="inEnglishFormat"/> (default: <c>(in English: {0})</c>). An unknown
    /// code gives the marked English alone.
    /// </summary>
    public static string Explain(string prefix, string code, string? detail, string? inEnglishFormat = null)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(code);
        var english = string.IsNullOrWhiteSpace(detail) ? string.Empty : detail.ReplaceLineEndings(" ").Trim();
        if (CliLanguage.IsEnglish(CultureInfo.CurrentUICulture))
        {
            return english;
        }

        var meaning = Meaning(prefix, code);
        if (english.Length == 0)
        {
            return meaning ?? string.Empty;
        }

        var marked = Localized.Format(inEnglishFormat ?? StationText.Note_InEnglish, english);
        return meaning is null ? marked : meaning + " " + marked;
    }

    /// <summary>The meaning of <paramref name="code"/> in the current UI language, or <see langword="null"/> when there is none.</summary>
    public static string? Meaning(string prefix, string code) =>
        StationText.ResourceManager.GetString(prefix + code, CultureInfo.CurrentUICulture);
}
