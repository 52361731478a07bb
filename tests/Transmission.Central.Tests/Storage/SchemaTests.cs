using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Testing;

namespace Transmission.Central.Tests.Storage;

public sealed class SchemaTests
{
    [Trait("Store", TestStore.SqliteOnly)]
    [Fact]
    public async Task Migrate_EmptyFile_CreatesSchemaFromMigrations()
    {
        await using var database = new StorageTestDatabase(migrate: false);
        Assert.False(File.Exists(database.FilePath));

        CentralDatabase.Migrate(database.DbOptions);

        await using var db = database.Open();
        Assert.Equal(["20261121204641_Initial", "20261121211604_Receipts", "20261121222814_ReviewDecisions", "20261122012120_MerkleLog", "20261122015529_RevocationLists"], await db.Database.GetAppliedMigrationsAsync().DefaultTimeout());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync().DefaultTimeout());
        using var connection = database.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table','index') AND name NOT LIKE 'sqlite_%' ORDER BY name";
        var names = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var expected in new[]
        {
            "Blobs", "Submissions", "SubmissionAttachments", "LogEntries", "SecurityEvents", "__EFMigrationsHistory",
            "IX_Submissions_ElectionId_StationCode_Revision", "IX_Submissions_PayloadSha256", "IX_Submissions_ReceivedAt",
            "IX_Submissions_EnvelopeSha256", "IX_Submissions_LogIndex",
            "RevocationLists", "Revocations", "IX_RevocationLists_Number", "IX_Revocations_SerialNumber", "IX_Revocations_LogIndex",
        })
        {
            Assert.Contains(expected, names);
        }

        using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('Submissions') WHERE name = 'ReceiptBytes'";
        Assert.Equal(1L, columns.ExecuteScalar());
    }

    [Fact]
    public async Task Migrate_AlreadyMigrated_IsANoOp()
    {
        await using var database = new StorageTestDatabase();
        await using var store = database.CreateStore();
        await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout();

        CentralDatabase.Migrate(database.DbOptions);

        Assert.Equal(1, database.Count("Submissions"));
    }

    [Trait("Store", TestStore.SqliteOnly)]
    [Fact]
    public async Task StoreConnection_Opened_PragmasInForce()
    {
        await using var database = new StorageTestDatabase(new StorageOptions { BusyTimeout = TimeSpan.FromMilliseconds(1234) });
        await using var db = database.Open();
        await db.Database.OpenConnectionAsync().DefaultTimeout();
        try
        {
            Assert.Equal("wal", await Pragma(db, "journal_mode"));
            Assert.Equal("2", await Pragma(db, "synchronous")); // 2 = FULL
            Assert.Equal("1", await Pragma(db, "foreign_keys"));
            Assert.Equal("1234", await Pragma(db, "busy_timeout"));
        }
        finally
        {
            await db.Database.CloseConnectionAsync().DefaultTimeout();
        }
    }

    [Trait("Store", TestStore.SqliteOnly)]
    [Fact]
    public async Task StoreConnection_ReopenedFromPool_PragmasAppliedAgain()
    {
        await using var database = new StorageTestDatabase();
        for (var i = 0; i < 3; i++)
        {
            // synchronous belongs to the connection: a pooled connection must get it on every open.
            await using var db = database.Open();
            await db.Database.OpenConnectionAsync().DefaultTimeout();
            Assert.Equal("2", await Pragma(db, "synchronous"));
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=OFF").DefaultTimeout();
            await db.Database.CloseConnectionAsync().DefaultTimeout();
        }
    }

    [Fact]
    public void StorageOptions_Invalid_OneReadableLine()
    {
        Assert.Null(new StorageOptions().Validate());
        Assert.Contains("MaxBatchSize", new StorageOptions { MaxBatchSize = 0 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("BatchWait", new StorageOptions { BatchWait = TimeSpan.FromSeconds(-1) }.Validate(), StringComparison.Ordinal);
        Assert.Contains("QueueCapacity", new StorageOptions { QueueCapacity = 10 }.Validate(), StringComparison.Ordinal);
    }

    private static async Task<string> Pragma(CentralDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return Convert.ToString(await command.ExecuteScalarAsync().DefaultTimeout(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
