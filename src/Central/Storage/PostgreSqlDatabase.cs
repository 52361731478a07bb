using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Transmission.Central.Storage;

/// <summary>
/// Central on PostgreSQL (Npgsql): connection strings, the write lock that sequences the log across Central instances
/// sharing one database, and which failures mean "storage unavailable".
/// </summary>
public static class PostgreSqlDatabase
{
    /// <summary>
    /// The key of the transaction-scoped advisory lock every write batch takes before it reads the log's size
    /// (<c>pg_advisory_xact_lock</c>). One database holds one election's log, so one fixed key: ASCII "Transmit".
    /// </summary>
    public const long WriteLockKey = 0x5472616E736D6974;

    /// <summary>The EF Core provider name of Npgsql.</summary>
    internal const string ProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// Returns the first problem with <paramref name="connectionString"/> as one readable line (never containing the
    /// password), or null when it names at least a host and a database.
    /// </summary>
    public static string? ValidateConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "Central:Storage:ConnectionString is not set; Provider PostgreSql needs one, e.g. \"Host=db1;Database=election;Username=central;Password=...\".";
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // Npgsql's messages name the keyword or the position, never a value.
            return $"Central:Storage:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}";
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            return "Central:Storage:ConnectionString names no Host.";
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            return "Central:Storage:ConnectionString names no Database.";
        }

        return null;
    }

    /// <summary>"user@host:port/database" for logs and messages: the connection string without its password.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}");
    }

    /// <summary>EF Core options for Central's database on PostgreSQL.</summary>
    public static DbContextOptions<CentralDbContext> CreateOptions(string connectionString)
    {
        return new DbContextOptionsBuilder<CentralDbContext>()
            .UseNpgsql(connectionString)
            .Options;
    }

    /// <summary>True when <paramref name="db"/> runs on PostgreSQL.</summary>
    internal static bool IsPostgreSql(this DatabaseFacade db) =>
        string.Equals(db.ProviderName, ProviderName, StringComparison.Ordinal);

    /// <summary>
    /// Inside the current transaction, waits (at most <paramref name="lockTimeout"/>, then 55P03 lock_not_available,
    /// which is "storage unavailable") for the log's write lock; it is released by COMMIT or ROLLBACK. Every batch of
    /// every Central instance takes it before reading anything it decides on, so batches are serialized across
    /// instances exactly as SQLite's BEGIN IMMEDIATE serializes them within one file. No-op on SQLite.
    /// </summary>
    internal static async Task TakeWriteLockAsync(DatabaseFacade db, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        if (!db.IsPostgreSql())
        {
            return;
        }

        // set_config(..., is_local: true) is SET LOCAL with a parameter; the target list is evaluated in order, so the
        // timeout is in force before the lock is waited for, in one round trip.
        var milliseconds = Math.Max(1L, (long)Math.Ceiling(lockTimeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        await db.ExecuteSqlAsync($"SELECT set_config('lock_timeout', {milliseconds}, true), pg_advisory_xact_lock({WriteLockKey})", cancellationToken);
    }

    /// <summary>
    /// The reason a PostgreSQL failure means "storage unavailable, try again" (the server unreachable or shutting
    /// down, a serialization failure or deadlock, the disk or memory full, the lock not free in time), or null for
    /// anything else (a bug, e.g. a constraint violated).
    /// </summary>
    internal static string? UnavailableReason(Exception exception)
    {
        switch (exception)
        {
            case PostgresException postgres:
                // SQLSTATE classes: 08 connection exception, 40 transaction rollback (40001 serialization failure,
                // 40P01 deadlock), 53 insufficient resources (53100 disk full), 57 operator intervention (shutdown,
                // cancel), 58 system error (I/O); 55P03 lock_not_available (lock_timeout).
                var state = postgres.SqlState;
                return state.StartsWith("08", StringComparison.Ordinal)
                    || state.StartsWith("40", StringComparison.Ordinal)
                    || state.StartsWith("53", StringComparison.Ordinal)
                    || state.StartsWith("57", StringComparison.Ordinal)
                    || state.StartsWith("58", StringComparison.Ordinal)
                    || state == PostgresErrorCodes.LockNotAvailable
                    ? "POSTGRES_" + state
                    : null;
            case NpgsqlException npgsql:
                // Not a server error: the connection could not be made or broke (refused, reset, timed out).
                return npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException
                    ? "POSTGRES_CONNECTION"
                    : null;
            default:
                return null;
        }
    }
}

/// <summary>
/// The same model as <see cref="CentralDbContext"/>, as a type of its own so that the PostgreSQL migrations
/// (Storage/PostgreSql/Migrations, <c>[DbContext(typeof(PostgreSqlCentralDbContext))]</c>) are kept apart from the SQLite
/// ones. Only migrating needs it; every other read and write uses <see cref="CentralDbContext"/> on either provider.
/// </summary>
public sealed class PostgreSqlCentralDbContext : CentralDbContext
{
    /// <summary>Creates the context over PostgreSQL options (see <see cref="PostgreSqlDatabase.CreateOptions"/>).</summary>
    public PostgreSqlCentralDbContext(DbContextOptions<CentralDbContext> options)
        : base(options)
    {
    }
}
