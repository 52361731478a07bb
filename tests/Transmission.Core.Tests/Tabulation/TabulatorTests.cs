using Transmission.Core.Election;
using Transmission.Core.Review;
using Transmission.Core.Tabulation;
using Transmission.Core.Tests.Election;
using static Transmission.Core.Tests.Tabulation.TabulationTestData;

namespace Transmission.Core.Tests.Tabulation;

public sealed class TabulatorTests
{
    private const string A = "01-0001-01"; // municipality 01, 812 registered
    private const string B = "01-0001-02"; // municipality 01, 640 registered
    private const string C = "02-0001-01"; // municipality 02, 0 registered

    private readonly ElectionDefinition _definition = TestDefinitions.Definition;

    private static long Votes(AreaTally area, string contest, string choice) =>
        area.Contests.Single(c => c.ContestId == contest).Choices.Single(c => c.ChoiceId == choice).Votes;

    [Fact]
    public void Snapshot_NothingReported_ZerosInDefinitionOrderWithRegistry()
    {
        var snapshot = new Tabulator(_definition).Snapshot();

        var overall = snapshot.Provisional.Overall;
        Assert.Null(overall.MunicipalityCode);
        Assert.Equal(["parties", "candidates"], overall.Contests.Select(c => c.ContestId));
        Assert.Equal(["P01", "P02", "P03"], overall.Contests[0].Choices.Select(c => c.ChoiceId));
        Assert.All(overall.Contests.SelectMany(c => c.Choices), c => Assert.Equal(0, c.Votes));
        Assert.Equal(3, overall.StationsRegistered);
        Assert.Equal(812 + 640, overall.RegisteredVotersAll);
        Assert.Equal(0, overall.StationsReported);
        Assert.Null(overall.TurnoutOfReported);
        Assert.Equal(0.0, overall.TurnoutOfAll);
        Assert.Equal(["01", "02"], snapshot.Certified.Municipalities.Select(m => m.MunicipalityCode));
        Assert.Equal(0, snapshot.PendingSubmissions);
    }

    [Fact]
    public void Snapshot_MunicipalitiesListedOutOfOrder_SortedByCode()
    {
        var bytes = TestDefinitions.With(root =>
        {
            var municipalities = root["municipalities"]!.AsArray();
            var first = municipalities[0]!;
            municipalities.RemoveAt(0);
            municipalities.Add(first);
        });
        var definition = ElectionDefinition.Parse(bytes).Definition!;
        Assert.Equal("02", definition.Municipalities[0].Code);

        var snapshot = new Tabulator(definition).Snapshot();

        Assert.Equal(["01", "02"], snapshot.Provisional.Municipalities.Select(m => m.MunicipalityCode));
    }

