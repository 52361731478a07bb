using Transmission.Core.Anomalies;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Tests.Election;
using Transmission.Core.Tests.Protocol;
using static Transmission.Core.Tests.Anomalies.AnomalyTestData;

namespace Transmission.Core.Tests.Anomalies;

public sealed class MunicipalityOutliersTests
{
    private const double Tolerance = 1e-9;

    private static readonly AnomalyOptions Defaults = new();

    /// <summary>Ten stations of 1,000 voters with turnouts 50 %, 51 %, ... 58 % and 90 % (P01 takes every vote).</summary>
    private static (ElectionDefinition Definition, List<(StationEntry Station, ResultProtocol Protocol)> Latest) TurnoutCase()
    {
        var definition = Municipality(Registered(10, 1000));
        long[] used = [500, 510, 520, 530, 540, 550, 560, 570, 580, 900];
        return (definition, Latest(definition, used.Select(u => (u, u, 0L)).ToArray()));
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<AnomalyFlag>> Assess(
        ElectionDefinition definition,
        IReadOnlyList<(StationEntry Station, ResultProtocol Protocol)> latest,
        AnomalyOptions? options = null) =>
        MunicipalityOutliers.Assess(definition, options ?? Defaults, latest);

    private static IEnumerable<AnomalyFlag> AllFlags(IReadOnlyDictionary<string, IReadOnlyList<AnomalyFlag>> result) => result.Values.SelectMany(f => f);

    [Fact]
    public void Assess_TurnoutKnownAnswer_RobustZOfTheHighStation()
    {
        // By hand: turnouts .50 .51 .52 .53 .54 .55 .56 .57 .58 .90 (n = 10, even).
        //   median = (.54 + .55) / 2 = .545
        //   |x - median| = .045 .035 .025 .015 .005 .005 .015 .025 .035 .355
        //   sorted: .005 .005 .015 .015 .025 .025 .035 .035 .045 .355 -> MAD = (.025 + .025) / 2 = .025
        //   z(.90) = 0.6745 × (.90 - .545) / .025 = 0.6745 × 14.2 = 9.5779  (flagged: above 3.5)
        //   z(.50) = 0.6745 × (.50 - .545) / .025 = -1.2141                 (not flagged)
        var (definition, latest) = TurnoutCase();

        var result = Assess(definition, latest);

        Assert.Equal(10, result.Count);
        var flag = Assert.Single(AllFlags(result));
        Assert.Same(flag, Assert.Single(result[Code(9)]));
        Assert.Equal(AnomalyCodes.TurnoutOutlier, flag.Code);
        Assert.Equal(9.5779, flag.Numbers["z"], Tolerance);
        Assert.Equal(0.545, flag.Numbers["median"], Tolerance);
        Assert.Equal(0.025, flag.Numbers["mad"], Tolerance);
        Assert.Equal(0.90, flag.Numbers["turnout"], Tolerance);
        Assert.Equal(10, flag.Numbers["peers"]);
        Assert.Equal(3.5, flag.Numbers["threshold"]);
        Assert.Equal(900, flag.Numbers["used"]);
        Assert.Equal(1000, flag.Numbers["registered"]);
        Assert.False(flag.Numbers.ContainsKey("meanAbsoluteDeviation"));
        Assert.Null(flag.ContestId);
        Assert.Null(flag.ChoiceId);
    }

    [Fact]
    public void Assess_TurnoutOutlier_PlainMessage()
    {
        var (definition, latest) = TurnoutCase();

        var flag = Assert.Single(Assess(definition, latest)[Code(9)]);

        Assert.Equal("Turnout 90.0 % is far from this municipality's typical 54.5 % (robust z = 9.6 over 10 stations; flagged above 3.5).", flag.Message);
    }

    [Fact]
    public void Assess_HighZButCloserThanMinimumDifference_NotFlagged()
    {
        // Turnouts .500 .501 ... .508 and .530: z(.530) = 0.6745 × (.530 - .5045) / .0025 = 6.88, far above 3.5,
        // but .530 is only 2.55 percentage points from the median: below the default 5, so no flag.
        var definition = Municipality(Registered(10, 1000));
        long[] used = [500, 501, 502, 503, 504, 505, 506, 507, 508, 530];
        var latest = Latest(definition, used.Select(u => (u, u, 0L)).ToArray());

        Assert.Empty(AllFlags(Assess(definition, latest)));
        var flag = Assert.Single(AllFlags(Assess(definition, latest, Defaults with { MinimumDifference = 0.02 })));
        Assert.Equal(AnomalyCodes.TurnoutOutlier, flag.Code);
    }

    [Fact]
    public void Assess_OddCount_MedianIsTheMiddleValue()
    {
        // By hand: .50 .51 .52 .53 .54 .55 .56 .57 .58 .59 .90 (n = 11): median = .55 (the 6th).
        //   |x - median| sorted: 0 .01 .01 .02 .02 .03 .03 .04 .04 .05 .35 -> MAD = .03 (the 6th)
        //   z(.90) = 0.6745 × .35 / .03 = 7.869167
        var definition = Municipality(Registered(11, 1000));
        long[] used = [500, 510, 520, 530, 540, 550, 560, 570, 580, 590, 900];

        var flag = Assert.Single(AllFlags(Assess(definition, Latest(definition, used.Select(u => (u, u, 0L)).ToArray()))));

        Assert.Equal(0.55, flag.Numbers["median"], Tolerance);
        Assert.Equal(0.03, flag.Numbers["mad"], Tolerance);
        Assert.Equal(0.6745 * 0.35 / 0.03, flag.Numbers["z"], Tolerance);
        Assert.Equal(11, flag.Numbers["peers"]);
    }

    [Fact]
    public void Assess_MadZero_FallsBackToMeanAbsoluteDeviation()
    {
        // By hand: nine stations at .50 and one at .60. median = .50; |x - median| = nine 0s and .10, so MAD = 0.
        //   mean absolute deviation = .10 / 10 = .01
        //   z(.60) = (.60 - .50) / (1.253314 × .01) = 7.978846
        var definition = Municipality(Registered(10, 1000));
        long[] used = [500, 500, 500, 500, 500, 500, 500, 500, 500, 600];

        var result = Assess(definition, Latest(definition, used.Select(u => (u, u, 0L)).ToArray()));

        var flag = Assert.Single(AllFlags(result));
        Assert.Same(flag, Assert.Single(result[Code(9)]));
        Assert.Equal(0.10 / (1.253314 * 0.01), flag.Numbers["z"], Tolerance);
        Assert.Equal(7.978846, flag.Numbers["z"], 1e-6);
        Assert.Equal(0, flag.Numbers["mad"]);
        Assert.Equal(0.01, flag.Numbers["meanAbsoluteDeviation"], Tolerance);
        Assert.Equal("Turnout 60.0 % is far from this municipality's typical 50.0 % (robust z = 8.0 over 10 stations; flagged above 3.5).", flag.Message);
    }

    [Fact]
    public void Assess_MadZeroAndFallbackBelowThreshold_NoFlags()
    {
        // Six at .50, four at .60: median .50, MAD 0, mean absolute deviation .04, z(.60) = .10 / (1.253314 × .04) = 1.99.
        var definition = Municipality(Registered(10, 1000));
        long[] used = [500, 500, 500, 500, 500, 500, 600, 600, 600, 600];

        Assert.Empty(AllFlags(Assess(definition, Latest(definition, used.Select(u => (u, u, 0L)).ToArray()))));
    }

    [Fact]
    public void Assess_AllEqual_NoFlags()
    {
        var definition = Municipality(Registered(12, 1000));

        var result = Assess(definition, Latest(definition, Enumerable.Repeat((500L, 300L, 200L), 12).ToArray()));

        Assert.Equal(12, result.Count);
        Assert.All(result.Values, Assert.Empty);
    }

    [Fact]
    public void Assess_FewerThanMinimumPeers_NoFlags()
    {
        var definition = Municipality(Registered(9, 1000));
        long[] used = [500, 510, 520, 530, 540, 550, 560, 570, 900];
        var latest = Latest(definition, used.Select(u => (u, u, 0L)).ToArray());

        Assert.Empty(AllFlags(Assess(definition, latest)));
        Assert.Equal(AnomalyCodes.TurnoutOutlier, Assert.Single(AllFlags(Assess(definition, latest, new AnomalyOptions { MinimumPeers = 9 }))).Code);
    }

    [Fact]
    public void Assess_StationWithNoRegisteredVoters_LeftOutOfTurnout()
    {
        // Ten protocols, but one station has 0 registered voters: only nine turnouts, fewer than the 10 peers needed.
        var definition = Municipality([.. Registered(9, 1000), 0]);
        long[] used = [500, 510, 520, 530, 540, 550, 560, 570, 900, 0];
        var latest = Latest(definition, used.Select(u => (u, u, 0L)).ToArray());

        Assert.Empty(AllFlags(Assess(definition, latest)));
        var flag = Assert.Single(AllFlags(Assess(definition, latest, new AnomalyOptions { MinimumPeers = 9 })));
        Assert.Equal(9, flag.Numbers["peers"]);
    }

    [Fact]
    public void Assess_ExactlyAtOutlierThreshold_NotFlagged()
    {
        var (definition, latest) = TurnoutCase();
        var z = Assert.Single(AllFlags(Assess(definition, latest))).Numbers["z"];

        Assert.Empty(AllFlags(Assess(definition, latest, new AnomalyOptions { OutlierThreshold = z })));
        Assert.Single(AllFlags(Assess(definition, latest, new AnomalyOptions { OutlierThreshold = Math.BitDecrement(z) })));
    }

    [Fact]
    public void Assess_ChoiceShareKnownAnswer_HighAndLowShareFlagged()
    {
        // By hand, P01's share of the party votes: .30 .31 .32 .33 .34 .35 .36 .37 .38 .78 (P02 has the rest).
        //   median = (.34 + .35) / 2 = .345; |x - median| sorted: .005 .005 .015 .015 .025 .025 .035 .035 .045 .435
        //   MAD = .025; z(.78) = 0.6745 × .435 / .025 = 11.7363. P02 mirrors it: median .655, z(.22) = -11.7363.
        // Every station's turnout is 50 % and candidate P01-C01 has all the candidate votes, so nothing else stands out.
        var definition = Municipality(Registered(10, 2000));
        long[] p01 = [300, 310, 320, 330, 340, 350, 360, 370, 380, 780];

        var result = Assess(definition, Latest(definition, p01.Select(p => (1000L, p, 1000 - p)).ToArray()));

        Assert.Equal(2, AllFlags(result).Count());
        var flags = result[Code(9)];
        Assert.Equal(2, flags.Count);
        Assert.All(flags, f => Assert.Equal(AnomalyCodes.ChoiceShareOutlier, f.Code));
        Assert.All(flags, f => Assert.Equal("parties", f.ContestId));
        Assert.Equal(["P01", "P02"], flags.Select(f => f.ChoiceId));
        Assert.Equal(11.7363, flags[0].Numbers["z"], Tolerance);
        Assert.Equal(0.78, flags[0].Numbers["share"], Tolerance);
        Assert.Equal(0.345, flags[0].Numbers["median"], Tolerance);
        Assert.Equal(0.025, flags[0].Numbers["mad"], Tolerance);
        Assert.Equal(780, flags[0].Numbers["votes"]);
        Assert.Equal(1000, flags[0].Numbers["contestVotes"]);
        Assert.Equal(10, flags[0].Numbers["peers"]);
        Assert.Equal(-11.7363, flags[1].Numbers["z"], Tolerance);
        Assert.Equal(
            "Civic Alliance has 78.0 % of the valid votes in Parties here; typical in this municipality is 34.5 % (robust z = 11.7 over 10 stations).",
            flags[0].Message);
        Assert.Equal(
            "Lista e Gjelbër has 22.0 % of the valid votes in Parties here; typical in this municipality is 65.5 % (robust z = -11.7 over 10 stations).",
            flags[1].Message);
    }

    [Fact]
    public void Assess_PreferenceContest_ShareOfThePreferenceVotes()
    {
        // Arben Berisha (P01-C01) has 30 %...38 % of the candidate votes at nine stations and 78 % at the tenth.
        var definition = Municipality(Registered(10, 2000));
        long[] c01 = [300, 310, 320, 330, 340, 350, 360, 370, 380, 780];
        var latest = Latest(definition, Enumerable.Repeat((1000L, 1000L, 0L), 10).ToArray())
            .Select((row, i) => (row.Station, row.Protocol.WithContest("candidates", new ChoiceVotes("P01-C01", c01[i]), new ChoiceVotes("P01-C02", 1000 - c01[i]))))
            .ToList();

        var flags = Assess(definition, latest)[Code(9)];

        Assert.Equal(["P01-C01", "P01-C02"], flags.Select(f => f.ChoiceId));
        Assert.All(flags, f => Assert.Equal("candidates", f.ContestId));
        Assert.Equal(
            "Arben Berisha has 78.0 % of the preference votes in Candidates here; typical in this municipality is 34.5 % (robust z = 11.7 over 10 stations).",
            flags[0].Message);
    }

    [Fact]
    public void Assess_ContestWithoutVotes_StationLeftOutOfThatContest()
    {
        // Eleven protocols; the eleventh has no party votes at all, so the party shares compare ten stations.
        var definition = Municipality(Registered(11, 2000));
        long[] p01 = [300, 310, 320, 330, 340, 350, 360, 370, 380, 780, 0];

        var result = Assess(definition, Latest(definition, p01.Select(p => (1000L, p, p == 0 ? 0 : 1000 - p)).ToArray()));

        Assert.Empty(result[Code(10)]);
        Assert.All(result[Code(9)], f => Assert.Equal(10, f.Numbers["peers"]));
        Assert.Equal(2, result[Code(9)].Count);
    }

    [Fact]
    public void Assess_TurnoutAndShareOutliers_TurnoutFirstThenBallotOrder()
    {
        var definition = Municipality(Registered(10, 1000));
        long[] used = [500, 510, 520, 530, 540, 550, 560, 570, 580, 900];
        long[] p01 = [150, 155, 160, 165, 170, 175, 180, 185, 190, 700];
        var latest = Latest(definition, used.Select((u, i) => (u, p01[i], u - p01[i])).ToArray())
            .Select((row, i) => (row.Station, row.Protocol.WithContest("candidates", new ChoiceVotes("P01-C01", i == 9 ? 10 : 100), new ChoiceVotes("P02-C01", 100))))
            .ToList();

        var flags = Assess(definition, latest)[Code(9)];

        Assert.Equal(
            new (string, string?, string?)[]
            {
                (AnomalyCodes.TurnoutOutlier, null, null),
                (AnomalyCodes.ChoiceShareOutlier, "parties", "P01"),
                (AnomalyCodes.ChoiceShareOutlier, "parties", "P02"),
                (AnomalyCodes.ChoiceShareOutlier, "candidates", "P01-C01"),
                (AnomalyCodes.ChoiceShareOutlier, "candidates", "P02-C01"),
            },
            flags.Select(f => (f.Code, f.ContestId, f.ChoiceId)));
        Assert.Equal(flags.Select(f => f.Message), Assess(definition, latest)[Code(9)].Select(f => f.Message));
    }

    [Fact]
    public void Assess_NoProtocols_Empty() => Assert.Empty(Assess(TestDefinitions.Definition, []));

    [Fact]
    public void Assess_StationsOfTwoMunicipalities_Throws()
    {
        var definition = TestDefinitions.Definition;
        var latest = definition.Stations.Select(s => (s, TestProtocols.Valid(definition) with { StationCode = s.Code })).ToList();

        var error = Assert.Throws<ArgumentException>(() => Assess(definition, latest));
        Assert.Contains("municipalit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_SameStationTwice_Throws()
    {
        var (definition, latest) = TurnoutCase();
        latest.Add(latest[0]);

        Assert.Throws<ArgumentException>(() => Assess(definition, latest));
    }

    [Fact]
    public void Assess_ProtocolOfAnotherStation_Throws()
    {
        var (definition, latest) = TurnoutCase();
        latest[0] = (latest[0].Station, latest[1].Protocol);

        Assert.Throws<ArgumentException>(() => Assess(definition, latest));
    }

    [Fact]
    public void Assess_InvalidOptions_ThrowsWithTheValidationMessage()
    {
        var (definition, latest) = TurnoutCase();

        var error = Assert.Throws<ArgumentException>(() => Assess(definition, latest, new AnomalyOptions { MinimumPeers = 1 }));
        Assert.StartsWith("Review:Anomalies:MinimumPeers must be at least 3 (was 1).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_TwentyThousandStations_OneOutlierFoundQuickly()
    {
        // O(n log n) per comparison: 20,000 stations and 7 comparisons (turnout, 3 parties, 4 candidates) take
        // milliseconds; an O(n²) median would take minutes. Turnouts cycle through 40 %...59 %, one station has 95 %.
        const int Stations = 20_000;
        var definition = Municipality(Registered(Stations, 1000));
        var used = Enumerable.Range(0, Stations).Select(i => i == 12_345 ? 950L : 400 + (i % 20 * 10)).ToArray();
        var latest = Latest(definition, used.Select(u => (u, u / 2, u - (u / 2))).ToArray());
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = Assess(definition, latest);

        watch.Stop();
        Assert.Equal(Stations, result.Count);
        var flag = Assert.Single(AllFlags(result));
        Assert.Same(flag, Assert.Single(result["01-0100-12346"]));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }
}
