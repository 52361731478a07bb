using System.Globalization;
using Microsoft.AspNetCore.Html;
using Transmission.Central.Dashboard.Localization;
using Transmission.Central.Review;
using Transmission.Central.Storage;
using Transmission.Core.Anomalies;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Review;

namespace Transmission.Central.Dashboard;

/// <summary>
/// How the dashboard writes numbers, shares, times and review states: the same on every page, in the verifier's chosen
/// language (<see cref="DashboardLanguage"/>: thousands separators and decimal points as that language writes them),
/// never the server's own culture; times are UTC and say so.
/// </summary>
public static partial class DashboardText
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

    /// <summary>A name from the election definition in the page's language when the definition has one, otherwise as given.</summary>
    public static string Name(LocalizedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Get(CultureInfo.CurrentUICulture);
    }

    /// <summary><paramref name="format"/> (a resource with <c>{0}</c>, <c>{1:N0}</c>…) filled in the page's culture.</summary>
    public static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);

    /// <summary>
    /// A resource sentence with markup in its holes (a link, a <c>&lt;time&gt;</c>), so that each language can put them
    /// where its word order wants them: the sentence's own text and plain arguments are HTML-encoded, arguments that
    /// are <see cref="IHtmlContent"/> are written as they are.
    /// </summary>
    public static IHtmlContent Compose(string format, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(args);
        var builder = new HtmlContentBuilder();
        var at = 0;
        foreach (System.Text.RegularExpressions.Match hole in Hole().Matches(format))
        {
            builder.Append(format[at..hole.Index]);
            var arg = args[int.Parse(hole.Groups[1].Value, CultureInfo.InvariantCulture)];
            if (arg is IHtmlContent markup)
            {
                builder.AppendHtml(markup);
            }
            else
            {
                builder.Append(string.Format(CultureInfo.CurrentCulture, "{0" + hole.Groups[2].Value + "}", arg));
            }

            at = hole.Index + hole.Length;
        }

        return builder.Append(format[at..]);
    }

    /// <summary>Whether the page is in English, where a flag or refusal is Core's own sentence with its numbers.</summary>
    private static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" || CultureInfo.CurrentUICulture.Name.Length == 0;

    /// <summary>
    /// A flag's words beside its code: in English Core's sentence with the numbers (<see cref="FlagView.Message"/>); in
    /// Albanian and Serbian what the code means (the numbers are in the form's table beside it).
    /// </summary>
    public static string Flag(FlagView flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        if (English)
        {
            return flag.Message;
        }

        return flag.Code switch
        {
            ProtocolRules.ValidInvalidNotUsed => DashboardStrings.Flag_VALID_INVALID_NOT_USED,
            ProtocolRules.BallotsNotBalanced => DashboardStrings.Flag_BALLOTS_NOT_BALANCED,
            ProtocolRules.UsedExceedsRegistered => DashboardStrings.Flag_USED_EXCEEDS_REGISTERED,
            ProtocolRules.RegisteredMismatch => DashboardStrings.Flag_REGISTERED_MISMATCH,
            ProtocolRules.ContestSumMismatch => DashboardStrings.Flag_CONTEST_SUM_MISMATCH,
            ProtocolRules.PreferenceOverLimit => DashboardStrings.Flag_PREFERENCE_OVER_LIMIT,
            AnomalyCodes.TurnoutAboveThreshold => DashboardStrings.Flag_TURNOUT_ABOVE_THRESHOLD,
            AnomalyCodes.TurnoutAbove100 => DashboardStrings.Flag_TURNOUT_ABOVE_100,
            AnomalyCodes.TurnoutOutlier => DashboardStrings.Flag_TURNOUT_OUTLIER,
            AnomalyCodes.ChoiceShareOutlier => DashboardStrings.Flag_CHOICE_SHARE_OUTLIER,
            AnomalyCodes.CorrectedAfterAcceptance => DashboardStrings.Flag_CORRECTED_AFTER_ACCEPTANCE,
            AnomalyCodes.SignedOutsideWindow => DashboardStrings.Flag_SIGNED_OUTSIDE_WINDOW,
            AnomalyCodes.TooFewCosignatures => DashboardStrings.Flag_TOO_FEW_COSIGNATURES,
            _ => flag.Message,
        };
    }

    /// <summary>A refused decision as <c>CODE: words</c>: the code as it is, the words in the page's language (in English exactly <see cref="DecisionDesk.Explain"/>).</summary>
    public static string Refusal(DecisionRefused refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        if (English)
        {
            return DecisionDesk.Explain(refused);
        }

        var words = refused.Refusal switch
        {
            ReviewRefusals.AlreadyDecided => Format(DashboardStrings.Refusal_ALREADY_DECIDED, State(refused.State)),
            ReviewRefusals.Superseded => DashboardStrings.Refusal_SUPERSEDED,
            ReviewRefusals.ReasonRequired => DashboardStrings.Refusal_REASON_REQUIRED,
            ReviewRefusals.ReasonTooLong => Format(DashboardStrings.Refusal_REASON_TOO_LONG, Number(ReviewDecision.MaxReasonLength)),
            ReviewRefusals.UnknownDecision => DashboardStrings.Refusal_UNKNOWN_DECISION,
            _ => DashboardStrings.Refusal_Other,
        };
        return refused.Refusal + ": " + words;
    }

    // A format item of a resource: {0} or {1:N0}.
    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\d+)(:[^}]*)?\}")]
    private static partial System.Text.RegularExpressions.Regex Hole();
}
