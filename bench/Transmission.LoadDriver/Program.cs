using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Transmission.LoadDriver;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(DriverOptions.Usage);
    return 0;
}

var options = DriverOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine($"error: {error}");
    return 2;
}

var repo = options.Repo ?? FindRepo(Directory.GetCurrentDirectory());
if (repo is null && (options.CentralDll is null || options.Artifacts is null))
{
    Console.Error.WriteLine("error: no Transmission.sln in this folder or above it; give --repo (or --central-dll and --artifacts)");
    return 2;
}

var centralDll = Path.GetFullPath(options.CentralDll ?? Path.Combine(repo!, "src", "Central", "bin", "Release", "net10.0", "transmission-central.dll"));
var artifacts = Path.GetFullPath(options.Artifacts ?? Path.Combine(repo!, "artifacts"));
if (!File.Exists(centralDll))
{
    Console.Error.WriteLine($"error: {centralDll} is missing; build it first: dotnet build src/Central -c Release");
    return 2;
}

var streams = options.Mode == "streams";
var soak = options.Mode == "soak";
var stations = streams ? options.Streams : options.Stations;
// A soak needs enough pre-signed corrections for its whole run at its rate, with room to spare: running out would
// leave the end of the run idle, and an idle Central looks flatter than a busy one.
var revisions = streams ? options.PerStream
    : soak ? (int)Math.Ceiling(options.Rate * options.Minutes * 60 * 1.5 / stations) + 1
    : 1;
var name = options.Name ?? $"{options.Mode}-{stations}{(streams ? "x" + revisions : string.Empty)}{(soak ? "-" + options.Minutes.ToString(CultureInfo.InvariantCulture) + "min" : string.Empty)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
var runDirectory = Path.Combine(artifacts, "bench", name);
if (Directory.Exists(runDirectory))
{
    Directory.Delete(runDirectory, recursive: true);
}

Directory.CreateDirectory(runDirectory);
var log = Console.Out;
var cache = BenchCache.OpenOrCreate(Path.Combine(artifacts, "bench-cache"), stations, revisions, log);
using var root = X509CertificateLoader.LoadCertificateFromFile(cache.RootCertificate);
using var verifier = StationIdentity.FromPem(cache.VerifierCertificate, cache.VerifierKey);

var loadBefore = LoadAverage();
log.WriteLine($"load average before: {loadBefore}");
log.WriteLine("raw ECDSA P-256 verify, 2 threads, 3 s ...");
var rawVerify = MachineRates.RawVerifyRate(threads: 2, TimeSpan.FromSeconds(3));
log.WriteLine($"  {rawVerify:F0} verifications/s");

await using var central = await CentralProcess.StartAsync(centralDll, cache, runDirectory, options.CentralArgs, TimeSpan.FromSeconds(120));
log.WriteLine($"Central (pid {central.Id}) serving on {central.Address}");
// One call before the clock starts, so the night does not time Central's first TLS connection and JIT of that path.
await Ingestion.WaitForReportedAsync(central.Address, root, verifier, 0, TimeSpan.FromSeconds(60));
if (soak)
{
    return await SoakRun.RunAsync(options, name, cache, central, root, verifier, rawVerify, artifacts, log);
}

