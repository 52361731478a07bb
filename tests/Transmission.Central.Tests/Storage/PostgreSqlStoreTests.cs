using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Transmission.Central.Storage;
using Transmission.Core.Log;
using Transmission.Core.Review;
using Transmission.Testing;

namespace Transmission.Central.Tests.Storage;

/// <summary>
/// What only PostgreSQL has: its own migration set and append-only triggers, the advisory write lock that sequences
/// the log across Central instances, and the mapping of its failures to "storage unavailable". Needs
/// TRANSMISSION_TEST_POSTGRES (scripts/test runs these in its PostgreSQL pass; without the variable they fail and say so).
/// </summary>
[Trait("Store", TestStore.PostgreSqlOnly)]
public sealed class PostgreSqlStoreTests : IDisposable
{
    private static readonly string[] AppendOnly = ["LogEntries", "ReviewDecisions", "MerkleNodes", "Checkpoints", "RevocationLists", "Revocations"];

    private readonly PostgreSqlTestDatabase _database = TestStore.CreatePostgreSqlDatabase();
    private readonly TestLogSink _logs = new();
    private readonly LoggerFactory _loggerFactory;
    private readonly TestLogIssuer _issuer = new();

    public PostgreSqlStoreTests()
    {
        _loggerFactory = new LoggerFactory([_logs]);
    }

    private DbContextOptions<CentralDbContext> DbOptions => PostgreSqlDatabase.CreateOptions(_database.ConnectionString);

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _issuer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task Migrate_EmptyDatabase_PostgreSqlMigrationSetAndTriggers()
    {
        CentralDatabase.Migrate(DbOptions);
        CentralDatabase.Migrate(DbOptions); // a second start-up changes nothing

        await using var db = CentralDatabase.ForMigration(DbOptions);
        Assert.IsType<PostgreSqlCentralDbContext>(db);
        Assert.Equal(["20261122034353_PostgreSqlInitial"], await db.Database.GetAppliedMigrationsAsync().DefaultTimeout());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync().DefaultTimeout());
        var triggers = await Strings(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%\\_No%' ORDER BY tgname");
        Assert.Equal(AppendOnly.SelectMany(t => new[] { t + "_NoDelete", t + "_NoTruncate", t + "_NoUpdate" }).Order(StringComparer.Ordinal), triggers.Order(StringComparer.Ordinal));
        var timeColumns = await Strings(
            "SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns WHERE table_schema = 'public' AND data_type LIKE 'timestamp%' ORDER BY 1");
        Assert.All(timeColumns, c => Assert.EndsWith(":timestamp with time zone", c, StringComparison.Ordinal));
        Assert.Equal(8, timeColumns.Count);
    }

