using Transmission.Core.Anomalies;

namespace Transmission.Core.Tests.Anomalies;

public sealed class AnomalyOptionsTests
{
    [Fact]
    public void Defaults_AsDocumented_Valid()
    {
        var options = new AnomalyOptions();

        Assert.Equal(0.90, options.TurnoutThreshold);
        Assert.Equal(3.5, options.OutlierThreshold);
        Assert.Equal(10, options.MinimumPeers);
        Assert.Equal(0.05, options.MinimumDifference);
        Assert.Equal(0, options.RequiredCosignatures);
        Assert.Null(options.Validate());
        Assert.Equal("Review:Anomalies", AnomalyOptions.SectionName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Validate_TurnoutThresholdAtEitherEnd_Valid(double threshold) =>
        Assert.Null(new AnomalyOptions { TurnoutThreshold = threshold }.Validate());

    [Theory]
    [InlineData(1.5, "Review:Anomalies:TurnoutThreshold must be between 0 and 1 (was 1.5).")]
    [InlineData(-0.1, "Review:Anomalies:TurnoutThreshold must be between 0 and 1 (was -0.1).")]
    [InlineData(double.NaN, "Review:Anomalies:TurnoutThreshold must be between 0 and 1 (was NaN).")]
    public void Validate_TurnoutThresholdOutOfRange_NamesOptionAndValue(double threshold, string expected) =>
        Assert.Equal(expected, new AnomalyOptions { TurnoutThreshold = threshold }.Validate());

    [Theory]
    [InlineData(0.0, "Review:Anomalies:OutlierThreshold must be a positive number (was 0).")]
    [InlineData(-3.5, "Review:Anomalies:OutlierThreshold must be a positive number (was -3.5).")]
    [InlineData(double.NaN, "Review:Anomalies:OutlierThreshold must be a positive number (was NaN).")]
    [InlineData(double.PositiveInfinity, "Review:Anomalies:OutlierThreshold must be a positive number (was Infinity).")]
    public void Validate_OutlierThresholdNotPositive_NamesOptionAndValue(double threshold, string expected) =>
        Assert.Equal(expected, new AnomalyOptions { OutlierThreshold = threshold }.Validate());

    [Fact]
    public void Validate_OutlierThresholdSmallPositive_Valid() =>
        Assert.Null(new AnomalyOptions { OutlierThreshold = 0.5 }.Validate());

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_MinimumPeersBelowThree_NamesOptionAndValue(int peers) =>
        Assert.Equal($"Review:Anomalies:MinimumPeers must be at least 3 (was {peers}).", new AnomalyOptions { MinimumPeers = peers }.Validate());

    [Fact]
    public void Validate_MinimumPeersThree_Valid() =>
        Assert.Null(new AnomalyOptions { MinimumPeers = 3 }.Validate());

    [Fact]
    public void Validate_MinimumDifferenceAboveOne_NamesOptionAndValue() =>
        Assert.Equal("Review:Anomalies:MinimumDifference must be between 0 and 1 (was 1.5).", new AnomalyOptions { MinimumDifference = 1.5 }.Validate());

    [Fact]
    public void Validate_RequiredCosignaturesNegative_NamesOptionAndValue() =>
        Assert.Equal("Review:Anomalies:RequiredCosignatures must be 0 or more (was -1).", new AnomalyOptions { RequiredCosignatures = -1 }.Validate());

    [Fact]
    public void Validate_SeveralWrong_FirstInDeclarationOrder()
    {
        var options = new AnomalyOptions { TurnoutThreshold = 2, OutlierThreshold = -1, MinimumPeers = 0, RequiredCosignatures = -1 };

        Assert.StartsWith("Review:Anomalies:TurnoutThreshold ", options.Validate(), StringComparison.Ordinal);
        Assert.StartsWith("Review:Anomalies:OutlierThreshold ", (options with { TurnoutThreshold = 0.9 }).Validate(), StringComparison.Ordinal);
    }
}
