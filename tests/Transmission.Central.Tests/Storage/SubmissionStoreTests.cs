using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Testing;

namespace Transmission.Central.Tests.Storage;

public sealed class SubmissionStoreTests
{
    [Fact]
    public async Task SubmitAsync_New_StoredAndByteForByteAfterReopen()
    {
        await using var database = new StorageTestDatabase();
        var attachments = new[] { TestSubmissions.Attachment("protocol-p1.jpg", 200_000, 1), TestSubmissions.Attachment("protocol-p2.jpg", 3_000, 2) };
        var pending = TestSubmissions.Make("ST-0001", 1, attachments: attachments, flags: ["BALLOTS_NOT_BALANCED", "CONTEST_SUM_MISMATCH"]);
        await using (var store = database.CreateStore())
        {
            var outcome = await store.SubmitAsync(pending, CancellationToken.None).DefaultTimeout();
            Assert.Equal(new SubmissionStored(0, TestSubmissions.Start), outcome);
        }

        // A new context over the same file (the store is gone): everything is there.
        await using var db = database.Open();
        var row = await db.Submissions.Include(s => s.Attachments).SingleAsync().DefaultTimeout();
        Assert.Equal(("ST-0001", 1, SubmissionStatus.Accepted, 0L), (row.StationCode, row.Revision, row.Status, row.LogIndex));
        Assert.Equal(TestSubmissions.Election, row.ElectionId);
        Assert.Equal(pending.PayloadSha256, row.PayloadSha256);
        Assert.Equal(pending.EnvelopeSha256, row.EnvelopeSha256);
        Assert.Equal(pending.SignerCertificateSha256, row.SignerCertificateSha256);
        Assert.Equal(TestSubmissions.Start, row.ReceivedAt);
        Assert.Equal("BALLOTS_NOT_BALANCED,CONTEST_SUM_MISMATCH", row.Flags);
        Assert.Equal(2, row.VerifiedCosignatures);

        var envelope = await db.Blobs.SingleAsync(b => b.Sha256 == pending.EnvelopeSha256).DefaultTimeout();
        Assert.Equal(pending.EnvelopeBytes, envelope.Bytes);
        Assert.Equal(pending.EnvelopeSha256, SHA256.HashData(envelope.Bytes));
        Assert.Equal(SubmissionStore.EnvelopeMediaType, envelope.MediaType);

        Assert.Equal(2, row.Attachments.Count);
        foreach (var (stored, original) in row.Attachments.OrderBy(a => a.Index).Zip(attachments))
        {
            Assert.Equal((original.Name, original.MediaType, original.Bytes.LongLength), (stored.Name, stored.MediaType, stored.Size));
            var blob = await db.Blobs.SingleAsync(b => b.Sha256 == stored.BlobSha256).DefaultTimeout();
            Assert.Equal(original.Bytes, blob.Bytes);
            Assert.Equal(SHA256.HashData(original.Bytes), stored.BlobSha256);
        }

        var entry = await db.LogEntries.SingleAsync().DefaultTimeout();
        Assert.Equal((0L, LogEntryKind.Submission, row.Id), (entry.Index, entry.Kind, entry.SubmissionId!.Value));
        Assert.Equal(SHA256.HashData([0x00, .. pending.EnvelopeBytes]), entry.EntrySha256);
        database.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task SubmitAsync_SamePayloadAgain_DuplicateWithSameLogIndexAndNoNewRow()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        var first = TestSubmissions.Make("ST-0001", 1);
        await store.SubmitAsync(TestSubmissions.Make("ST-0002", 1), CancellationToken.None).DefaultTimeout();
        Assert.Equal(new SubmissionStored(1, TestSubmissions.Start), await store.SubmitAsync(first, CancellationToken.None).DefaultTimeout());

        // The identical envelope, later; and the same payload signed again (different envelope bytes).
        var again = await store.SubmitAsync(first with { ReceivedAt = TestSubmissions.Start.AddMinutes(5) }, CancellationToken.None).DefaultTimeout();
        var resigned = await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1, signature: "sig-2"), CancellationToken.None).DefaultTimeout();

        foreach (var outcome in new[] { again, resigned })
        {
            var duplicate = Assert.IsType<SubmissionDuplicate>(outcome);
            Assert.Equal((1L, TestSubmissions.Start), (duplicate.LogIndex, duplicate.ReceivedAt));
            Assert.Equal(first.EnvelopeSha256, duplicate.EnvelopeSha256);
        }

        Assert.Equal(2, database.Count("Submissions"));
        Assert.Equal(2, database.Count("LogEntries"));
        Assert.Equal(2, database.Count("Blobs"));
        Assert.Equal(0, database.Count("SecurityEvents"));
    }

    [Fact]
    public async Task SubmitAsync_SameRevisionDifferentPayload_ConflictKeptAsEvidenceWithSecurityEventAndNoLogEntry()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        var accepted = TestSubmissions.Make("ST-0001", 1, content: "A=100");
        var rival = TestSubmissions.Make("ST-0001", 1, content: "A=999", attachments: [TestSubmissions.Attachment("p.jpg", 500, 9)], receivedAt: TestSubmissions.Start.AddMinutes(1));
        await store.SubmitAsync(accepted, CancellationToken.None).DefaultTimeout();

        var outcome = await store.SubmitAsync(rival, CancellationToken.None).DefaultTimeout();

        Assert.Equal(accepted.EnvelopeSha256, Assert.IsType<SubmissionConflict>(outcome).ExistingEnvelopeSha256);
        await using var db = database.Open();
        var rows = await db.Submissions.OrderBy(s => s.Id).ToListAsync().DefaultTimeout();
        Assert.Equal([SubmissionStatus.Accepted, SubmissionStatus.Conflict], rows.Select(r => r.Status));
        Assert.Null(rows[1].LogIndex);
        Assert.Equal(rival.EnvelopeBytes, (await db.Blobs.SingleAsync(b => b.Sha256 == rival.EnvelopeSha256).DefaultTimeout()).Bytes);
        Assert.Equal(accepted.EnvelopeBytes, (await db.Blobs.SingleAsync(b => b.Sha256 == accepted.EnvelopeSha256).DefaultTimeout()).Bytes);
        Assert.Equal(1, database.Count("SubmissionAttachments"));
        Assert.Equal(1, database.Count("LogEntries"));
        var securityEvent = await db.SecurityEvents.SingleAsync().DefaultTimeout();
        Assert.Equal((SubmissionStore.ConflictEventKind, rival.ReceivedAt, rival.CallerUri, rival.Peer), (securityEvent.Kind, securityEvent.At, securityEvent.CallerUri, securityEvent.Peer));
        Assert.Contains(Convert.ToHexStringLower(rival.EnvelopeSha256), securityEvent.Detail, StringComparison.Ordinal);

        // The same conflicting envelope again: still a conflict, not stored twice.
        Assert.IsType<SubmissionConflict>(await store.SubmitAsync(rival, CancellationToken.None).DefaultTimeout());
        Assert.Equal(2, database.Count("Submissions"));
        Assert.Equal(2, database.Count("SecurityEvents"));

        // The accepted one is still answered as a duplicate.
        Assert.IsType<SubmissionDuplicate>(await store.SubmitAsync(accepted, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task SubmitAsync_LowerRevisionAfterHigher_StaleNothingStoredButSecurityEvent()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout();
        await store.SubmitAsync(TestSubmissions.Make("ST-0001", 3), CancellationToken.None).DefaultTimeout();
        var (submissions, blobs) = (database.Count("Submissions"), database.Count("Blobs"));

        var outcome = await store.SubmitAsync(TestSubmissions.Make("ST-0001", 2, attachments: [TestSubmissions.Attachment("x.jpg", 100, 3)]), CancellationToken.None).DefaultTimeout();

        Assert.Equal(new SubmissionStale(3), outcome);
        Assert.Equal((submissions, blobs), (database.Count("Submissions"), database.Count("Blobs")));
        Assert.Equal(0, database.Count("SubmissionAttachments"));
        Assert.Equal(2, database.Count("LogEntries"));
        await using var db = database.Open();
        Assert.Equal(SubmissionStore.StaleEventKind, (await db.SecurityEvents.SingleAsync().DefaultTimeout()).Kind);

        // Re-sending the already accepted revision 1 is a duplicate (its receipt), not stale.
        Assert.IsType<SubmissionDuplicate>(await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task SubmitAsync_HigherRevision_StoredAndOtherStationsIndependent()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        Assert.IsType<SubmissionStored>(await store.SubmitAsync(TestSubmissions.Make("ST-0001", 2), CancellationToken.None).DefaultTimeout());
        Assert.IsType<SubmissionStored>(await store.SubmitAsync(TestSubmissions.Make("ST-0002", 1), CancellationToken.None).DefaultTimeout());
        Assert.IsType<SubmissionStored>(await store.SubmitAsync(TestSubmissions.Make("ST-0001", 3), CancellationToken.None).DefaultTimeout());

        var queries = new SubmissionQueries(database.DbOptions);
        Assert.Equal(3, await queries.GetLatestAcceptedRevisionAsync(TestSubmissions.Election, "ST-0001", CancellationToken.None).DefaultTimeout());
        Assert.Equal(1, await queries.GetLatestAcceptedRevisionAsync(TestSubmissions.Election, "ST-0002", CancellationToken.None).DefaultTimeout());
        Assert.Null(await queries.GetLatestAcceptedRevisionAsync(TestSubmissions.Election, "ST-0003", CancellationToken.None).DefaultTimeout());
        Assert.Null(await queries.GetLatestAcceptedRevisionAsync("other-election", "ST-0001", CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task SubmitAsync_SameAttachmentInTwoSubmissions_OneBlobTwoReferences()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        var shared = TestSubmissions.Attachment("same.pdf", 1000, 7);
        await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1, attachments: [shared]), CancellationToken.None).DefaultTimeout();
        await store.SubmitAsync(TestSubmissions.Make("ST-0002", 1, attachments: [shared]), CancellationToken.None).DefaultTimeout();

        Assert.Equal(3, database.Count("Blobs"));
        Assert.Equal(2, database.Count("SubmissionAttachments"));
    }

    [Fact]
    public async Task Queries_StoredSubmission_FoundByEnvelopeWithBlob()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        var pending = TestSubmissions.Make("ST-0001", 1, attachments: [TestSubmissions.Attachment("a.png", 10, 1)]);
        await store.SubmitAsync(pending, CancellationToken.None).DefaultTimeout();
        var queries = new SubmissionQueries(database.DbOptions);

        var found = await queries.FindByEnvelopeAsync(pending.EnvelopeSha256, CancellationToken.None).DefaultTimeout();

        Assert.NotNull(found);
        Assert.Equal((0L, 1), (found.LogIndex, found.Attachments.Count));
        Assert.Equal(pending.EnvelopeBytes, await queries.GetBlobAsync(pending.EnvelopeSha256, CancellationToken.None).DefaultTimeout());
        Assert.Null(await queries.FindByEnvelopeAsync(new byte[32], CancellationToken.None).DefaultTimeout());
        Assert.Null(await queries.GetBlobAsync(new byte[32], CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task SubmitAsync_HashNot32Bytes_ArgumentException()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        var bad = TestSubmissions.Make("ST-0001", 1) with { PayloadSha256 = new byte[31] };

        await Assert.ThrowsAsync<ArgumentException>(() => store.SubmitAsync(bad, CancellationToken.None)).DefaultTimeout();
        Assert.Equal(0, database.Count("Submissions"));
    }

    [Fact]
    public async Task RecordAsync_SecurityEvent_StoredWithClockTime()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        var events = new SecurityEventStore(store, new FixedTimeProvider(TestSubmissions.Start.AddHours(2)));

        Assert.True(await events.RecordAsync("CALLER_UNTRUSTED", "10.0.0.9:4444", null, "certificate revoked", CancellationToken.None).DefaultTimeout());

        await using var db = database.Open();
        var stored = await db.SecurityEvents.SingleAsync().DefaultTimeout();
        Assert.Equal(("CALLER_UNTRUSTED", "10.0.0.9:4444", (string?)null, "certificate revoked", TestSubmissions.Start.AddHours(2)), (stored.Kind, stored.Peer, stored.CallerUri, stored.Detail, stored.At));
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
