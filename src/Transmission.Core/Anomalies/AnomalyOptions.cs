using System.Globalization;

namespace Transmission.Core.Anomalies;

/// <summary>
/// When anomaly flags are raised, bound from <c>"Review:Anomalies"</c> (<see cref="SectionName"/>). Validated up
/// front with <see cref="Validate"/>; <see cref="StationAnomalies"/> and <see cref="MunicipalityOutliers"/> refuse
/// options that are not valid.
/// </summary>
public sealed record AnomalyOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Review:Anomalies";

    /// <summary>
    /// Turnout (ballots used ÷ the registry's registered voters, as a fraction between 0 and 1) above which
    /// <see cref="AnomalyCodes.TurnoutAboveThreshold"/> is raised; a turnout exactly at the threshold is not flagged.
    /// Defaults to 0.90.
    /// </summary>
    public double TurnoutThreshold { get; init; } = 0.90;

    /// <summary>
    /// The absolute modified z-score above which a station is an outlier in its municipality (a score exactly at the
    /// threshold is not flagged). Defaults to 3.5, the cut-off recommended by Iglewicz and Hoaglin (1993),
    /// "How to Detect and Handle Outliers".
    /// </summary>
    public double OutlierThreshold { get; init; } = 3.5;

    /// <summary>
    /// The fewest stations whose values enter one comparison (turnout, or one contest's shares) for outlier flags to
    /// be raised at all; with fewer, "typical for the municipality" means too little. At least 3. Defaults to 10.
    /// </summary>
    public int MinimumPeers { get; init; } = 10;

    /// <summary>
    /// The least distance from the municipality's median (as a fraction: 0.05 is 5 percentage points) for an outlier
    /// flag, beside the robust z-score. A z-score alone flags tiny differences where the municipality's values lie
    /// close together (a candidate with 0.4 % where the median is 0.2 %); verifiers need differences that matter.
    /// Between 0 and 1. Defaults to 0.05.
    /// </summary>
    public double MinimumDifference { get; init; } = 0.05;

    /// <summary>
    /// Committee co-signatures each protocol must carry, verified, beside the chair's signature; fewer raises
    /// <see cref="AnomalyCodes.TooFewCosignatures"/>. Defaults to 0 (none required).
    /// </summary>
    public int RequiredCosignatures { get; init; }

    /// <summary>
    /// <see langword="null"/> when every option is usable; otherwise one English sentence naming the first unusable
    /// option (in declaration order) and its value, e.g.
    /// "Review:Anomalies:TurnoutThreshold must be between 0 and 1 (was 1.5)."
    /// </summary>
    public string? Validate()
    {
        // Written as negations so that NaN, which fails every comparison, is refused too.
        if (!(TurnoutThreshold is >= 0 and <= 1))
        {
            return Invalid(nameof(TurnoutThreshold), "must be between 0 and 1", TurnoutThreshold);
        }

        if (!(OutlierThreshold > 0 && double.IsFinite(OutlierThreshold)))
        {
            return Invalid(nameof(OutlierThreshold), "must be a positive number", OutlierThreshold);
        }

        if (MinimumPeers < 3)
        {
            return Invalid(nameof(MinimumPeers), "must be at least 3", MinimumPeers);
        }

        if (!(MinimumDifference is >= 0 and <= 1))
        {
            return Invalid(nameof(MinimumDifference), "must be between 0 and 1", MinimumDifference);
        }

        if (RequiredCosignatures < 0)
        {
            return Invalid(nameof(RequiredCosignatures), "must be 0 or more", RequiredCosignatures);
        }

        return null;
    }

    private static string Invalid(string option, string rule, double value) =>
        string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{option} {rule} (was {value}).");
}
