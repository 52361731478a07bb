using System.Globalization;
using Serilog;
using Serilog.Events;

namespace Transmission.Station;

/// <summary>
/// The station's own log: a daily rolling file in the station folder (<c>&lt;dir&gt;/logs/station-*.log</c>),
/// kept with the keys and the outbox as the device's record of what it did. The console shows
/// log events only with <c>--verbose</c>, so the chair sees plain command output. Never logs key
/// material or protocol contents.
/// </summary>
internal static class StationLog
{
    /// <summary>The root option that also writes log events to stderr.</summary>
    public static readonly System.CommandLine.Option<bool> Verbose = new("--verbose")
    {
        Recursive = true,
    };

    /// <summary>A logger writing to <paramref name="stationDirectory"/>/logs (and stderr when <paramref name="verbose"/>).</summary>
    public static Serilog.Core.Logger Create(string stationDirectory, bool verbose)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.WithProperty("Application", "station")
            .WriteTo.File(
                Path.Combine(stationDirectory, "logs", "station-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 62,
                restrictedToMinimumLevel: LogEventLevel.Information,
                outputTemplate: "{Timestamp:o} [{Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}",
                formatProvider: CultureInfo.InvariantCulture);
        if (verbose)
        {
            configuration.WriteTo.Console(
                standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                formatProvider: CultureInfo.InvariantCulture);
        }

        return configuration.CreateLogger();
    }

    /// <summary>Records one event in the station folder's log (file only).</summary>
    public static void Record(string stationDirectory, string messageTemplate, params object?[] values)
    {
        using var log = Create(stationDirectory, verbose: false);
        log.Information(messageTemplate, values);
    }
}
