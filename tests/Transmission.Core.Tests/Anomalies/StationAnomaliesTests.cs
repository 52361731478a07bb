using Transmission.Core.Anomalies;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Tests.Election;
using Transmission.Core.Tests.Protocol;

namespace Transmission.Core.Tests.Anomalies;

public sealed class StationAnomaliesTests
{
    // TestDefinitions: night window 2025-12-28T19:00+01:00 (18:00 UTC) to 2025-12-29T07:00+01:00 (06:00 UTC).
    private static readonly DateTimeOffset OpensAt = new(2025, 12, 28, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ClosesAt = new(2025, 12, 29, 6, 0, 0, TimeSpan.Zero);

    private readonly ElectionDefinition _definition = TestDefinitions.Definition;

    /// <summary>Station 01-0001-01 (812 registered), used 600, signed inside the window, revision 1: no flags.</summary>
    private ResultProtocol Valid => TestProtocols.Valid(_definition);

    private StationEntry Station(long registered)
    {
        Assert.True(_definition.TryGetStation("01-0001-01", out var station));
        return station with { RegisteredVoters = registered };
    }

    private IReadOnlyList<AnomalyFlag> Assess(
        ResultProtocol protocol,
        long registered = 812,
        AnomalyOptions? options = null,
        int cosignatures = 0,
        bool earlierAccepted = false) =>
        StationAnomalies.Assess(_definition, options ?? new AnomalyOptions(), Station(registered), protocol, cosignatures, earlierAccepted);

    private ResultProtocol Used(long used) => Valid with { Ballots = Valid.Ballots with { Used = used } };

    private static AnomalyFlag Single(IReadOnlyList<AnomalyFlag> flags, string code)
    {
        var flag = Assert.Single(flags);
        Assert.Equal(code, flag.Code);
        return flag;
    }

    [Fact]
    public void Assess_CleanProtocol_NoFlags() => Assert.Empty(Assess(Valid));

    [Fact]
    public void Assess_TurnoutExactlyAtThreshold_NotFlagged() => Assert.Empty(Assess(Used(900), registered: 1000));

    [Fact]
    public void Assess_TurnoutJustAboveThreshold_AboveThreshold()
    {
        var flag = Single(Assess(Used(901), registered: 1000), AnomalyCodes.TurnoutAboveThreshold);

        Assert.Equal(0.901, flag.Numbers["turnout"]);
        Assert.Equal(0.90, flag.Numbers["threshold"]);
        Assert.Equal(901, flag.Numbers["used"]);
        Assert.Equal(1000, flag.Numbers["registered"]);
        Assert.Null(flag.ContestId);
        Assert.Null(flag.ChoiceId);
    }

    [Fact]
    public void Assess_TurnoutAboveThreshold_PlainMessage()
    {
        var flag = Single(Assess(Used(1205), registered: 1250), AnomalyCodes.TurnoutAboveThreshold);

        Assert.Equal("Turnout 96.4 % (1,205 ballots used of 1,250 registered voters) is above the 90 % threshold.", flag.Message);
    }

    [Fact]
    public void Assess_ConfiguredThreshold_UsedInsteadOfDefault()
    {
        var options = new AnomalyOptions { TurnoutThreshold = 0.955 };

        Assert.Empty(Assess(Used(955), registered: 1000, options));
        var flag = Single(Assess(Used(956), registered: 1000, options), AnomalyCodes.TurnoutAboveThreshold);
        Assert.Equal("Turnout 95.6 % (956 ballots used of 1,000 registered voters) is above the 95.5 % threshold.", flag.Message);
    }

    [Fact]
    public void Assess_UsedEqualsRegistered_AboveThresholdNotAbove100() =>
        Single(Assess(Used(1000), registered: 1000), AnomalyCodes.TurnoutAboveThreshold);

    [Fact]
    public void Assess_TurnoutThresholdOneUsedEqualsRegistered_NotFlagged() =>
        Assert.Empty(Assess(Used(1000), registered: 1000, new AnomalyOptions { TurnoutThreshold = 1.0 }));

    [Fact]
    public void Assess_UsedOneAboveRegistered_Above100Only()
    {
        var flag = Single(Assess(Used(1001), registered: 1000), AnomalyCodes.TurnoutAbove100);

        Assert.Equal(1.001, flag.Numbers["turnout"]);
        Assert.Equal(1001, flag.Numbers["used"]);
        Assert.Equal(1000, flag.Numbers["registered"]);
    }

    [Fact]
    public void Assess_Above100_PlainMessage()
    {
        var flag = Single(Assess(Used(1320), registered: 1250), AnomalyCodes.TurnoutAbove100);

        Assert.Equal("Ballots used (1,320) exceed the 1,250 registered voters: turnout 105.6 %.", flag.Message);
    }

    [Fact]
    public void Assess_RegisteredZeroAndBallotsUsed_Above100WithoutTurnout()
    {
        var flag = Single(Assess(Used(12), registered: 0), AnomalyCodes.TurnoutAbove100);

        Assert.Equal("Ballots used (12) exceed the 0 registered voters: the registry lists no voters for this station.", flag.Message);
        Assert.False(flag.Numbers.ContainsKey("turnout"));
        Assert.Equal(12, flag.Numbers["used"]);
        Assert.Equal(0, flag.Numbers["registered"]);
    }

    [Fact]
    public void Assess_RegisteredZeroAndNoBallotsUsed_NotFlagged() => Assert.Empty(Assess(Used(0), registered: 0));

    [Fact]
    public void Assess_FormDisagreesWithRegistry_TurnoutFromRegistry()
    {
        // The form says 5,000 registered (turnout 19 %); the registry says 1,000 (turnout 95 %).
        var protocol = Used(950) with { Ballots = Used(950).Ballots with { RegisteredVoters = 5000 } };

        var flag = Single(Assess(protocol, registered: 1000), AnomalyCodes.TurnoutAboveThreshold);

        Assert.Equal(1000, flag.Numbers["registered"]);
        Assert.Empty(Assess(Used(950) with { Ballots = Used(950).Ballots with { RegisteredVoters = 1000 } }, registered: 5000));
    }

    [Fact]
    public void Assess_CorrectionAfterAcceptance_PlainMessageWithReason()
    {
        var protocol = Valid with { Revision = 2, CorrectionReason = "P02 and P03 were swapped on the form" };

        var flag = Single(Assess(protocol, earlierAccepted: true), AnomalyCodes.CorrectedAfterAcceptance);

        Assert.Equal(
            "Revision 2 corrects revision 1, which a verifier had already accepted: review the correction reason: \"P02 and P03 were swapped on the form\".",
            flag.Message);
        Assert.Equal(2, flag.Numbers["revision"]);
    }

    [Fact]
    public void Assess_ThirdRevisionAfterAcceptance_DoesNotClaimWhichRevisionWasAccepted()
    {
        var protocol = Valid with { Revision = 3, CorrectionReason = "recounted" };

        var flag = Single(Assess(protocol, earlierAccepted: true), AnomalyCodes.CorrectedAfterAcceptance);

        Assert.Equal(
            "Revision 3 corrects an earlier revision that a verifier had already accepted: review the correction reason: \"recounted\".",
            flag.Message);
    }

    [Fact]
    public void Assess_CorrectionWithoutReason_SaysSo()
    {
        // The validator rejects such a protocol; the flag still reads well if one reaches a verifier.
        var flag = Single(Assess(Valid with { Revision = 2, CorrectionReason = " " }, earlierAccepted: true), AnomalyCodes.CorrectedAfterAcceptance);

        Assert.Equal("Revision 2 corrects revision 1, which a verifier had already accepted: the correction gives no reason.", flag.Message);
    }

    [Fact]
    public void Assess_CorrectionNothingAcceptedBefore_NotFlagged() =>
        Assert.Empty(Assess(Valid with { Revision = 2, CorrectionReason = "recounted" }, earlierAccepted: false));

    [Fact]
    public void Assess_FirstRevision_NeverCorrectedAfterAcceptance() =>
        Assert.Empty(Assess(Valid, earlierAccepted: true));

    [Fact]
    public void Assess_SignedExactlyWhenWindowOpens_NotFlagged() => Assert.Empty(Assess(Valid with { SignedAt = OpensAt }));

    [Fact]
    public void Assess_SignedJustBeforeWindowOpens_SignedOutsideWindow() =>
        Single(Assess(Valid with { SignedAt = OpensAt.AddTicks(-1) }), AnomalyCodes.SignedOutsideWindow);

    [Fact]
    public void Assess_SignedJustBeforeWindowCloses_NotFlagged() => Assert.Empty(Assess(Valid with { SignedAt = ClosesAt.AddTicks(-1) }));

    [Fact]
    public void Assess_SignedExactlyWhenWindowCloses_SignedOutsideWindow() =>
        Single(Assess(Valid with { SignedAt = ClosesAt }), AnomalyCodes.SignedOutsideWindow);

    [Fact]
    public void Assess_SignedAfterWindow_PlainMessageInUtc()
    {
        var flag = Single(Assess(Valid with { SignedAt = new DateTimeOffset(2025, 12, 29, 7, 12, 0, TimeSpan.FromHours(1)) }), AnomalyCodes.SignedOutsideWindow);

        Assert.Equal("Signed at 2025-12-29 06:12 UTC, outside the election night window 2025-12-28 18:00 – 2025-12-29 06:00 UTC.", flag.Message);
        Assert.Equal(new DateTimeOffset(2025, 12, 29, 6, 12, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), flag.Numbers["signedAt"]);
        Assert.Equal(OpensAt.ToUnixTimeMilliseconds(), flag.Numbers["opensAt"]);
        Assert.Equal(ClosesAt.ToUnixTimeMilliseconds(), flag.Numbers["closesAt"]);
    }

    [Fact]
    public void Assess_SignedSecondsAfterClose_MessageShowsTheSeconds()
    {
        var flag = Single(Assess(Valid with { SignedAt = ClosesAt.AddSeconds(30) }), AnomalyCodes.SignedOutsideWindow);

        Assert.StartsWith("Signed at 2025-12-29 06:00:30 UTC, outside ", flag.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_NoSigningTime_SignedOutsideWindow()
    {
        var flag = Single(Assess(Valid with { SignedAt = null }), AnomalyCodes.SignedOutsideWindow);

        Assert.Equal("The protocol carries no signing time.", flag.Message);
        Assert.False(flag.Numbers.ContainsKey("signedAt"));
    }

    [Fact]
    public void Assess_CosignaturesExactlyRequired_NotFlagged() =>
        Assert.Empty(Assess(Valid, options: new AnomalyOptions { RequiredCosignatures = 2 }, cosignatures: 2));

    [Fact]
    public void Assess_OneCosignatureShort_PlainMessage()
    {
        var flag = Single(Assess(Valid, options: new AnomalyOptions { RequiredCosignatures = 2 }, cosignatures: 1), AnomalyCodes.TooFewCosignatures);

        Assert.Equal("1 committee co-signature verified; this election requires 2.", flag.Message);
        Assert.Equal(1, flag.Numbers["cosignatures"]);
        Assert.Equal(2, flag.Numbers["required"]);
    }

    [Fact]
    public void Assess_NoCosignatureWhenOneRequired_PluralMessage()
    {
        var flag = Single(Assess(Valid, options: new AnomalyOptions { RequiredCosignatures = 1 }, cosignatures: 0), AnomalyCodes.TooFewCosignatures);

        Assert.Equal("0 committee co-signatures verified; this election requires 1.", flag.Message);
    }

    [Fact]
    public void Assess_NoneRequiredNoneVerified_NotFlagged() => Assert.Empty(Assess(Valid, cosignatures: 0));

    [Fact]
    public void Assess_EverythingWrong_FlagsInCodeOrder()
    {
        var protocol = Used(1001) with { Revision = 2, CorrectionReason = "recounted", SignedAt = null };

        var flags = Assess(protocol, registered: 1000, new AnomalyOptions { RequiredCosignatures = 3 }, cosignatures: 1, earlierAccepted: true);

        Assert.Equal(
            [AnomalyCodes.TurnoutAbove100, AnomalyCodes.CorrectedAfterAcceptance, AnomalyCodes.SignedOutsideWindow, AnomalyCodes.TooFewCosignatures],
            flags.Select(f => f.Code));
        var again = Assess(protocol, registered: 1000, new AnomalyOptions { RequiredCosignatures = 3 }, cosignatures: 1, earlierAccepted: true);
        Assert.Equal(flags.Select(f => f.Message), again.Select(f => f.Message));
    }

    [Fact]
    public void Assess_StationIsNotTheProtocols_Throws()
    {
        Assert.True(_definition.TryGetStation("01-0001-02", out var other));

        Assert.Throws<ArgumentException>(() => StationAnomalies.Assess(_definition, new AnomalyOptions(), other, Valid, 0, false));
    }

    [Fact]
    public void Assess_NegativeCosignatures_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Assess(Valid, cosignatures: -1));

    [Fact]
    public void Assess_InvalidOptions_ThrowsWithTheValidationMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => Assess(Valid, options: new AnomalyOptions { TurnoutThreshold = 1.5 }));

        Assert.StartsWith("Review:Anomalies:TurnoutThreshold must be between 0 and 1 (was 1.5).", error.Message, StringComparison.Ordinal);
    }
}