    [Fact]
    public void Apply_Correction_ReplacesEarlierRevisionWithoutDoubleCounting()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300, p02: 200));
        tabulator.Apply(Submission(_definition, A, 2, used: 610, p01: 310, p02: 200));

        var overall = tabulator.Snapshot().Provisional.Overall;

        Assert.Equal(310, Votes(overall, "parties", "P01"));
        Assert.Equal(200, Votes(overall, "parties", "P02"));
        Assert.Equal(310, Votes(overall, "candidates", "P01-C01"));
        Assert.Equal(610, overall.BallotsUsed);
        Assert.Equal(1, overall.StationsReported);
        Assert.Equal(812, overall.RegisteredVotersReported);
    }

    [Fact]
    public void Apply_LowerRevisionAfterHigher_ProvisionalKeepsHigher()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 2, used: 610, p01: 310));
        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300));

        Assert.Equal(310, Votes(tabulator.Snapshot().Provisional.Overall, "parties", "P01"));
    }

    [Fact]
    public void Apply_PendingSubmission_ProvisionalOnlyUntilAccepted()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300));

        var before = tabulator.Snapshot();
        Assert.Equal(300, Votes(before.Provisional.Overall, "parties", "P01"));
        Assert.Equal(0, Votes(before.Certified.Overall, "parties", "P01"));
        Assert.Equal(0, before.Certified.Overall.StationsReported);
        Assert.Equal(1, before.PendingSubmissions);

        tabulator.Apply(new DecisionRecorded(A, 1, ReviewState.Accepted));

        var after = tabulator.Snapshot();
        Assert.Equal(300, Votes(after.Certified.Overall, "parties", "P01"));
        Assert.Equal(1, after.Certified.Overall.StationsReported);
        Assert.Equal(0, after.PendingSubmissions);
    }

    [Theory]
    [InlineData(ReviewState.Rejected)]
    [InlineData(ReviewState.RecountRequested)]
    public void Apply_NotAccepted_NeverCertified(ReviewState state)
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300));
        tabulator.Apply(new DecisionRecorded(A, 1, state));

        var snapshot = tabulator.Snapshot();
        Assert.Equal(0, Votes(snapshot.Certified.Overall, "parties", "P01"));
        Assert.Equal(300, Votes(snapshot.Provisional.Overall, "parties", "P01"));
        Assert.Equal(0, snapshot.PendingSubmissions);
    }

    [Theory]
    [InlineData(ReviewState.Pending)]
    [InlineData(ReviewState.Rejected)]
    [InlineData(ReviewState.RecountRequested)]
    public void Apply_LaterRevisionNotAccepted_EarlierAcceptedStaysCertified(ReviewState laterState)
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300));
        tabulator.Apply(new DecisionRecorded(A, 1, ReviewState.Accepted));
        tabulator.Apply(Submission(_definition, A, 2, used: 650, p01: 350));
        if (laterState != ReviewState.Pending)
        {
            tabulator.Apply(new DecisionRecorded(A, 2, laterState));
        }

        var snapshot = tabulator.Snapshot();
        Assert.Equal(300, Votes(snapshot.Certified.Overall, "parties", "P01"));
        Assert.Equal(600, snapshot.Certified.Overall.BallotsUsed);
        Assert.Equal(350, Votes(snapshot.Provisional.Overall, "parties", "P01"));
        Assert.Equal(1, snapshot.Certified.Overall.StationsReported);
    }

    [Fact]
    public void Apply_LaterRevisionAccepted_SupersedesEarlierAccepted()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300));
        tabulator.Apply(new DecisionRecorded(A, 1, ReviewState.Accepted));
        tabulator.Apply(Submission(_definition, A, 2, used: 650, p01: 350));
        tabulator.Apply(new DecisionRecorded(A, 2, ReviewState.Rejected));
        tabulator.Apply(Submission(_definition, A, 3, used: 640, p01: 340));
        tabulator.Apply(new DecisionRecorded(A, 3, ReviewState.Accepted));

        var certified = tabulator.Snapshot().Certified.Overall;
        Assert.Equal(340, Votes(certified, "parties", "P01"));
        Assert.Equal(640, certified.BallotsUsed);
        Assert.Equal(1, certified.StationsReported);
    }

    [Fact]
    public void Apply_DecisionBeforeSubmission_AppliedWhenSubmissionArrives()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(new DecisionRecorded(A, 1, ReviewState.Accepted));

        Assert.Equal(0, tabulator.Snapshot().Certified.Overall.StationsReported);

        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300));

        var snapshot = tabulator.Snapshot();
        Assert.Equal(300, Votes(snapshot.Certified.Overall, "parties", "P01"));
        Assert.Equal(0, snapshot.PendingSubmissions);
    }

    [Fact]
    public void Apply_DecisionsOutOfOrder_HighestAcceptedRevisionWins()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300));
        tabulator.Apply(Submission(_definition, A, 2, used: 650, p01: 350));
        tabulator.Apply(new DecisionRecorded(A, 2, ReviewState.Accepted));
        tabulator.Apply(new DecisionRecorded(A, 1, ReviewState.Accepted));

        Assert.Equal(350, Votes(tabulator.Snapshot().Certified.Overall, "parties", "P01"));
    }

    [Fact]
    public void Snapshot_FlaggedAndPending_CountLatestRevisionPerStation()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, 600, 300, flags: "BALLOTS_NOT_BALANCED"));
        tabulator.Apply(Submission(_definition, B, 1, 500, 250));
        tabulator.Apply(Submission(_definition, C, 1, 5, 5, flags: "USED_EXCEEDS_REGISTERED"));
        tabulator.Apply(new DecisionRecorded(C, 1, ReviewState.Accepted));

        var snapshot = tabulator.Snapshot();
        Assert.Equal(2, snapshot.PendingSubmissions);
        Assert.Equal(2, snapshot.FlaggedSubmissions);
        Assert.Equal(1, snapshot.FlaggedPendingSubmissions);

        // A clean correction of A replaces the flagged revision 1 in the queue.
        tabulator.Apply(Submission(_definition, A, 2, 600, 300));

        snapshot = tabulator.Snapshot();
        Assert.Equal(2, snapshot.PendingSubmissions);
        Assert.Equal(1, snapshot.FlaggedSubmissions);
        Assert.Equal(0, snapshot.FlaggedPendingSubmissions);
    }

    [Fact]
    public void Snapshot_TurnoutAndProgress_OverallAndPerMunicipality()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 406, p01: 406));

        var provisional = tabulator.Snapshot().Provisional;
        Assert.Equal(0.5, provisional.Overall.TurnoutOfReported);
        Assert.Equal(406.0 / (812 + 640), provisional.Overall.TurnoutOfAll);
        Assert.Equal(1.0 / 3, provisional.Overall.ReportingProgress);
        var m01 = provisional.Municipalities[0];
        Assert.Equal(0.5, m01.ReportingProgress);
        Assert.Equal(812 + 640, m01.RegisteredVotersAll);
        var m02 = provisional.Municipalities[1];
        Assert.Equal(0, m02.StationsReported);
        Assert.Null(m02.TurnoutOfAll);
        Assert.Equal(0.0, m02.ReportingProgress);
    }

    [Fact]
    public void Apply_ProvisionalTotalWouldOverflow_ThrowsAndChangesNothing()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 1, p01: long.MaxValue - 1));
        var before = Flatten(tabulator.Snapshot());

        Assert.Throws<OverflowException>(() => tabulator.Apply(Submission(_definition, B, 1, used: 1, p01: 2)));

        Assert.Equal(before, Flatten(tabulator.Snapshot()));
        // The refused submission was not recorded: the same revision can still be applied once it fits.
        tabulator.Apply(Submission(_definition, B, 1, used: 1, p01: 1));
        Assert.Equal(long.MaxValue, Votes(tabulator.Snapshot().Provisional.Overall, "parties", "P01"));
    }

    [Fact]
    public void Apply_CertifiedTotalWouldOverflow_ThrowsAndKeepsDecisionUnapplied()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 1, p01: long.MaxValue - 1));
        tabulator.Apply(new DecisionRecorded(A, 1, ReviewState.Accepted));
        tabulator.Apply(Submission(_definition, A, 2, used: 1, p01: 0));
        tabulator.Apply(Submission(_definition, B, 1, used: 1, p01: 2));
        var before = Flatten(tabulator.Snapshot());

        Assert.Throws<OverflowException>(() => tabulator.Apply(new DecisionRecorded(B, 1, ReviewState.Accepted)));

        Assert.Equal(before, Flatten(tabulator.Snapshot()));
        Assert.Equal(2, tabulator.Snapshot().PendingSubmissions);
    }

    [Fact]
    public void Apply_SameRevisionTwice_Throws()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300));

        Assert.Throws<InvalidOperationException>(() => tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300)));
        Assert.Equal(300, Votes(tabulator.Snapshot().Provisional.Overall, "parties", "P01"));
    }

    [Fact]
    public void Apply_UnknownStationOrChoice_Throws()
    {
        var tabulator = new Tabulator(_definition);
        var unknownStation = Submission(_definition, "99-9999-99", 1, 1, 1);
        var unknownChoice = Submission(_definition, A, 1, 1, 1);
        unknownChoice = unknownChoice with
        {
            Protocol = unknownChoice.Protocol with { Contests = [new("parties", [new("P99", 1)])] },
        };

        Assert.Throws<ArgumentException>(() => tabulator.Apply(unknownStation));
        Assert.Throws<ArgumentException>(() => tabulator.Apply(unknownChoice));
        Assert.Throws<ArgumentException>(() => tabulator.Apply(new DecisionRecorded("99-9999-99", 1, ReviewState.Accepted)));
        Assert.Equal(0, tabulator.Snapshot().Provisional.Overall.StationsReported);
    }
    [Fact]
    public void Forget_RevisionsBelowTheLatest_TotalsUnchangedOnlyCountedRevisionsKept()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300));
        tabulator.Apply(new DecisionRecorded(A, 1, ReviewState.Accepted));
        tabulator.Apply(Submission(_definition, A, 2, used: 650, p01: 350));
        tabulator.Apply(new DecisionRecorded(A, 2, ReviewState.Rejected));
        tabulator.Apply(Submission(_definition, A, 3, used: 640, p01: 340, flags: "BALLOTS_NOT_BALANCED"));
        tabulator.Apply(Submission(_definition, B, 1, used: 500, p01: 250));
        var before = Flatten(tabulator.Snapshot());
        Assert.Equal(4, tabulator.RevisionsKept);

        tabulator.Forget(A, 3);

        // Revision 2 (rejected, superseded) is gone; 1 (certified) and 3 (provisional) stay, and every total is the same.
        Assert.Equal(3, tabulator.RevisionsKept);
        Assert.Equal(before, Flatten(tabulator.Snapshot()));

        // Accepting the latest makes it certified; forgetting again lets go of the revision certified before.
        tabulator.Apply(new DecisionRecorded(A, 3, ReviewState.Accepted));
        tabulator.Forget(A, 3);

        var snapshot = tabulator.Snapshot();
        Assert.Equal(2, tabulator.RevisionsKept);
        Assert.Equal(340 + 250, Votes(snapshot.Provisional.Overall, "parties", "P01"));
        Assert.Equal(340, Votes(snapshot.Certified.Overall, "parties", "P01"));
        Assert.Equal(1, snapshot.PendingSubmissions);
    }

    [Fact]
    public void Apply_EventForAForgottenRevision_ThrowsAndChangesNothing()
    {
        var tabulator = new Tabulator(_definition);
        tabulator.Apply(Submission(_definition, A, 1, used: 600, p01: 300));
        tabulator.Apply(new DecisionRecorded(A, 1, ReviewState.Accepted));
        tabulator.Apply(Submission(_definition, A, 2, used: 650, p01: 350));
        tabulator.Apply(Submission(_definition, A, 3, used: 640, p01: 340));
        tabulator.Forget(A, 3);
        var before = Flatten(tabulator.Snapshot());

        // Revision 1 is still held (it is certified) but below the line as well: a decision on it would need the
        // forgotten revision 2 to decide what is certified.
        var onKept = Assert.Throws<InvalidOperationException>(() => tabulator.Apply(new DecisionRecorded(A, 1, ReviewState.Rejected)));
        var onDropped = Assert.Throws<InvalidOperationException>(() => tabulator.Apply(new DecisionRecorded(A, 2, ReviewState.Accepted)));
        var lateSubmission = Assert.Throws<InvalidOperationException>(() => tabulator.Apply(Submission(_definition, A, 2, used: 650, p01: 350)));

        Assert.Equal("Revision 1 of station 01-0001-01 is below revision 3, which the tabulator was told no event would come for; it cannot be counted.", onKept.Message);
        Assert.Contains("Revision 2 of station 01-0001-01", onDropped.Message, StringComparison.Ordinal);
        Assert.Contains("Revision 2 of station 01-0001-01", lateSubmission.Message, StringComparison.Ordinal);
        Assert.Equal(before, Flatten(tabulator.Snapshot()));

        // At the line and above, events go on as before.
        tabulator.Apply(new DecisionRecorded(A, 3, ReviewState.Accepted));
        tabulator.Apply(Submission(_definition, A, 4, used: 630, p01: 330));
        Assert.Equal(340, Votes(tabulator.Snapshot().Certified.Overall, "parties", "P01"));
        Assert.Equal(330, Votes(tabulator.Snapshot().Provisional.Overall, "parties", "P01"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Forget_RevisionBelowOne_Throws(int revision)
    {
        var tabulator = new Tabulator(_definition);

        Assert.Throws<ArgumentOutOfRangeException>(() => tabulator.Forget(A, revision));
    }
}
