using Transmission.Contracts.V1;
using Transmission.Verifier.Terminal;
using Transmission.Verifier.Totals;

namespace Transmission.Verifier.Tests.Totals;

public sealed class TotalsReportTests
{
    [Theory]
    [InlineData(1UL, 3UL, "33.33%")]
    [InlineData(2UL, 3UL, "66.67%")]
    [InlineData(1UL, 8UL, "12.50%")]
    [InlineData(1UL, 200UL, "0.50%")]
    [InlineData(1UL, 400UL, "0.25%")]
    [InlineData(1UL, 800UL, "0.13%")]
    [InlineData(7UL, 7UL, "100.00%")]
    [InlineData(0UL, 7UL, "0.00%")]
    [InlineData(0UL, 0UL, "-")]
    [InlineData(5UL, 0UL, "-")]
    [InlineData(ulong.MaxValue, ulong.MaxValue, "100.00%")]
    public void Percent_PartOfWhole_TwoDecimalsOrDash(ulong part, ulong whole, string expected) =>
        Assert.Equal(expected, TotalsReport.Percent(part, whole));

    [Fact]
    public void Render_Totals_ChoicesWithProvisionalAndCertifiedShares()
    {
        var totals = new Contracts.V1.Totals
        {
            Mode = ElectionMode.Test,
            StationsRegistered = 4,
            StationsReported = 3,
            StationsCertified = 1,
            RegisteredVoters = 4000,
            RegisteredVotersReported = 3000,
            RegisteredVotersCertified = 1000,
            BallotsUsedProvisional = 1500,
            BallotsUsedCertified = 600,
            Pending = 2,
            FlaggedPending = 1,
            EventsApplied = 4,
            Contests =
            {
                new ContestTotals
                {
                    ContestId = "parties",
                    Provisional = { Choice("P01", 700), Choice("P02", 500), Choice("P03", 300) },
                    Certified = { Choice("P01", 300), Choice("P02", 200), Choice("P03", 100) },
                },
            },
        };

        var lines = Render(totals);

        Assert.Contains("TEST ELECTION (rehearsal): totals for the whole election as of - (4 submissions and decisions applied)", lines);
        Assert.Contains("stations: 4 registered, 3 reported (75.00%), 1 certified (25.00%); 2 pending review (1 flagged)", lines);
        Assert.Contains(lines, l => l.StartsWith("turnout: provisional 50.00% (1500 ballots used of 3000 registered in reported stations); certified 60.00% (600 of 1000 in certified stations)", StringComparison.Ordinal));
        Assert.Contains("contest parties", lines);
        Assert.Matches(@"^\W*P01\W+700\W+46\.67%\W+300\W+50\.00%\W*$", Row(lines, "P01"));
        Assert.Matches(@"^\W*P02\W+500\W+33\.33%\W+200\W+33\.33%\W*$", Row(lines, "P02"));
        Assert.Matches(@"^\W*P03\W+300\W+20\.00%\W+100\W+16\.67%\W*$", Row(lines, "P03"));
        Assert.Matches(@"^\W*total\W+1500\W+100\.00%\W+600\W+100\.00%\W*$", Row(lines, "total"));
    }

    [Fact]
    public void Render_NothingReportedYet_DashesInsteadOfDivisionByZero()
    {
        var totals = new Contracts.V1.Totals
        {
            Mode = ElectionMode.Live,
            Municipality = "01",
            Contests = { new ContestTotals { ContestId = "parties", Provisional = { Choice("P01", 0), Choice("P02", 0) }, Certified = { Choice("P01", 0), Choice("P02", 0) } } },
        };

        var lines = Render(totals);

        Assert.Contains("LIVE ELECTION: totals for municipality 01 as of - (0 submissions and decisions applied)", lines);
        Assert.Contains("stations: 0 registered, 0 reported (-), 0 certified (-); 0 pending review (0 flagged)", lines);
        Assert.Contains(lines, l => l.StartsWith("turnout: provisional - (0 ballots used of 0 registered in reported stations); certified - (0 of 0", StringComparison.Ordinal));
        Assert.Matches(@"^\W*P01\W+0\W+-\W+0\W+-\W*$", Row(lines, "P01"));
        Assert.Matches(@"^\W*total\W+0\W+-\W+0\W+-\W*$", Row(lines, "total"));
    }

    [Fact]
    public void Render_WholeElection_MunicipalityProgressTable()
    {
        var totals = new Contracts.V1.Totals
        {
            Municipalities =
            {
                new MunicipalityProgress { Code = "01", Name = "Prishtinë", StationsRegistered = 2, StationsReported = 1, StationsCertified = 0, Pending = 1, FlaggedPending = 1, RegisteredVotersReported = 812, BallotsUsedProvisional = 406 },
                new MunicipalityProgress { Code = "02", Name = "Prizren", StationsRegistered = 1 },
            },
        };

        var lines = Render(totals);

        Assert.Contains("reporting by municipality", lines);
        Assert.Matches(@"01\W+Prishtinë\W+2\W+1 \(50\.00%\)\W+0\W+1\W+1\W+50\.00%", Row(lines, "Prishtinë"));
        Assert.Matches(@"02\W+Prizren\W+1\W+0 \(0\.00%\)\W+0\W+0\W+0\W+-", Row(lines, "Prizren"));
    }

    private static ChoiceTotal Choice(string id, ulong votes) => new() { ChoiceId = id, Votes = votes };

    private static string[] Render(Contracts.V1.Totals totals)
    {
        var output = new StringWriter();
        TotalsReport.Render(VerifierConsole.Create(output), totals);
        var text = output.ToString();
        Assert.DoesNotContain('\u001b', text);
        return text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }

    private static string Row(string[] lines, string first) =>
        Assert.Single(lines, l => l.Contains(" " + first + " ", StringComparison.Ordinal));
}
