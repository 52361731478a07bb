using Transmission.Audit.Bundle;
using Transmission.Audit.Tests.Fixtures;
using Transmission.Audit.Verification;
using Transmission.Testing;

namespace Transmission.Audit.Tests.Verification;

public sealed class CleanBundleTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    [Fact]
    public async Task Verify_UntouchedBundle_NoFindings()
    {
        var report = await BundleFixture.VerifyAsync(fixture.Bundle, fixture.PinnedRoot, fixture.SavedCheckpoints).DefaultTimeout();

        Assert.True(report.IsClean, string.Join("\n", report.Findings));
        Assert.Equal(RootSource.Pinned, report.RootSource);
        Assert.Equal(fixture.Election.Entries.Count, report.LogSize);
    }

    [Fact]
    public async Task Verify_UntouchedBundle_CountsEverythingChecked()
    {
        var election = fixture.Election;
        var report = await BundleFixture.VerifyAsync(fixture.Bundle, fixture.PinnedRoot, fixture.SavedCheckpoints).DefaultTimeout();

        var counts = report.Counts;
        Assert.Equal(election.Submissions.Count, counts.Submissions);
        Assert.Equal(election.Submissions.Count, counts.SubmissionsVerified);
        Assert.Equal(election.Entries.Count(e => e.Kind == BundleEntryKind.Decision), counts.Decisions);
        Assert.Equal(1, counts.Revocations);
        Assert.Equal(2, counts.Crls);
        Assert.Equal(1, counts.RevokedSerials);
        Assert.Equal(2, counts.CoSignaturesVerified);
        Assert.Equal(2, counts.SubmissionsFlagged);
        Assert.Equal(3, counts.AttachmentsChecked);
        Assert.Equal(2, counts.SavedCheckpoints);
        Assert.Equal(1, counts.EvidenceEnvelopes);
        Assert.Equal(election.Submissions.Select(s => s.Station).Distinct().Count(), counts.StationsReported);
        Assert.True(counts.TotalsNumbersCompared > 100);
    }

    [Fact]
    public async Task Verify_RevokedStationSignedBefore_ListedAsValidNote()
    {
        var election = fixture.Election;
        var report = await BundleFixture.VerifyAsync(fixture.Bundle, fixture.PinnedRoot, fixture.SavedCheckpoints).DefaultTimeout();

        var note = Assert.Single(report.Notes, n => n.Kind == AuditNoteKinds.SignedBeforeRevocation);
        var submission = election.Submissions.Single(s => s.Station == election.RevokedStation);
        Assert.Equal(submission.Index, note.Index);
        Assert.Equal(election.RevokedStation, note.Station);
        Assert.Equal(1, note.Revision);
        Assert.Equal(election.Signers[election.RevokedStation].Serial, note.Serial);
        Assert.EndsWith("signed before revocation, valid.", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ConflictEvidence_Noted()
    {
        var report = await BundleFixture.VerifyAsync(fixture.Bundle, fixture.PinnedRoot, fixture.SavedCheckpoints).DefaultTimeout();

        var note = Assert.Single(report.Notes, n => n.Kind == AuditNoteKinds.ConflictEvidence);
        Assert.Equal(fixture.Election.ConflictStation, note.Station);
    }

    [Fact]
    public async Task Verify_WithoutPinnedRoot_CleanAndSaysTheRootCameFromTheBundle()
    {
        var report = await BundleVerifier.VerifyAsync(BundleReader.Open(fixture.Bundle), new AuditOptions()).DefaultTimeout();

        Assert.True(report.IsClean, string.Join("\n", report.Findings));
        Assert.Equal(RootSource.Bundle, report.RootSource);
    }

    [Fact]
    public async Task Verify_OneEntryPerBatchOnOneCore_SameReport()
    {
        var options = new AuditOptions { BatchSize = 1, MaxDegreeOfParallelism = 1 };
        var report = await BundleVerifier.VerifyAsync(BundleReader.Open(fixture.Bundle), options).DefaultTimeout();

        Assert.True(report.IsClean, string.Join("\n", report.Findings));
        Assert.Equal(fixture.Election.Entries.Count, report.LogSize);
    }
}
