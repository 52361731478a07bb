using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Review;

namespace Transmission.Central.Review;

/// <summary>Why a submission needs a human look: a stable code and a plain-words message with the numbers.</summary>
/// <param name="Code">An arithmetic rule code (<see cref="ProtocolRules"/>) or an anomaly code (<c>AnomalyCodes</c>).</param>
/// <param name="Message">English, with the numbers.</param>
/// <param name="ContestId">The contest concerned, if any.</param>
/// <param name="ChoiceId">The choice concerned, if any.</param>
public sealed record FlagView(string Code, string Message, string? ContestId, string? ChoiceId);

/// <summary>A verifier's stored decision on one revision.</summary>
/// <param name="State">The state it set.</param>
/// <param name="Reason">The verifier's reason.</param>
/// <param name="VerifierUri">The verifier's identity URI.</param>
/// <param name="DecidedAt">When (Central's clock).</param>
/// <param name="LogIndex">The decision's log index.</param>
public sealed record DecisionView(ReviewState State, string Reason, string VerifierUri, DateTimeOffset DecidedAt, long LogIndex);

/// <summary>One stored revision of a station as the board sees it.</summary>
/// <param name="Revision">The revision (≥ 1).</param>
/// <param name="EnvelopeSha256Hex">Lowercase hex SHA-256 of its envelope.</param>
/// <param name="SubmissionId">The stored row's id.</param>
/// <param name="LogIndex">Its log index.</param>
/// <param name="ReceivedAt">When Central received it.</param>
/// <param name="Decision">Its decision, or <see langword="null"/> while pending.</param>
/// <param name="Protocol">
/// The signed protocol, decoded, for the station's latest and certified revisions (what the totals, outliers and
/// exports use); <see langword="null"/> for a revision superseded in both, whose protocol the board lets go of so that
/// its memory grows with stations, not with corrections. <see cref="StoredSubmissions"/> reads any revision back and
/// <see cref="ReviewBoard.Complete"/> restores its protocol and flags.
/// </param>
/// <param name="CorrectionReason">The protocol's correction reason (empty for a first revision).</param>
/// <param name="VerifiedCosignatures">Committee co-signatures that verified.</param>
/// <param name="Flags">
/// Every flag: arithmetic rules, then anomalies, then (for a station's latest revision) outliers; empty for a superseded
/// revision until <see cref="ReviewBoard.Complete"/> works them out again.
/// </param>
public sealed record RevisionView(
    int Revision,
    string EnvelopeSha256Hex,
    long SubmissionId,
    long LogIndex,
    DateTimeOffset ReceivedAt,
    DecisionView? Decision,
    ResultProtocol? Protocol,
    string CorrectionReason,
    int VerifiedCosignatures,
    IReadOnlyList<FlagView> Flags)
{
    /// <summary>The review state: the decision's, or pending.</summary>
    public ReviewState State => Decision?.State ?? ReviewState.Pending;

    /// <summary>The decoded protocol of a latest or certified revision; throws for a superseded one (read it from storage).</summary>
    public ResultProtocol CountedProtocol => Protocol
        ?? throw new InvalidOperationException($"Revision {Revision} is superseded: the board does not keep its protocol decoded; read it back from storage.");
}

/// <summary>A station of the registry with every stored revision (ascending).</summary>
/// <param name="Station">The registry entry.</param>
/// <param name="MunicipalityName">The municipality's default name.</param>
/// <param name="Revisions">Every stored revision, ascending; empty when the station has not reported.</param>
public sealed record StationView(StationEntry Station, string MunicipalityName, IReadOnlyList<RevisionView> Revisions)
{
    /// <summary>The latest revision, or <see langword="null"/> when the station has not reported.</summary>
    public RevisionView? Latest => Revisions.Count == 0 ? null : Revisions[^1];

    /// <summary>The latest accepted revision (what the certified totals count), or <see langword="null"/>.</summary>
    public RevisionView? Certified => Revisions.LastOrDefault(r => r.State == ReviewState.Accepted);
}

/// <summary>Which stations a list returns. Every criterion given must hold.</summary>
/// <param name="State">The latest revision's review state; <see langword="null"/> for any (including not reported).</param>
/// <param name="MunicipalityCode">A municipality, or <see langword="null"/> for all.</param>
/// <param name="Flag">A flag code, <c>*</c> for any flag, or <see langword="null"/> for no filter.</param>
/// <param name="Reported">Only reported (true), only not reported (false), or both (<see langword="null"/>).</param>
public sealed record BoardFilter(ReviewState? State, string? MunicipalityCode, string? Flag, bool? Reported)
{
    /// <summary>The <see cref="Flag"/> value that matches any flag.</summary>
    public const string AnyFlag = "*";

    /// <summary>No filter: every station.</summary>
    public static BoardFilter All { get; } = new(null, null, null, null);

    /// <summary>Every code a <see cref="FlagView"/> can carry: the Flag-level arithmetic rules, then the anomalies, in their documented order.</summary>
    public static IReadOnlyList<string> FlagCodes { get; } =
        [.. ProtocolRules.All.Where(r => r.Severity == ViolationSeverity.Flag).Select(r => r.Code), .. Transmission.Core.Anomalies.AnomalyCodes.All];

    /// <summary>Whether <paramref name="code"/> is <see cref="AnyFlag"/> or one of <see cref="FlagCodes"/>.</summary>
    public static bool IsFlagFilter(string code) => code == AnyFlag || FlagCodes.Contains(code, StringComparer.Ordinal);

    /// <summary>
    /// The sentence every front end (gRPC, dashboard) answers for a municipality code that is not in
    /// <paramref name="definition"/>, or <see langword="null"/> when it is.
    /// </summary>
    public static string? MunicipalityProblem(Transmission.Core.Election.ElectionDefinition definition, string code)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.TryGetMunicipality(code, out _) ? null : $"municipality {code} is not in the election's registry.";
    }

    /// <summary>The sentence every front end answers for a flag filter that is not a flag code or <see cref="AnyFlag"/>, or <see langword="null"/>.</summary>
    public static string? FlagProblem(string code) => IsFlagFilter(code) ? null : $"flag {code} is not a flag code (or \"*\" for any flag).";
}

/// <summary>One page of stations (ordered by code, ordinal).</summary>
/// <param name="Stations">The page.</param>
/// <param name="TotalMatching">How many stations match in all pages.</param>
/// <param name="NextOffset">Where the next page starts, or <see langword="null"/> when this is the last.</param>
public sealed record BoardPage(IReadOnlyList<StationView> Stations, int TotalMatching, int? NextOffset);

/// <summary>The review queue of one area: how many latest revisions await a decision, and how many of those are flagged.</summary>
/// <param name="MunicipalityCode">The municipality, or <see langword="null"/> for the whole election.</param>
/// <param name="Pending">Stations whose latest revision is pending.</param>
/// <param name="FlaggedPending">Of those, how many carry at least one flag.</param>
public sealed record QueueCounts(string? MunicipalityCode, long Pending, long FlaggedPending);

/// <summary>The board at one moment.</summary>
/// <param name="ReportedStations">Every reported station with every revision, ordered by code (ordinal).</param>
/// <param name="Totals">The totals.</param>
/// <param name="LogSize">How many log entries the board had read.</param>
public sealed record BoardSnapshot(IReadOnlyList<StationView> ReportedStations, Transmission.Core.Tabulation.TabulationSnapshot Totals, long LogSize);
