namespace Transmission.Central.Storage;

/// <summary>Settings of Central's storage, bound from "Central:Storage".</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// Which database Central uses. Defaults to <see cref="StorageProvider.Sqlite"/> (central.db in the data directory);
    /// <see cref="StorageProvider.PostgreSql"/> needs <see cref="ConnectionString"/>.
    /// </summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// The Npgsql connection string (keyword=value pairs, e.g. "Host=db1;Database=election;Username=central;Password=...")
    /// when <see cref="Provider"/> is <see cref="StorageProvider.PostgreSql"/>; not used with SQLite. Never logged.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Largest number of pending writes committed in one transaction. Defaults to 256.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// How long the writer waits for more pending writes after the first one arrived, before it commits
    /// what it has. Defaults to 2 ms. Zero commits whatever is queued at once.
    /// </summary>
    public TimeSpan BatchWait { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// How long a connection waits for SQLite's write lock held by someone else before the batch fails
    /// with "storage unavailable". Defaults to 5 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many writes may wait for the writer before callers are held back (back-pressure).
    /// Defaults to 8,192.
    /// </summary>
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>Returns the first invalid setting as one readable line, or null.</summary>
    public string? Validate()
    {
        if (MaxBatchSize is < 1 or > 10_000)
        {
            return $"Central:Storage:MaxBatchSize {MaxBatchSize} must be between 1 and 10000.";
        }

        if (BatchWait < TimeSpan.Zero || BatchWait > TimeSpan.FromSeconds(1))
        {
            return $"Central:Storage:BatchWait {BatchWait} must be between 0 and 1 second.";
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > TimeSpan.FromMinutes(5))
        {
            return $"Central:Storage:BusyTimeout {BusyTimeout} must be between 0 and 5 minutes.";
        }

        if (QueueCapacity < MaxBatchSize)
        {
            return $"Central:Storage:QueueCapacity {QueueCapacity} must be at least MaxBatchSize ({MaxBatchSize}).";
        }

        return Provider switch
        {
            StorageProvider.Sqlite when !string.IsNullOrWhiteSpace(ConnectionString) =>
                "Central:Storage:ConnectionString is only used with Central:Storage:Provider PostgreSql (SQLite keeps central.db in Central:DataDirectory).",
            StorageProvider.Sqlite => null,
            StorageProvider.PostgreSql => PostgreSqlDatabase.ValidateConnectionString(ConnectionString),
            _ => $"Central:Storage:Provider '{Provider}' is not one of Sqlite, PostgreSql.",
        };
    }
}

/// <summary>The databases Central can store an election in.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file (WAL, synchronous=FULL) in the data directory: no set-up, one Central instance.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by one or more Central instances (docs/storage.md, docs/scaling.md).</summary>
    PostgreSql,
}
