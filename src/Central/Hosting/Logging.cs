using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;

namespace Transmission.Central.Hosting;

/// <summary>Serilog set-up shared by Central's commands: console plus a rolling file.</summary>
internal static class Logging
{
    /// <summary>
    /// Builds the logger from the "Serilog" configuration section (levels and overrides),
    /// writing to the console and to a daily rolling file under <paramref name="logDirectory"/>.
    /// Payloads and keys are never logged at Information level; see docs/operations.md.
    /// </summary>
    public static Serilog.Core.Logger Create(IConfiguration configuration, string logDirectory) =>
        new LoggerConfiguration()
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Application", "central")
            .WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}",
                restrictedToMinimumLevel: LogEventLevel.Information,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(
                Path.Combine(logDirectory, "central-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 31,
                outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
}
