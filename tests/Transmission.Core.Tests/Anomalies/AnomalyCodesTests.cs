using Transmission.Core.Anomalies;

namespace Transmission.Core.Tests.Anomalies;

public sealed class AnomalyCodesTests
{
    [Fact]
    public void All_CodesInContractOrder()
    {
        Assert.Equal(
            [
                "TURNOUT_ABOVE_THRESHOLD",
                "TURNOUT_ABOVE_100",
                "TURNOUT_OUTLIER",
                "CHOICE_SHARE_OUTLIER",
                "CORRECTED_AFTER_ACCEPTANCE",
                "SIGNED_OUTSIDE_WINDOW",
                "TOO_FEW_COSIGNATURES",
            ],
            AnomalyCodes.All);
        Assert.Equal("TURNOUT_ABOVE_THRESHOLD", AnomalyCodes.TurnoutAboveThreshold);
        Assert.Equal("TURNOUT_ABOVE_100", AnomalyCodes.TurnoutAbove100);
        Assert.Equal("TURNOUT_OUTLIER", AnomalyCodes.TurnoutOutlier);
        Assert.Equal("CHOICE_SHARE_OUTLIER", AnomalyCodes.ChoiceShareOutlier);
        Assert.Equal("CORRECTED_AFTER_ACCEPTANCE", AnomalyCodes.CorrectedAfterAcceptance);
        Assert.Equal("SIGNED_OUTSIDE_WINDOW", AnomalyCodes.SignedOutsideWindow);
        Assert.Equal("TOO_FEW_COSIGNATURES", AnomalyCodes.TooFewCosignatures);
    }
}
