using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.V1;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Submissions;

/// <summary>The words the verifier types and reads for the contract's review states and decisions.</summary>
internal static class ReviewVocabulary
{
    /// <summary>The values of <c>list --state</c>.</summary>
    public static readonly IReadOnlyDictionary<string, ReviewState> States = new Dictionary<string, ReviewState>(StringComparer.Ordinal)
    {
        ["pending"] = ReviewState.Pending,
        ["accepted"] = ReviewState.Accepted,
        ["rejected"] = ReviewState.Rejected,
        ["recount"] = ReviewState.RecountRequested,
    };

    /// <summary>The decisions of <c>decide</c>.</summary>
    public static readonly IReadOnlyDictionary<string, Decision> Decisions = new Dictionary<string, Decision>(StringComparer.Ordinal)
    {
        ["accept"] = Decision.Accept,
        ["reject"] = Decision.Reject,
        ["recount"] = Decision.RequestRecount,
    };

    /// <summary>"pending", "accepted", "rejected", "recount"; "-" for a station that has not reported.</summary>
    public static string Name(ReviewState state) => state switch
    {
        ReviewState.Pending => "pending",
        ReviewState.Accepted => "accepted",
        ReviewState.Rejected => "rejected",
        ReviewState.RecountRequested => "recount",
        ReviewState.Unspecified => "-",
        _ => ((int)state).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>"accept", "reject", "recount".</summary>
    public static string Name(Decision decision) => decision switch
    {
        Decision.Accept => "accept",
        Decision.Reject => "reject",
        Decision.RequestRecount => "recount",
        _ => ((int)decision).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A review state in the chosen language, for people (<see cref="Name(ReviewState)"/> is what is typed and written to JSON).</summary>
    public static string DisplayName(ReviewState state) => state switch
    {
        ReviewState.Pending => VerifierText.State_pending,
        ReviewState.Accepted => VerifierText.State_accepted,
        ReviewState.Rejected => VerifierText.State_rejected,
        ReviewState.RecountRequested => VerifierText.State_recount,
        _ => Name(state),
    };

    /// <summary>A decision in the chosen language, for people.</summary>
    public static string DisplayName(Decision decision) => decision switch
    {
        Decision.Accept => VerifierText.Decision_accept,
        Decision.Reject => VerifierText.Decision_reject,
        Decision.RequestRecount => VerifierText.Decision_recount,
        _ => Name(decision),
    };

    /// <summary>"one of: a, b, c" for usage errors (the values are typed as they are, in every language).</summary>
    public static string OneOf(IEnumerable<string> values) => Localized.Format(VerifierText.OneOf, string.Join(", ", values));

    /// <summary>A timestamp in UTC as the chosen language writes it ("2026-11-21 22:40:00Z" in English); "-" for none.</summary>
    public static string Time(Timestamp? timestamp) =>
        timestamp is null ? "-" : Localized.Format(VerifierText.TimeFormat, timestamp.ToDateTimeOffset());

    /// <summary>A timestamp as ISO 8601 for JSON; null for none.</summary>
    public static string? IsoTime(Timestamp? timestamp) =>
        timestamp?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>"TEST (rehearsal)" or "LIVE": said on every report so rehearsal numbers are never taken for real ones.</summary>
    public static string Mode(ElectionMode mode) => mode switch
    {
        ElectionMode.Test => VerifierText.ModeTest,
        ElectionMode.Live => VerifierText.ModeLive,
        _ => VerifierText.ModeNotStated,
    };
}
