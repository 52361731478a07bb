using Npgsql;
using Transmission.Central.Storage;

namespace Transmission.Central.Tests.Storage;

/// <summary>
/// Which database the storage and end-to-end tests run against. SQLite (a file per test) unless
/// TRANSMISSION_TEST_STORE=PostgreSql, in which case every test gets a fresh database on the server named by
/// TRANSMISSION_TEST_POSTGRES (an Npgsql connection string to a server where the test may CREATE and DROP DATABASE),
/// dropped afterwards. scripts/test runs a second pass that way against a throwaway cluster (scripts/with-postgres).
/// </summary>
internal static class TestStore
{
    /// <summary>The environment variable naming the PostgreSQL server for tests.</summary>
    public const string ServerVariable = "TRANSMISSION_TEST_POSTGRES";

    /// <summary>The environment variable that selects the store of the ambient tests (Sqlite or PostgreSql).</summary>
    public const string StoreVariable = "TRANSMISSION_TEST_STORE";

    /// <summary>The trait of tests that only make sense on SQLite (file locks, read-only files, SQLite error codes).</summary>
    public const string SqliteOnly = "SqliteOnly";

    /// <summary>The trait of tests that need PostgreSQL (several Centrals on one database, PostgreSQL triggers).</summary>
    public const string PostgreSqlOnly = "PostgreSqlOnly";

    /// <summary>True in the PostgreSQL pass.</summary>
    public static bool IsPostgreSql =>
        string.Equals(Environment.GetEnvironmentVariable(StoreVariable), nameof(StorageProvider.PostgreSql), StringComparison.OrdinalIgnoreCase);

    /// <summary>A fresh database on the test server; it is dropped when the result is disposed.</summary>
    /// <exception cref="InvalidOperationException">TRANSMISSION_TEST_POSTGRES is not set: the test cannot run, and says so.</exception>
    public static PostgreSqlTestDatabase CreatePostgreSqlDatabase() => new(ServerConnectionString());

    private static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set: this test needs a PostgreSQL server (scripts/test starts a throwaway one when PostgreSQL is installed; or run it under scripts/with-postgres).");
}

/// <summary>One test's own PostgreSQL database, created empty and dropped (with any open connections) on dispose.</summary>
internal sealed class PostgreSqlTestDatabase : IDisposable
{
    private readonly string _server;

    public PostgreSqlTestDatabase(string server)
    {
        _server = server;
        Name = "transmission_test_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE DATABASE \"{Name}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public void Dispose()
    {
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        Execute($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString;
        using var connection = new NpgsqlConnection(admin);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
