namespace Transmission.Core.Anomalies;

/// <summary>
/// The stable codes of <see cref="AnomalyFlag"/>: signs for a central verifier to look at a protocol more closely,
/// beyond the arithmetic rules of <see cref="Protocol.ProtocolRules"/>. None of them means the protocol is wrong;
/// each says why it stands out. The codes are part of the contract (dashboard, CLI, exports); never rename one.
/// </summary>
public static class AnomalyCodes
{
    /// <summary>
    /// Ballots used ÷ the registry's registered voters of the station is above
    /// <see cref="AnomalyOptions.TurnoutThreshold"/> but not above 1 (above 1 is <see cref="TurnoutAbove100"/> alone).
    /// </summary>
    public const string TurnoutAboveThreshold = "TURNOUT_ABOVE_THRESHOLD";

    /// <summary>
    /// Ballots used exceed the registry's registered voters of the station (turnout above 100 %), including any
    /// ballots used at a station the registry lists with 0 voters.
    /// </summary>
    public const string TurnoutAbove100 = "TURNOUT_ABOVE_100";

    /// <summary>The station's turnout is far from its municipality's median (robust z-score, see <see cref="MunicipalityOutliers"/>).</summary>
    public const string TurnoutOutlier = "TURNOUT_OUTLIER";

    /// <summary>A choice's share of its contest's votes at the station is far from the municipality's median (robust z-score).</summary>
    public const string ChoiceShareOutlier = "CHOICE_SHARE_OUTLIER";

    /// <summary>A revision above 1 arrived after a verifier had accepted an earlier revision of the same station.</summary>
    public const string CorrectedAfterAcceptance = "CORRECTED_AFTER_ACCEPTANCE";

    /// <summary>The protocol's signing time is outside the definition's night window, or the protocol has none.</summary>
    public const string SignedOutsideWindow = "SIGNED_OUTSIDE_WINDOW";

    /// <summary>Fewer committee co-signatures were verified than <see cref="AnomalyOptions.RequiredCosignatures"/>.</summary>
    public const string TooFewCosignatures = "TOO_FEW_COSIGNATURES";

    /// <summary>Every code, in the order flags of one station are listed.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        TurnoutAboveThreshold,
        TurnoutAbove100,
        TurnoutOutlier,
        ChoiceShareOutlier,
        CorrectedAfterAcceptance,
        SignedOutsideWindow,
        TooFewCosignatures,
    ];
}
