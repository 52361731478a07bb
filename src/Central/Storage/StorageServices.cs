using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Transmission.Central.Storage;

/// <summary>Registers Central's storage and brings its database up to date at start-up.</summary>
public static class StorageServices
{
    /// <summary>
    /// Registers <see cref="SubmissionStore"/>, <see cref="SecurityEventStore"/> and <see cref="SubmissionQueries"/>
    /// over the database <paramref name="options"/> names: <see cref="CentralDatabase.FileName"/> in
    /// <paramref name="dataDirectory"/> (created if missing) for SQLite, or the PostgreSQL connection string.
    /// </summary>
    public static IServiceCollection AddCentralStorage(this IServiceCollection services, string dataDirectory, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var dbOptions = CentralDatabase.ForConfiguration(dataDirectory, options);
        services.AddSingleton(options);
        services.AddSingleton(dbOptions);
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<SecurityEventStore>();
        services.AddSingleton<SubmissionQueries>();
        services.AddSingleton<LogProofs>();
        return services;
    }

    /// <summary>
    /// Applies pending migrations (never EnsureCreated). A database that cannot be opened or migrated
    /// becomes an <see cref="InvalidOperationException"/> with one readable line, so `serve` exits cleanly.
    /// </summary>
    public static void MigrateCentralDatabase(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var dbOptions = services.GetRequiredService<DbContextOptions<CentralDbContext>>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CentralDbContext).FullName!);
        using var db = CentralDatabase.ForMigration(dbOptions);
        var path = CentralDatabase.Describe(db);
        try
        {
            db.Database.Migrate();
            var added = LogTreeRepair.AddMissingNodes(db, services.GetRequiredService<StorageOptions>().BusyTimeout);
            if (added > 0)
            {
                StorageLog.TreeRepaired(logger, added);
            }
        }
        catch (Exception ex) when (ex is SqliteException or Npgsql.NpgsqlException)
        {
            // Npgsql's messages name the server and the user, never the password.
            throw new InvalidOperationException($"Central's database '{path}' could not be opened or migrated: {ex.Message}", ex);
        }

        StorageLog.Migrated(logger, path);
    }
}
