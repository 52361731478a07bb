using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Transmission.Central.Storage;

/// <summary>
/// Applies Central's PRAGMAs every time EF Core opens a connection (pooled connections included, since
/// a PRAGMA such as busy_timeout belongs to the connection, not the file).
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private readonly string _pragmas;

    public SqliteConnectionSetup(TimeSpan busyTimeout)
    {
        // WAL: readers never block the writer. synchronous=FULL: the WAL is fsynced at every commit, so a
        // receipt is only sent for what survives power loss (free when commits are batched; see
        // docs/storage.md). foreign_keys: SQLite leaves them off unless asked, per connection.
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={(long)busyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON;");
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
