using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Testing;

namespace Transmission.Central.Tests.Storage;

/// <summary>
/// A CRL put in force is stored once with one log entry per serial no earlier stored CRL revoked, in the writer's
/// transaction, with the next gap-free indexes. The contents are made up; Central's own entry bytes are tested end to end.
/// </summary>
public sealed class RevocationListStoreTests
{
    private static readonly DateTimeOffset LoadedAt = new(2026, 10, 25, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task StoreRevocationList_New_RowAndOneEntryPerSerialAfterTheSubmissions()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout();
        var list = List(1, ("0A", "urn:transmission:station:ST-0001"), ("0B", string.Empty));

        var outcome = await store.StoreRevocationListAsync(list, CancellationToken.None).DefaultTimeout();

        var stored = Assert.IsType<RevocationListStored>(outcome);
        Assert.Equal(new Dictionary<string, long> { ["0A"] = 1, ["0B"] = 2 }, stored.Appended);
        await using var db = database.Open();
        var row = await db.RevocationLists.SingleAsync().DefaultTimeout();
        Assert.Equal((1L, LoadedAt), (row.Number, row.LoadedAt));
        Assert.Equal(list.Der, row.Der);
        Assert.Equal(list.Sha256, row.Sha256);
        var entries = await db.LogEntries.Where(e => e.Kind == LogEntryKind.Revocation).OrderBy(e => e.Index).ToListAsync().DefaultTimeout();
        Assert.Equal([1L, 2L], entries.Select(e => e.Index));
        Assert.Equal(["0A", "0B"], entries.Select(e => e.Reference));
        Assert.Equal(LeafHash(list.Revocations[0].EntryBytes), entries[0].EntrySha256);
        Assert.All(entries, e => Assert.Equal(LoadedAt, e.CreatedAt));
        var revocations = await db.Revocations.OrderBy(r => r.LogIndex).ToListAsync().DefaultTimeout();
        Assert.Equal(["urn:transmission:station:ST-0001", string.Empty], revocations.Select(r => r.SubjectUri));
        Assert.All(revocations, r => Assert.Equal(row.Id, r.RevocationListId));
        Assert.Equal(list.Revocations[1].EntryBytes, revocations[1].EntryBytes);
        database.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task StoreRevocationList_SameAgain_AlreadyStoredNothingWritten()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        var list = List(3, ("0A", string.Empty));
        await store.StoreRevocationListAsync(list, CancellationToken.None).DefaultTimeout();

        var again = await store.StoreRevocationListAsync(list, CancellationToken.None).DefaultTimeout();

        Assert.IsType<RevocationListAlreadyStored>(again);
        Assert.Equal((1, 1, 1), (database.Count("RevocationLists"), database.Count("Revocations"), database.Count("LogEntries")));
    }

    [Fact]
    public async Task StoreRevocationList_NewerWithEarlierSerials_OnlyTheNewSerialsLogged()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        await store.StoreRevocationListAsync(List(1, ("0A", string.Empty)), CancellationToken.None).DefaultTimeout();

        var outcome = await store.StoreRevocationListAsync(List(2, ("0A", string.Empty), ("0C", string.Empty)), CancellationToken.None).DefaultTimeout();

