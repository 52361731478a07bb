namespace Transmission.Core.Tabulation;

/// <summary>
/// The totals at one moment (design §6 "Totals"): provisional and certified, overall and per municipality, plus the
/// review queue. Immutable; ordered as the definition (contests and choices in ballot order, municipalities by code,
/// ordinal).
/// </summary>
/// <param name="Provisional">Every station's latest revision, whatever its review state.</param>
/// <param name="Certified">Every station's latest accepted revision.</param>
/// <param name="PendingSubmissions">Stations whose latest revision is not decided yet.</param>
/// <param name="FlaggedSubmissions">Stations whose latest revision broke a Flag-level rule (decided or not).</param>
/// <param name="FlaggedPendingSubmissions">Stations whose latest revision is flagged and not decided: the review queue.</param>
public sealed record TabulationSnapshot(
    TallySet Provisional,
    TallySet Certified,
    long PendingSubmissions,
    long FlaggedSubmissions,
    long FlaggedPendingSubmissions);

/// <summary>One kind of totals (provisional or certified) overall and per municipality.</summary>
/// <param name="Overall">All municipalities together.</param>
/// <param name="Municipalities">Every municipality of the definition, by code (ordinal), including those with no reports.</param>
public sealed record TallySet(AreaTally Overall, IReadOnlyList<AreaTally> Municipalities);

/// <summary>The totals of one area (the whole election or one municipality).</summary>
/// <param name="MunicipalityCode">The municipality, or <see langword="null"/> for the whole election.</param>
/// <param name="Contests">Per contest, in ballot order, the votes of every choice in ballot order.</param>
/// <param name="BallotsUsed">Ballots used in the counted stations.</param>
/// <param name="StationsReported">Stations counted (with a provisional, resp. accepted, revision).</param>
/// <param name="StationsRegistered">Stations of the area in the registry.</param>
/// <param name="RegisteredVotersReported">Registered voters (from the registry, not the forms) of the counted stations.</param>
/// <param name="RegisteredVotersAll">Registered voters (from the registry) of all the area's stations.</param>
public sealed record AreaTally(
    string? MunicipalityCode,
    IReadOnlyList<ContestTally> Contests,
    long BallotsUsed,
    long StationsReported,
    long StationsRegistered,
    long RegisteredVotersReported,
    long RegisteredVotersAll)
{
    /// <summary>Ballots used ÷ registered voters of the counted stations; <see langword="null"/> when that is 0.</summary>
    public double? TurnoutOfReported => RegisteredVotersReported == 0 ? null : (double)BallotsUsed / RegisteredVotersReported;

    /// <summary>Ballots used ÷ registered voters of all the area's stations; <see langword="null"/> when that is 0.</summary>
    public double? TurnoutOfAll => RegisteredVotersAll == 0 ? null : (double)BallotsUsed / RegisteredVotersAll;

    /// <summary>Stations reported ÷ stations registered; <see langword="null"/> when the area has no stations.</summary>
    public double? ReportingProgress => StationsRegistered == 0 ? null : (double)StationsReported / StationsRegistered;
}

/// <summary>The votes of one contest in one area.</summary>
/// <param name="ContestId">The contest.</param>
/// <param name="Choices">Every choice of the contest, in ballot order.</param>
public sealed record ContestTally(string ContestId, IReadOnlyList<ChoiceTally> Choices);

/// <summary>The votes of one choice in one area.</summary>
/// <param name="ChoiceId">The choice.</param>
/// <param name="Votes">The votes.</param>
public sealed record ChoiceTally(string ChoiceId, long Votes);