var cpuBefore = central.CpuSeconds();
var ingestion = new Ingestion(central.Address, root, options.VerifyReceipts);
var nightWatch = Stopwatch.StartNew();
var outcome = new IngestionOutcome();
var rssSamples = new List<RssSample>();
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    // Memory against protocols stored: the growth per stored protocol is what a bigger night would need.
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
    try
    {
        while (await timer.WaitForNextTickAsync(sampling.Token))
        {
            var sample = new RssSample(Math.Round(nightWatch.Elapsed.TotalSeconds, 1), Interlocked.Read(ref outcome.Receipted), central.RssBytes());
            lock (rssSamples)
            {
                rssSamples.Add(sample);
            }

            if (rssSamples.Count % 6 == 0)
            {
                log.WriteLine($"  {sample.Seconds:F0} s: {sample.Receipted:N0} receipted, Central RSS {sample.RssBytes / (1024 * 1024)} MiB");
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
});
long expectedProtocols;
if (streams)
{
    var open = cache.ReadStations(stations).ToList();
    expectedProtocols = (long)stations * revisions;
    log.WriteLine($"streams: {stations} open station streams x {revisions} protocols = {expectedProtocols:N0}");
    nightWatch.Restart();
    await ingestion.StreamsAsync(outcome, open, CancellationToken.None);
}
else
{
    expectedProtocols = stations;
    log.WriteLine($"night: {stations:N0} stations, each on its own mTLS connection, {options.Concurrency} at a time");
    var step = Math.Max(1, stations / 10);
    var cap = options.MaxSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
    if (cap is not null)
    {
        log.WriteLine($"  no station is released after {cap.Value.TotalSeconds:F0} s");
    }

    await ingestion.NightAsync(outcome, cache.ReadStations(stations), options.Concurrency, cap, n =>
    {
        if (n % step == 0)
        {
            log.WriteLine($"  {n:N0} receipted ({nightWatch.Elapsed.TotalSeconds:F1} s)");
        }
    }, CancellationToken.None);
}

await sampling.CancelAsync();
await sampler;
rssSamples.Add(new RssSample(Math.Round(nightWatch.Elapsed.TotalSeconds, 1), Interlocked.Read(ref outcome.Receipted), central.RssBytes()));
var cpuIngestion = central.CpuSeconds() - cpuBefore;
// Stations that never got a receipt (failures are in the report) cannot show up in the totals: wait for the ones that did.
var reportable = streams ? stations : outcome.Receipted;
var (_, reported) = await Ingestion.WaitForReportedAsync(central.Address, root, verifier, reportable, TimeSpan.FromMinutes(5));
var allReported = reported >= stations;
var timeToReported = nightWatch.Elapsed;
var loadAfterIngestion = LoadAverage();
log.WriteLine($"ingestion done in {outcome.Elapsed.TotalSeconds:F2} s; Central's totals: {reported:N0} of {stations:N0} stations reported at {timeToReported.TotalSeconds:F2} s");

log.WriteLine("mTLS handshakes against Central, 5 s ...");
var identities = cache.ReadStations(Math.Min(stations, 256)).Select(StationIdentity.TlsCertificate).ToList();
var (handshakes, handshakeFailures) = await MachineRates.HandshakeRateAsync(central.Address, root, identities, concurrency: 16, TimeSpan.FromSeconds(5));
identities.ForEach(c => c.Dispose());
log.WriteLine($"  {handshakes:F0} handshakes/s ({handshakeFailures} failed)");

var cpuTotal = central.CpuSeconds() - cpuBefore;
var peakRss = central.PeakRssBytes();
var storage = central.StorageBytes();
await central.DisposeAsync();

var latencies = outcome.SortedLatenciesMs();
var rate = outcome.Receipted / outcome.Elapsed.TotalSeconds;
var report = new RunReport
{
    Name = name,
    Mode = options.Mode,
    StartedUtc = DateTime.UtcNow - nightWatch.Elapsed,
    Machine = new MachineInfo(Environment.ProcessorCount, Environment.Version.ToString(), Environment.OSVersion.VersionString),
    Stations = stations,
    ProtocolsPerStation = revisions,
    Concurrency = streams ? stations : options.Concurrency,
    CentralArgs = options.CentralArgs,
    ReceiptsVerifiedByDriver = options.VerifyReceipts,
    ProtocolsExpected = expectedProtocols,
    ProtocolsReceipted = outcome.Receipted,
    ReleaseCapSeconds = streams ? null : options.MaxSeconds,
    StationsReleased = streams || options.MaxSeconds is null ? null : outcome.Released,
    RssSamples = rssSamples,
    Retries = outcome.Retries,
    Failures = outcome.Failures.ToDictionary(),
    IngestionSeconds = outcome.Elapsed.TotalSeconds,
    ProtocolsPerSecond = rate,
    RawVerifyPerSecond2Threads = rawVerify,
    RatioToRawVerify = rate / rawVerify,
    LatencyMs = new LatencySummary(latencies.Length, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Length > 0 ? latencies[^1] : double.NaN),
    AllReported = allReported,
    StationsReported = reported,
    SecondsTo100PercentReported = allReported ? timeToReported.TotalSeconds : null,
    HandshakesPerSecond = handshakes,
    HandshakeFailures = handshakeFailures,
    CentralCpuSecondsIngestion = cpuIngestion,
    CentralCpuSecondsTotal = cpuTotal,
    CentralCpuMicrosecondsPerProtocol = outcome.Receipted > 0 ? cpuIngestion * 1e6 / outcome.Receipted : null,
    CentralPeakRssBytes = peakRss,
    StorageBytes = storage,
    CacheBytes = cache.SizeOnDisk,
    LoadAverageBefore = loadBefore,
    LoadAverageAfterIngestion = loadAfterIngestion,
    LoadAverageAfter = LoadAverage(),
};
var json = JsonSerializer.Serialize(report, RunReport.JsonOptions);
var jsonPath = Path.Combine(artifacts, "bench", name + ".json");
await File.WriteAllTextAsync(jsonPath, json);
log.WriteLine(json);
log.WriteLine($"wrote {jsonPath}");
// A capped night is complete when every station it released was receipted and reported.
var complete = options.MaxSeconds is not null && !streams
    ? outcome.Receipted == outcome.Released && reported >= outcome.Receipted
    : outcome.Receipted == expectedProtocols && allReported;
return complete ? 0 : 1;

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static string LoadAverage() => MachineRates.LoadAverage();

static string? FindRepo(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Transmission.sln")))
        {
            return dir.FullName;
        }
    }

    return null;
}
