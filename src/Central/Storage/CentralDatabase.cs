using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Transmission.Central.Storage;

/// <summary>Where Central's database lives and how connections to it are made.</summary>
public static class CentralDatabase
{
    /// <summary>The database file name inside the data directory.</summary>
    public const string FileName = "central.db";

    /// <summary>The SQLite connection string for <see cref="FileName"/> in <paramref name="dataDirectory"/>.</summary>
    public static string ConnectionString(string dataDirectory, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY itself until the command timeout (whole seconds;
            // 0 would mean forever), on top of busy_timeout: keep the two bounds together.
            DefaultTimeout = CommandTimeoutSeconds(options.BusyTimeout),
        }.ToString();
    }

    /// <summary>
    /// EF Core options for the database <paramref name="options"/> names: central.db in <paramref name="dataDirectory"/>
    /// (created if missing) for SQLite, <see cref="StorageOptions.ConnectionString"/> for PostgreSQL.
    /// </summary>
    public static DbContextOptions<CentralDbContext> ForConfiguration(string dataDirectory, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider == StorageProvider.PostgreSql)
        {
            return PostgreSqlDatabase.CreateOptions(options.ConnectionString
                ?? throw new ArgumentException("Central:Storage:ConnectionString is not set.", nameof(options)));
        }

        Directory.CreateDirectory(dataDirectory);
        return CreateOptions(ConnectionString(dataDirectory, options), options);
    }

    /// <summary>EF Core options for <paramref name="connectionString"/> with Central's PRAGMAs on every open.</summary>
    public static DbContextOptions<CentralDbContext> CreateOptions(string connectionString, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DbContextOptionsBuilder<CentralDbContext>()
            .UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(CommandTimeoutSeconds(options.BusyTimeout)))
            .AddInterceptors(new SqliteConnectionSetup(options.BusyTimeout))
            .Options;
    }

    /// <summary>
    /// Brings the schema up to date with the migrations compiled into Central (never EnsureCreated, so a
    /// later version can migrate an existing election database).
    /// </summary>
    public static void Migrate(DbContextOptions<CentralDbContext> options)
    {
        using var db = ForMigration(options);
        db.Database.Migrate();
    }

    /// <summary>
    /// A context whose type selects the provider's migration set: <see cref="CentralDbContext"/> for SQLite (the
    /// original migrations), <see cref="PostgreSqlCentralDbContext"/> for PostgreSQL.
    /// </summary>
    internal static CentralDbContext ForMigration(DbContextOptions<CentralDbContext> options)
    {
        var probe = new CentralDbContext(options);
        if (!probe.Database.IsPostgreSql())
        {
            return probe;
        }

        probe.Dispose();
        return new PostgreSqlCentralDbContext(options);
    }

    /// <summary>Where the database is, for logs and messages (a PostgreSQL connection without its password).</summary>
    internal static string Describe(CentralDbContext db) =>
        db.Database.IsPostgreSql()
            ? PostgreSqlDatabase.Describe(db.Database.GetConnectionString() ?? string.Empty)
            : db.Database.GetDbConnection().DataSource;

    private static int CommandTimeoutSeconds(TimeSpan busyTimeout) =>
        Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds));

    /// <summary>Formats a SHA-256 as lowercase hex for logs and messages.</summary>
    internal static string Hex(byte[] sha256) => Convert.ToHexStringLower(sha256);

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
