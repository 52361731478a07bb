using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.V1;

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

    /// <summary>"one of: a, b, c" for usage errors.</summary>
    public static string OneOf(IEnumerable<string> values) => "one of: " + string.Join(", ", values);

    /// <summary>A timestamp as "2026-11-21 22:40:00Z" (UTC); "-" for none.</summary>
    public static string Time(Timestamp? timestamp) =>
        timestamp is null ? "-" : timestamp.ToDateTimeOffset().ToString("u", CultureInfo.InvariantCulture);

    /// <summary>A timestamp as ISO 8601 for JSON; null for none.</summary>
    public static string? IsoTime(Timestamp? timestamp) =>
        timestamp?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>"TEST (rehearsal)" or "LIVE": said on every report so rehearsal numbers are never taken for real ones.</summary>
    public static string Mode(ElectionMode mode) => mode switch
    {
        ElectionMode.Test => "TEST ELECTION (rehearsal)",
        ElectionMode.Live => "LIVE ELECTION",
        _ => "election mode not stated",
    };
}
