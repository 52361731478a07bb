using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Transmission.Central.Storage;
using Transmission.Testing;

namespace Transmission.Central.Tests.Storage;

public sealed class StorageUnavailableTests
{
    [Trait("Store", TestStore.SqliteOnly)]
    [Fact]
    public async Task SubmitAsync_WriteLockHeldElsewhere_StorageUnavailableNothingWrittenThenRecovers()
    {
        await using var database = new StorageTestDatabase(new StorageOptions { BusyTimeout = TimeSpan.FromMilliseconds(100), BatchWait = TimeSpan.FromMilliseconds(50) });
        await using var store = database.CreateStore();
        await store.SubmitAsync(TestSubmissions.Make("ST-0000", 1), CancellationToken.None).DefaultTimeout();

        using (var locker = database.OpenRaw())
        {
            using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                begin.ExecuteNonQuery();
            }

            var outcomes = await Task.WhenAll(
                store.SubmitAsync(TestSubmissions.Make("ST-0001", 1, attachments: [TestSubmissions.Attachment("a.jpg", 100, 1)]), CancellationToken.None),
                store.SubmitAsync(TestSubmissions.Make("ST-0002", 1), CancellationToken.None)).DefaultTimeout();

            Assert.All(outcomes, o => Assert.Equal(new StorageUnavailable("SQLITE_BUSY"), o));
            using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        Assert.Equal((1, 1, 1, 0), (database.Count("Submissions"), database.Count("Blobs"), database.Count("LogEntries"), database.Count("SubmissionAttachments")));

        // The condition cleared: the same submissions go through, with the next gap-free index.
        Assert.Equal(new SubmissionStored(1, TestSubmissions.Start), await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout());
        Assert.Equal(new SubmissionStored(2, TestSubmissions.Start), await store.SubmitAsync(TestSubmissions.Make("ST-0002", 1), CancellationToken.None).DefaultTimeout());
        Assert.Contains(database.Logs.Records, r => r.EventId.Id == 3001 && r.Level == LogLevel.Warning);
        database.Logs.AssertNoUnexpectedErrors();
    }

    [Trait("Store", TestStore.SqliteOnly)]
    [Fact]
    public async Task SubmitAsync_ReadOnlyDatabase_StorageUnavailable()
    {
        await using var database = new StorageTestDatabase();
        await using (var writable = database.CreateStore())
        {
            await writable.SubmitAsync(TestSubmissions.Make("ST-0000", 1), CancellationToken.None).DefaultTimeout();
        }

        // Tests run as root here, where file modes do not stop writes; SQLite's read-only open mode
        // gives the same SQLITE_READONLY a read-only file or mount would.
        var readOnly = new SqliteConnectionStringBuilder(database.ConnectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString();
        await using var store = database.CreateStore(CentralDatabase.CreateOptions(readOnly, database.Options));

        var outcome = await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout();
        var events = new SecurityEventStore(store, TimeProvider.System);

        Assert.Equal(new StorageUnavailable("SQLITE_READONLY"), outcome);
        Assert.False(await events.RecordAsync("TEST", null, null, "x", CancellationToken.None).DefaultTimeout());
        Assert.Equal((1, 1), (database.Count("Submissions"), database.Count("LogEntries")));
        database.Logs.AssertNoUnexpectedErrors();
    }
}
