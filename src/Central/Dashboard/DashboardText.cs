using System.Globalization;
using Microsoft.AspNetCore.Html;
using Transmission.Central.Dashboard.Localization;
using Transmission.Core.Review;

namespace Transmission.Central.Dashboard;

/// <summary>
/// How the dashboard writes numbers, shares, times and review states: the same on every page, in the verifier's chosen
/// language (<see cref="DashboardLanguage"/>: thousands separators and decimal points as that language writes them),
/// never the server's own culture; times are UTC and say so.
/// </summary>
public static class DashboardText
{
    /// <summary>Shown where a value does not exist (a turnout of no registered voters, a station that has not reported).</summary>
    public const string None = "—";

    /// <summary>A count with thousands separators: <c>1,234,567</c>.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>A count with thousands separators: <c>1,234,567</c>.</summary>
    public static string Number(int value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>A ratio as a percentage with one decimal (<c>54.3 %</c>), or <see cref="None"/>.</summary>
    public static string Percent(double? ratio) =>
        ratio is { } value && double.IsFinite(value) ? (value * 100).ToString("0.0", CultureInfo.CurrentCulture) + " %" : None;

    /// <summary><paramref name="part"/> of <paramref name="whole"/> as a percentage, or <see cref="None"/> when the whole is 0.</summary>
    public static string Percent(long part, long whole) => whole == 0 ? None : Percent((double)part / whole);

    /// <summary>
    /// A moment in UTC, to the second: <c>2025-12-28 18:42:07 UTC</c>. A narrow column breaks it after the date only
    /// (no-break space before UTC).
    /// </summary>
    public static string Utc(DateTimeOffset time) =>
        time.ToUniversalTime().ToString(DashboardStrings.TimeFormat, CultureInfo.InvariantCulture) + "\u00A0UTC";

    /// <summary>A <c>&lt;time&gt;</c> element: machine-readable ISO 8601 UTC in <c>datetime</c>, <see cref="Utc(DateTimeOffset)"/> as text.</summary>
    public static IHtmlContent Time(DateTimeOffset time)
    {
        var iso = time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new HtmlContentBuilder()
            .AppendHtml("<time datetime=\"").Append(iso).AppendHtml("\">")
            .Append(Utc(time))
            .AppendHtml("</time>");
    }

    /// <summary>A <c>&lt;time&gt;</c> element, or <see cref="None"/> when there is no time.</summary>
    public static IHtmlContent Time(DateTimeOffset? time) => time is { } value ? Time(value) : new HtmlString(None);

    /// <summary>A review state in words: Pending, Accepted, Rejected, Recount requested.</summary>
    public static string State(ReviewState state) => state switch
    {
        ReviewState.Pending => DashboardStrings.StatePending,
        ReviewState.Accepted => DashboardStrings.StateAccepted,
        ReviewState.Rejected => DashboardStrings.StateRejected,
        ReviewState.RecountRequested => DashboardStrings.StateRecount,
        _ => state.ToString(),
    };

    /// <summary>The CSS class that colours a review state (<c>state-pending</c>, <c>state-accepted</c>, …).</summary>
    public static string StateClass(ReviewState state) => state switch
    {
        ReviewState.Pending => "state-pending",
        ReviewState.Accepted => "state-accepted",
        ReviewState.Rejected => "state-rejected",
        ReviewState.RecountRequested => "state-recount",
        _ => "state-unknown",
    };

    /// <summary>A size in bytes in words: <c>812 bytes</c>, <c>3.1 KiB</c>, <c>2.4 MiB</c>.</summary>
    public static string Bytes(long size) => size switch
    {
        < 1024 => string.Format(CultureInfo.CurrentCulture, size == 1 ? DashboardStrings.Byte : DashboardStrings.Bytes, Number(size)),
        < 1024 * 1024 => (size / 1024.0).ToString("0.0", CultureInfo.CurrentCulture) + " KiB",
        _ => (size / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.CurrentCulture) + " MiB",
    };
}
