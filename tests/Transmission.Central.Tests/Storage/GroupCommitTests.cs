using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Testing;

namespace Transmission.Central.Tests.Storage;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task SubmitAsync_500From50ConcurrentTasks_GapFreeLogAndFewerTransactions()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        var outcomes = new ConcurrentBag<SubmissionOutcome>();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(task => Task.Run(async () =>
        {
            for (var revision = 1; revision <= 10; revision++)
            {
                outcomes.Add(await store.SubmitAsync(TestSubmissions.Make($"ST-{task:D4}", revision), CancellationToken.None));
            }
        }))).DefaultTimeout();

        var indexes = outcomes.Select(o => Assert.IsType<SubmissionStored>(o).LogIndex).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), indexes);
        Assert.True(store.CommittedTransactions < 500, $"{store.CommittedTransactions} transactions for 500 submissions: no batching happened.");

        await using var db = database.Open();
        var logged = await db.LogEntries.OrderBy(e => e.Index).Select(e => e.Index).ToListAsync().DefaultTimeout();
        Assert.Equal(indexes, logged);
        Assert.Equal(500, await db.Submissions.Select(s => s.LogIndex).Distinct().CountAsync().DefaultTimeout());
        database.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task SubmitAsync_DuplicatesAndConflictRacingInOneBatch_OneStoredRestDuplicateOrConflict()
    {
        // A long window so that every concurrent call lands in the same transaction.
        await using var database = new StorageTestDatabase(new StorageOptions { BatchWait = TimeSpan.FromMilliseconds(500) });
        await using var store = database.CreateStore();
        var same = Enumerable.Range(0, 10).Select(i => TestSubmissions.Make("ST-0001", 1, signature: $"sig-{i % 3}")).ToList();
        var rival = TestSubmissions.Make("ST-0001", 1, content: "other");

        var tasks = new List<Task<SubmissionOutcome>>();
        foreach (var pending in same.Append(rival))
        {
            tasks.Add(store.SubmitAsync(pending, CancellationToken.None));
        }

        var outcomes = await Task.WhenAll(tasks).DefaultTimeout();

        Assert.Equal(1, store.CommittedTransactions);
        Assert.Equal(new SubmissionStored(0, TestSubmissions.Start), outcomes[0]);
        foreach (var outcome in outcomes[1..10])
        {
            var duplicate = Assert.IsType<SubmissionDuplicate>(outcome);
            Assert.Equal((0L, same[0].EnvelopeSha256), (duplicate.LogIndex, duplicate.EnvelopeSha256));
        }

        Assert.Equal(same[0].EnvelopeSha256, Assert.IsType<SubmissionConflict>(outcomes[10]).ExistingEnvelopeSha256);
        Assert.Equal(2, database.Count("Submissions"));
        Assert.Equal(1, database.Count("LogEntries"));
        Assert.Equal(1, database.Count("SecurityEvents"));
    }

    [Fact]
    public async Task SubmitAsync_SameEnvelopeTwiceInOneBatch_TheDuplicateCarriesTheStoredReceipt()
    {
        // A station that retries while its first call is still in flight (a stalled connection, a call deadline) can
        // have both copies land in the same transaction. The copy decided second is a duplicate of a row that has no
        // receipt yet when it is decided; it must still be answered with that row's receipt, not with none.
        await using var database = new StorageTestDatabase(new StorageOptions { BatchWait = TimeSpan.FromMilliseconds(500) });
        using var issuer = new TestLogIssuer();
        await using var store = database.CreateStore(logIssuer: issuer);
        var pending = TestSubmissions.Make("ST-0001", 1);
        var resigned = TestSubmissions.Make("ST-0001", 1, signature: "sig-2");

        var outcomes = await Task.WhenAll(
            store.SubmitAsync(pending, CancellationToken.None),
            store.SubmitAsync(pending, CancellationToken.None),
            store.SubmitAsync(resigned, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(1, store.CommittedTransactions);
        var stored = Assert.IsType<SubmissionStored>(outcomes[0]);
        Assert.NotNull(stored.Receipt);
        foreach (var outcome in outcomes[1..])
        {
            var duplicate = Assert.IsType<SubmissionDuplicate>(outcome);
            Assert.Equal((0L, pending.EnvelopeSha256), (duplicate.LogIndex, duplicate.EnvelopeSha256));
            Assert.Equal(stored.Receipt, duplicate.Receipt);
        }

        await using var db = database.Open();
        Assert.Equal(stored.Receipt, (await db.Submissions.SingleAsync().DefaultTimeout()).ReceiptBytes);
        Assert.Equal(1, database.Count("LogEntries"));
        database.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task SubmitAsync_StaleRacingInOneBatch_DecidedInQueueOrder()
    {
        await using var database = new StorageTestDatabase(new StorageOptions { BatchWait = TimeSpan.FromMilliseconds(500) });
        await using var store = database.CreateStore();

        var outcomes = await Task.WhenAll(
            store.SubmitAsync(TestSubmissions.Make("ST-0001", 2), CancellationToken.None),
            store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None)).DefaultTimeout();

        Assert.Equal(1, store.CommittedTransactions);
        Assert.IsType<SubmissionStored>(outcomes[0]);
        Assert.Equal(new SubmissionStale(2), outcomes[1]);
        Assert.Equal(1, database.Count("Submissions"));
    }

    [Fact]
    public async Task SubmitAsync_TaskCompletes_RowAlreadyVisibleFromAnotherConnection()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        var notVisible = new ConcurrentBag<string>();

        var tasks = Enumerable.Range(0, 100).Select(i =>
        {
            var pending = TestSubmissions.Make($"ST-{i:D4}", 1);
            return store.SubmitAsync(pending, CancellationToken.None).ContinueWith(
                completed =>
                {
                    // Runs as soon as the task completes: a separate connection must already see the commit.
                    using var connection = database.OpenRaw();
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT COUNT(*) FROM \"Submissions\" s JOIN \"Blobs\" b ON b.\"Sha256\" = s.\"EnvelopeSha256\" JOIN \"LogEntries\" e ON e.\"Index\" = s.\"LogIndex\" WHERE s.\"EnvelopeSha256\" = @sha";
                    var sha = command.CreateParameter();
                    sha.ParameterName = "@sha";
                    sha.Value = pending.EnvelopeSha256;
                    command.Parameters.Add(sha);
                    if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 1)
                    {
                        notVisible.Add(pending.StationCode);
                    }

                    return completed.Result;
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }).ToList();
        await Task.WhenAll(tasks).DefaultTimeout();

        Assert.Empty(notVisible);
    }

    [Fact]
    public async Task DisposeAsync_QueuedWrites_CommittedThenRefused()
    {
        await using var database = new StorageTestDatabase(new StorageOptions { BatchWait = TimeSpan.FromMilliseconds(200) });
        var store = database.CreateStore();
        var queued = store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None);

        await store.DisposeAsync().DefaultTimeout();

        Assert.IsType<SubmissionStored>(await queued.DefaultTimeout());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.SubmitAsync(TestSubmissions.Make("ST-0002", 1), CancellationToken.None)).DefaultTimeout();
    }
}
