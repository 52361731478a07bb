using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Transmission.LoadDriver;

/// <summary>The soak's report, written to artifacts/bench/&lt;name&gt;.json (docs/reliability.md explains it).</summary>
internal sealed record SoakReport
{
    public required string Name { get; init; }
    public required string Mode { get; init; }
    public required DateTime StartedUtc { get; init; }
    public required MachineInfo Machine { get; init; }
    public required int Stations { get; init; }
    public required int Workers { get; init; }
    public required double Minutes { get; init; }
    public required double TargetProtocolsPerSecond { get; init; }
    public required double RawVerifyPerSecond2Threads { get; init; }
    public required long Sessions { get; init; }
    public required long ProtocolsReceipted { get; init; }
    public required long DuplicatesReceipted { get; init; }
    public required long SessionsAbandoned { get; init; }
    public required long Decisions { get; init; }
    public required long DecisionsRefused { get; init; }
    public required IReadOnlyDictionary<string, long> Failures { get; init; }
    public required double CentralCpuSeconds { get; init; }
    public required long CentralPeakRssBytes { get; init; }
    public required long StorageBytes { get; init; }
    public required IReadOnlyList<SoakSample> Samples { get; init; }
    public required IReadOnlyList<SoakTrend> Trends { get; init; }
    public required bool Flat { get; init; }
    public required string LoadAverageAfter { get; init; }
}

/// <summary>Runs <see cref="Soak"/> against the started Central and writes and judges its report.</summary>
internal static class SoakRun
{
    public static async Task<int> RunAsync(DriverOptions options, string name, BenchCache cache, CentralProcess central, X509Certificate2 root, X509Certificate2 verifier, double rawVerify, string artifacts, TextWriter log)
    {
        var stations = cache.ReadStations(options.Stations).ToList();
        var duration = TimeSpan.FromMinutes(options.Minutes);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {options.Minutes} min, {stations.Count} stations x {cache.Revisions} pre-signed revisions, {options.Concurrency} stations at a time, aiming at {options.Rate} protocols/s; a sample every {options.SampleSeconds} s"));
        var started = DateTime.UtcNow;
        var outcome = await new Soak(central, root, verifier)
            .RunAsync(stations, options.Concurrency, options.Rate, duration, TimeSpan.FromSeconds(options.SampleSeconds), log);
        var trends = Soak.Judge(outcome.Samples);
        var flat = trends.Count > 0 && trends.All(t => t.Flat);
        var report = new SoakReport
        {
            Name = name,
            Mode = "soak",
            StartedUtc = started,
            Machine = new MachineInfo(Environment.ProcessorCount, Environment.Version.ToString(), Environment.OSVersion.VersionString),
            Stations = stations.Count,
            Workers = options.Concurrency,
            Minutes = options.Minutes,
            TargetProtocolsPerSecond = options.Rate,
            RawVerifyPerSecond2Threads = rawVerify,
            Sessions = outcome.Sessions,
            ProtocolsReceipted = outcome.Receipted,
            DuplicatesReceipted = outcome.Duplicates,
            SessionsAbandoned = outcome.Abandoned,
            Decisions = outcome.Decisions,
            DecisionsRefused = outcome.DecisionsRefused,
            Failures = outcome.Failures.ToDictionary(),
            CentralCpuSeconds = central.CpuSeconds(),
            CentralPeakRssBytes = central.PeakRssBytes(),
            StorageBytes = central.StorageBytes(),
            Samples = outcome.Samples,
            Trends = trends,
            Flat = flat,
            LoadAverageAfter = MachineRates.LoadAverage(),
        };
        await central.DisposeAsync();

        var jsonPath = Path.Combine(artifacts, "bench", name + ".json");
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, RunReport.JsonOptions));
        foreach (var t in trends)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {t.Resource,-8} {t.Start,9:F1} -> {t.End,9:F1} (growth {t.Growth:F1}, allowed {t.Allowed:F1}, max {t.Max:F1}): {(t.Flat ? "flat" : "GROWING")}"));
        }

        // Receipts that do not verify or protocols refused are failures of the night, not of the pace.
        var broken = outcome.Failures.Keys.Where(k => k.StartsWith("receipt", StringComparison.Ordinal) || k.StartsWith("refused", StringComparison.Ordinal)).ToList();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {outcome.Receipted:N0} protocols receipted in {outcome.Sessions:N0} station visits ({outcome.Duplicates:N0} resends, {outcome.Abandoned:N0} left without waiting), {outcome.Decisions:N0} decisions; failures: {(outcome.Failures.IsEmpty ? "none" : string.Join(", ", outcome.Failures.Select(f => $"{f.Key} x{f.Value}")))}"));
        log.WriteLine($"soak: {(flat ? "FLAT" : trends.Count == 0 ? "TOO SHORT TO JUDGE (fewer than 10 samples)" : "NOT FLAT")}; wrote {jsonPath}");
        return flat && broken.Count == 0 && outcome.Receipted > 0 ? 0 : 1;
    }
}
