namespace Transmission.Core.Anomalies;

/// <summary>
/// One reason for a verifier to look twice at a protocol: a stable <see cref="Code"/> (see <see cref="AnomalyCodes"/>),
/// an English <see cref="Message"/> in plain words with the numbers, and the same ids and numbers as fields so a UI
/// can say it in its own words and language.
/// </summary>
public sealed record AnomalyFlag
{
    /// <summary>The code, e.g. <c>TURNOUT_ABOVE_THRESHOLD</c>.</summary>
    public required string Code { get; init; }

    /// <summary>
    /// An English sentence for a verifier, e.g. "Turnout 96.4 % (1,205 ballots used of 1,250 registered voters) is
    /// above the 90 % threshold."
    /// </summary>
    public required string Message { get; init; }

    /// <summary>The contest concerned (<see cref="AnomalyCodes.ChoiceShareOutlier"/>), otherwise <see langword="null"/>.</summary>
    public string? ContestId { get; init; }

    /// <summary>The choice concerned (<see cref="AnomalyCodes.ChoiceShareOutlier"/>), otherwise <see langword="null"/>.</summary>
    public string? ChoiceId { get; init; }

    /// <summary>
    /// The numbers involved by name. Ratios are fractions (0.964, not 96.4): <c>turnout</c>, <c>threshold</c>,
    /// <c>share</c>, <c>median</c>, <c>mad</c>, <c>meanAbsoluteDeviation</c>; z-scores: <c>z</c>; counts: <c>used</c>,
    /// <c>registered</c>, <c>votes</c>, <c>contestVotes</c>, <c>peers</c>, <c>revision</c>, <c>cosignatures</c>,
    /// <c>required</c>; times are Unix milliseconds: <c>signedAt</c>, <c>opensAt</c>, <c>closesAt</c>. Every value is
    /// finite, so exports can write them as JSON numbers. Each code's documentation in
    /// <see cref="StationAnomalies"/> and <see cref="MunicipalityOutliers"/> lists which names it carries.
    /// </summary>
    public IReadOnlyDictionary<string, double> Numbers { get; init; } = EmptyNumbers;

    private static IReadOnlyDictionary<string, double> EmptyNumbers { get; } = new Dictionary<string, double>();

    /// <inheritdoc/>
    public override string ToString() => $"{Code}: {Message}";
}