        Assert.Equal(new Dictionary<string, long> { ["0C"] = 1 }, Assert.IsType<RevocationListStored>(outcome).Appended);
        Assert.Equal((2, 2, 2), (database.Count("RevocationLists"), database.Count("Revocations"), database.Count("LogEntries")));
        await using var db = database.Open();
        var second = await db.RevocationLists.SingleAsync(r => r.Number == 2).DefaultTimeout();
        Assert.Equal(second.Id, (await db.Revocations.SingleAsync(r => r.SerialNumber == "0C").DefaultTimeout()).RevocationListId);
    }

    [Fact]
    public async Task StoreRevocationList_NoNewSerial_RowStoredNoEntry()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        await store.StoreRevocationListAsync(List(1, ("0A", string.Empty)), CancellationToken.None).DefaultTimeout();

        var outcome = await store.StoreRevocationListAsync(List(2, ("0A", string.Empty)), CancellationToken.None).DefaultTimeout();

        Assert.Empty(Assert.IsType<RevocationListStored>(outcome).Appended);
        Assert.Equal((2, 1, 1), (database.Count("RevocationLists"), database.Count("Revocations"), database.Count("LogEntries")));
    }

    [Fact]
    public async Task StoreRevocationList_LowerNumber_RefusedNothingWritten()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        await store.StoreRevocationListAsync(List(5, ("0A", string.Empty)), CancellationToken.None).DefaultTimeout();

        var outcome = await store.StoreRevocationListAsync(List(4, ("0B", string.Empty)), CancellationToken.None).DefaultTimeout();

        Assert.Contains("lower than stored CRL number 5", Assert.IsType<RevocationListRefused>(outcome).Reason, StringComparison.Ordinal);
        Assert.Equal((1, 1, 1), (database.Count("RevocationLists"), database.Count("Revocations"), database.Count("LogEntries")));
    }

    [Fact]
    public async Task StoreRevocationList_SameNumberOtherBytes_RefusedNothingWritten()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        await store.StoreRevocationListAsync(List(5, ("0A", string.Empty)), CancellationToken.None).DefaultTimeout();

        var outcome = await store.StoreRevocationListAsync(List(5, ("0A", string.Empty), ("0B", string.Empty)), CancellationToken.None).DefaultTimeout();

        Assert.IsType<RevocationListRefused>(outcome);
        Assert.Equal((1, 1, 1), (database.Count("RevocationLists"), database.Count("Revocations"), database.Count("LogEntries")));
    }

    [Fact]
    public async Task StoreRevocationList_TwoAtOnceSharingASerial_EachSerialLoggedOnceGapFree()
    {
        await using var database = new StorageTestDatabase(new StorageOptions { BatchWait = TimeSpan.FromMilliseconds(50) });
        await using var store = database.CreateStore();

        var first = store.StoreRevocationListAsync(List(1, ("0A", string.Empty)), CancellationToken.None);
        var second = store.StoreRevocationListAsync(List(2, ("0A", string.Empty), ("0B", string.Empty)), CancellationToken.None);
        var submission = store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None);
        var outcomes = await Task.WhenAll(first, second).DefaultTimeout();
        await submission.DefaultTimeout();

        Assert.All(outcomes, o => Assert.IsType<RevocationListStored>(o));
        await using var db = database.Open();
        Assert.Equal([0L, 1L, 2L], await db.LogEntries.OrderBy(e => e.Index).Select(e => e.Index).ToListAsync().DefaultTimeout());
        Assert.Equal(["0A", "0B"], await db.Revocations.OrderBy(r => r.SerialNumber).Select(r => r.SerialNumber).ToListAsync().DefaultTimeout());
    }

    [Fact]
    public async Task StoredRevocations_UpdateOrDelete_RefusedByTheDatabase()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        await store.StoreRevocationListAsync(List(1, ("0A", string.Empty)), CancellationToken.None).DefaultTimeout();
        await using var db = database.Open();

        foreach (var sql in new[]
        {
            "UPDATE \"RevocationLists\" SET \"Number\" = 9", "DELETE FROM \"RevocationLists\"",
            "UPDATE \"Revocations\" SET \"SerialNumber\" = 'FF'", "DELETE FROM \"Revocations\"",
        })
        {
            var refused = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync(sql));
            Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal((1, 1), (database.Count("RevocationLists"), database.Count("Revocations")));
    }

    [Trait("Store", TestStore.SqliteOnly)]
    [Fact]
    public async Task StoreRevocationList_WriteLockHeldElsewhere_UnavailableNothingWrittenThenStored()
    {
        await using var database = new StorageTestDatabase(new StorageOptions { BusyTimeout = TimeSpan.FromMilliseconds(100) });
        await using var store = database.CreateStore();
        var list = List(1, ("0A", string.Empty));
        using (var locker = database.OpenRaw())
        {
            using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                begin.ExecuteNonQuery();
            }

            Assert.Equal(new RevocationListStorageUnavailable("SQLITE_BUSY"), await store.StoreRevocationListAsync(list, CancellationToken.None).DefaultTimeout());
            using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        Assert.Equal((0, 0, 0), (database.Count("RevocationLists"), database.Count("Revocations"), database.Count("LogEntries")));
        Assert.IsType<RevocationListStored>(await store.StoreRevocationListAsync(list, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task SubmitAsync_GateRefuses_OutcomeReturnedNothingStoredOthersStored()
    {
        await using var database = new StorageTestDatabase();
        var gated = TestSubmissions.Make("ST-0001", 1);
        SubmissionGate gate = pending => pending.StationCode == "ST-0001" ? new SubmissionSignerUntrusted("REVOKED", "serial 0A revoked") : null;
        await using var store = new SubmissionStore(database.DbOptions, database.Options, Microsoft.Extensions.Logging.Abstractions.NullLogger<SubmissionStore>.Instance, logIssuer: null, gate);

        var refused = await store.SubmitAsync(gated, CancellationToken.None).DefaultTimeout();
        var other = await store.SubmitAsync(TestSubmissions.Make("ST-0002", 1), CancellationToken.None).DefaultTimeout();

        Assert.Equal(new SubmissionSignerUntrusted("REVOKED", "serial 0A revoked"), refused);
        Assert.Equal(new SubmissionStored(0, TestSubmissions.Start), other);
        Assert.Equal((1, 1), (database.Count("Submissions"), database.Count("LogEntries")));
    }

    /// <summary>A made-up CRL of <paramref name="number"/>: its "DER" names the number and serials, so different lists differ.</summary>
    internal static PendingRevocationList List(long number, params (string Serial, string SubjectUri)[] revoked)
    {
        var der = Encoding.UTF8.GetBytes($"crl {number}: {string.Join(',', revoked.Select(r => r.Serial))}");
        return new PendingRevocationList(
            number,
            der,
            SHA256.HashData(der),
            LoadedAt.AddMinutes(-5),
            LoadedAt,
            [.. revoked.Select(r => new PendingRevocation(r.Serial, LoadedAt.AddHours(-1), 1, r.SubjectUri, Encoding.UTF8.GetBytes($"entry {r.Serial} in {number}")))]);
    }

    private static byte[] LeafHash(byte[] entry) => SHA256.HashData([0x00, .. entry]);
}
