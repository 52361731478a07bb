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
