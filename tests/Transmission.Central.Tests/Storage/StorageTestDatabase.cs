using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Transmission.Central.Storage;
using Transmission.Testing;

namespace Transmission.Central.Tests.Storage;

/// <summary>
/// A migrated database of its own, plus a store over it; nothing shared between tests. SQLite: central.db in a temp
/// folder; in the PostgreSQL pass (<see cref="TestStore"/>): a fresh database on the test server, dropped at the end.
/// </summary>
internal sealed class StorageTestDatabase : IAsyncDisposable
{
    private readonly List<SubmissionStore> _stores = [];
    private readonly LoggerFactory _loggerFactory;
    private readonly PostgreSqlTestDatabase? _postgres;

    public StorageTestDatabase(StorageOptions? options = null, bool migrate = true)
    {
        Folder = Directory.CreateTempSubdirectory("transmission-storage-").FullName;
        Options = options ?? new StorageOptions();
        if (TestStore.IsPostgreSql)
        {
            _postgres = TestStore.CreatePostgreSqlDatabase();
            ConnectionString = _postgres.ConnectionString;
            DbOptions = PostgreSqlDatabase.CreateOptions(ConnectionString);
        }
        else
        {
            ConnectionString = CentralDatabase.ConnectionString(Folder, Options);
            DbOptions = CentralDatabase.CreateOptions(ConnectionString, Options);
        }

        _loggerFactory = new LoggerFactory([Logs]);
        if (migrate)
        {
            CentralDatabase.Migrate(DbOptions);
        }
    }

    public string Folder { get; }

    public string FilePath => Path.Combine(Folder, CentralDatabase.FileName);

    public StorageOptions Options { get; }

    public string ConnectionString { get; }

    public DbContextOptions<CentralDbContext> DbOptions { get; }

    public TestLogSink Logs { get; } = new();

    public SubmissionStore CreateStore(DbContextOptions<CentralDbContext>? dbOptions = null, StorageOptions? options = null, ILogIssuer? logIssuer = null)
    {
        var store = new SubmissionStore(dbOptions ?? DbOptions, options ?? Options, _loggerFactory.CreateLogger<SubmissionStore>(), logIssuer);
        _stores.Add(store);
        return store;
    }

    /// <summary>A fresh context, as if the file were opened again by another process.</summary>
    public CentralDbContext Open() => new(DbOptions);

    /// <summary>True when this database is on PostgreSQL.</summary>
    public bool IsPostgreSql => _postgres is not null;

    /// <summary>A plain connection that bypasses EF Core and the store (SqliteConnection or NpgsqlConnection).</summary>
    public DbConnection OpenRaw()
    {
        DbConnection connection = _postgres is not null
            ? new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public long Count(string table)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync().DefaultTimeout();
        }

        _loggerFactory.Dispose();
        if (_postgres is not null)
        {
            _postgres.Dispose();
        }
        else
        {
            using var connection = new SqliteConnection(ConnectionString);
            SqliteConnection.ClearPool(connection);
        }

        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>Builds submissions whose bytes and hashes are consistent; the contents are made up per test.</summary>
internal static class TestSubmissions
{
    public const string Election = "test-election-2026";

    public static readonly DateTimeOffset Start = new(2026, 10, 25, 19, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A submission of <paramref name="content"/> for a station and revision. Two calls with the same
    /// arguments give the same payload; <paramref name="signature"/> varies the envelope bytes only
    /// (ECDSA signatures differ each time the same payload is signed).
    /// </summary>
    public static PendingSubmission Make(
        string station,
        int revision,
        string content = "votes",
        string signature = "sig-1",
        IReadOnlyList<PendingAttachment>? attachments = null,
        IReadOnlyList<string>? flags = null,
        DateTimeOffset? receivedAt = null)
    {
        var payload = Encoding.UTF8.GetBytes($"{Election}|{station}|{revision}|{content}|" + new string('p', 1400));
        var envelope = payload.Concat(Encoding.UTF8.GetBytes("|" + signature)).Concat(SHA256.HashData(Encoding.UTF8.GetBytes(signature))).ToArray();
        return new PendingSubmission(
            Election,
            station,
            revision,
            SHA256.HashData(payload),
            envelope,
            SHA256.HashData(envelope),
            SHA256.HashData(Encoding.UTF8.GetBytes("cert-" + station)),
            flags ?? [],
            VerifiedCosignatures: 2,
            attachments ?? [],
            receivedAt ?? Start)
        {
            Peer = "127.0.0.1:50000",
            CallerUri = "urn:transmission:station:" + station,
        };
    }

    public static PendingAttachment Attachment(string name, int size, byte seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return new PendingAttachment(name, "image/jpeg", bytes);
    }
}
