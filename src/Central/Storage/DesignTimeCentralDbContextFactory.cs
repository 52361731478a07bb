using Microsoft.EntityFrameworkCore.Design;

namespace Transmission.Central.Storage;

/// <summary>Lets `dotnet ef migrations add` build the model without starting Central.</summary>
internal sealed class DesignTimeCentralDbContextFactory : IDesignTimeDbContextFactory<CentralDbContext>
{
    public CentralDbContext CreateDbContext(string[] args)
    {
        var options = new StorageOptions();
        var folder = Path.Combine(Path.GetTempPath(), "transmission-design-time");
        return new CentralDbContext(CentralDatabase.CreateOptions(CentralDatabase.ConnectionString(folder, options), options));
    }
}

/// <summary>
/// Lets `dotnet ef migrations add --context PostgreSqlCentralDbContext` build the PostgreSQL model; adding a migration
/// does not connect, so the connection string only has to parse.
/// </summary>
internal sealed class DesignTimePostgreSqlCentralDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlCentralDbContext>
{
    public PostgreSqlCentralDbContext CreateDbContext(string[] args) =>
        new(PostgreSqlDatabase.CreateOptions("Host=localhost;Database=transmission_design_time"));
}