    [Fact]
    public async Task AppendOnlyTables_UpdateDeleteOrTruncate_RefusedAndNothingChanged()
    {
        CentralDatabase.Migrate(DbOptions);
        await using (var store = CreateStore())
        {
            var pending = TestSubmissions.Make("ST-0001", 1);
            await store.SubmitAsync(pending, CancellationToken.None).DefaultTimeout();
            await store.SubmitAsync(TestSubmissions.Make("ST-0002", 1), CancellationToken.None).DefaultTimeout();
            // A row in every append-only table: a decision and a CRL with a revocation too.
            var decision = new ReviewDecision(
                new SubmissionKey("ST-0001", 1, Convert.ToHexStringLower(pending.EnvelopeSha256)), ReviewState.Accepted, "ok", new Uri("urn:transmission:verifier:v1"), TestSubmissions.Start);
            Assert.IsType<DecisionStored>(await store.DecideAsync(new PendingDecision(TestSubmissions.Election, decision, "decision"u8.ToArray()), CancellationToken.None).DefaultTimeout());
            Assert.IsType<RevocationListStored>(await store.StoreRevocationListAsync(RevocationListStoreTests.List(1, ("0A", string.Empty)), CancellationToken.None).DefaultTimeout());
        }

        var before = await CountsAsync();
        Assert.DoesNotContain("=0", before, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync().DefaultTimeout();
        foreach (var table in AppendOnly)
        {
            foreach (var (sql, operation) in new[]
            {
                ($"UPDATE \"{table}\" SET \"{KeyColumn(table)}\" = \"{KeyColumn(table)}\"", "UPDATE"),
                ($"DELETE FROM \"{table}\"", "DELETE"),
                ($"TRUNCATE \"{table}\" CASCADE", "TRUNCATE"),
            })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync()).DefaultTimeout();
                Assert.Equal(PostgresErrorCodes.RestrictViolation, refused.SqlState);
                Assert.Equal($"{table} is append-only: {operation} refused", refused.MessageText);
            }
        }

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task SubmitAsync_WriteLockHeldByAnotherInstance_StorageUnavailableNothingWrittenThenRecovers()
    {
        CentralDatabase.Migrate(DbOptions);
        await using var store = CreateStore(new StorageOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) });
        await store.SubmitAsync(TestSubmissions.Make("ST-0000", 1), CancellationToken.None).DefaultTimeout();

        await using (var other = new NpgsqlConnection(_database.ConnectionString))
        {
            // Another Central's batch in progress: it holds the log's advisory lock.
            await other.OpenAsync().DefaultTimeout();
            await using var transaction = await other.BeginTransactionAsync().DefaultTimeout();
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgreSqlDatabase.WriteLockKey})", other, transaction))
            {
                await take.ExecuteNonQueryAsync().DefaultTimeout();
            }

            var outcomes = await Task.WhenAll(
                store.SubmitAsync(TestSubmissions.Make("ST-0001", 1, attachments: [TestSubmissions.Attachment("a.jpg", 100, 1)]), CancellationToken.None),
                store.SubmitAsync(TestSubmissions.Make("ST-0002", 1), CancellationToken.None)).DefaultTimeout();

            Assert.All(outcomes, o => Assert.Equal(new StorageUnavailable("POSTGRES_55P03"), o));
            await transaction.RollbackAsync().DefaultTimeout();
        }

        Assert.Equal((1L, 1L, 1L, 0L), (await CountAsync("Submissions"), await CountAsync("Blobs"), await CountAsync("LogEntries"), await CountAsync("SubmissionAttachments")));
        Assert.Equal(1, Assert.IsType<SubmissionStored>(await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout()).LogIndex);
        Assert.Contains(_logs.Records, r => r.EventId.Id == 3001 && r.Level == LogLevel.Warning);
        _logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task SubmitAsync_ServerUnreachable_StorageUnavailable()
    {
        // A port nothing listens on: connection refused, as when the database server is down.
        var port = FreePort();
        var down = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Port = port, Timeout = 3 }.ConnectionString;
        await using var store = new SubmissionStore(PostgreSqlDatabase.CreateOptions(down), new StorageOptions(), _loggerFactory.CreateLogger<SubmissionStore>());
        var events = new SecurityEventStore(store, TimeProvider.System);

        var outcome = await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout();

        Assert.Equal(new StorageUnavailable("POSTGRES_CONNECTION"), outcome);
        Assert.False(await events.RecordAsync("TEST", null, null, "x", CancellationToken.None).DefaultTimeout());
        _logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task TwoStoresOnOneDatabase_ConcurrentSubmissions_OneGapFreeLogConsistentCheckpointsNoDuplicates()
    {
        // Two Central instances' writers (each its own single-writer loop and connections) on one database.
        CentralDatabase.Migrate(DbOptions);
        await using var first = CreateStore(new StorageOptions { MaxBatchSize = 8 });
        await using var second = CreateStore(new StorageOptions { MaxBatchSize = 8 });
        const int Stations = 60;
        var pending = Enumerable.Range(0, Stations).Select(i => TestSubmissions.Make($"ST-{i:D4}", 1)).ToList();

        // Every station sends to both instances at once (a load balancer retrying elsewhere): one of the two stores it.
        var outcomes = await Task.WhenAll(pending.SelectMany(p => new[]
        {
            first.SubmitAsync(p, CancellationToken.None),
            second.SubmitAsync(p, CancellationToken.None),
        })).DefaultTimeout();

        for (var i = 0; i < Stations; i++)
        {
            var pair = new[] { outcomes[2 * i], outcomes[(2 * i) + 1] };
            var stored = Assert.Single(pair.OfType<SubmissionStored>());
            var duplicate = Assert.Single(pair.OfType<SubmissionDuplicate>());
            Assert.Equal(stored.LogIndex, duplicate.LogIndex);
            Assert.Equal(stored.Receipt, duplicate.Receipt);
        }

        await using var db = new CentralDbContext(DbOptions);
        Assert.Equal(Enumerable.Range(0, Stations).Select(i => (long)i), await db.LogEntries.OrderBy(e => e.Index).Select(e => e.Index).ToListAsync().DefaultTimeout());
        Assert.Equal(Stations, await db.Submissions.CountAsync().DefaultTimeout());
        Assert.Equal(Stations - BitOperations.PopCount((ulong)Stations), await db.MerkleNodes.CountAsync().DefaultTimeout());
        Assert.True(first.CommittedTransactions > 0 && second.CommittedTransactions > 0, "both instances committed batches");

        var expected = new MerkleTree();
        foreach (var envelope in await db.LogEntries.OrderBy(e => e.Index).Select(e => e.Submission!.EnvelopeSha256).ToListAsync().DefaultTimeout())
        {
            expected.Append(pending.Single(p => p.EnvelopeSha256.AsSpan().SequenceEqual(envelope)).EnvelopeBytes);
        }

        CheckpointRow? previous = null;
        foreach (var row in await db.Checkpoints.OrderBy(c => c.TreeSize).ToListAsync().DefaultTimeout())
        {
            Assert.True(CheckpointNote.Verify(row.Note, _issuer.Key).IsValid);
            Assert.Equal(expected.Root(row.TreeSize), row.RootHash);
            if (previous is not null)
            {
                Assert.True(MerkleProofs.VerifyConsistency(previous.TreeSize, row.TreeSize, expected.ConsistencyProof(previous.TreeSize, row.TreeSize), previous.RootHash, row.RootHash).IsValid);
            }

            previous = row;
        }

        Assert.Equal(Stations, previous!.TreeSize);
        _logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public void StorageOptions_PostgreSql_ConnectionStringCheckedUpFrontWithoutThePassword()
    {
        Assert.Null(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Host=db1;Database=election;Username=central;Password=s3cret" }.Validate());
        Assert.Contains("ConnectionString is not set", new StorageOptions { Provider = StorageProvider.PostgreSql }.Validate(), StringComparison.Ordinal);
        Assert.Contains("names no Database", new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Host=db1;Password=s3cret" }.Validate(), StringComparison.Ordinal);
        Assert.Contains("names no Host", new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Database=x;Password=s3cret" }.Validate(), StringComparison.Ordinal);
        var malformed = new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Host=db1;Database=x;Password=s3cret;Port=notanumber" }.Validate();
        Assert.StartsWith("Central:Storage:ConnectionString is not a valid PostgreSQL connection string", malformed, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", malformed, StringComparison.Ordinal);
        Assert.Contains("only used with Central:Storage:Provider PostgreSql", new StorageOptions { ConnectionString = "Host=db1" }.Validate(), StringComparison.Ordinal);
        Assert.Equal("postgresql://central@db1:5432/election", PostgreSqlDatabase.Describe("Host=db1;Database=election;Username=central;Password=s3cret"));
    }

    private SubmissionStore CreateStore(StorageOptions? options = null) =>
        new(DbOptions, options ?? new StorageOptions(), _loggerFactory.CreateLogger<SubmissionStore>(), _issuer);

    private static string KeyColumn(string table) => table switch
    {
        "LogEntries" => "Index",
        "MerkleNodes" => "Hash",
        "Checkpoints" => "Note",
        _ => "Id",
    };

    private async Task<List<string>> Strings(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync().DefaultTimeout();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync().DefaultTimeout();
        var values = new List<string>();
        while (await reader.ReadAsync().DefaultTimeout())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync().DefaultTimeout();
        await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table}\"", connection);
        return (long)(await command.ExecuteScalarAsync().DefaultTimeout())!;
    }

    private async Task<string> CountsAsync()
    {
        var counts = new List<string>();
        foreach (var table in AppendOnly)
        {
            counts.Add(table + "=" + await CountAsync(table));
        }

        return string.Join(',', counts);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
