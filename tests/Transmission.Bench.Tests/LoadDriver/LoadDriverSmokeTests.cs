using System.Text.Json;
using Transmission.Testing;

namespace Transmission.Bench.Tests.LoadDriver;

/// <summary>
/// Runs the real load driver (its own process) against the real Central (started by the driver on 127.0.0.1, fresh
/// SQLite file) with a handful of stations, and checks that the JSON report is complete and consistent.
/// </summary>
public sealed class LoadDriverSmokeTests : IDisposable
{
    // Certificates for a few stations, a Release-or-Debug Central start-up, a 5 s handshake phase: well under this.
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "transmission-bench-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Night_FewStations_ReportIsCompleteAndConsistent()
    {
        var (exit, output) = await RunDriverAsync("--stations", "6", "--concurrency", "2", "--name", "smoke-night");

        Assert.True(exit == 0, $"driver exit {exit}: {output}");
        using var report = ReadReport("smoke-night");
        var r = report.RootElement;
        Assert.Equal("night", r.GetProperty("mode").GetString());
        Assert.Equal(6, r.GetProperty("stations").GetInt32());
        Assert.Equal(6, r.GetProperty("protocolsExpected").GetInt64());
        Assert.Equal(6, r.GetProperty("protocolsReceipted").GetInt64());
        Assert.True(r.GetProperty("receiptsVerifiedByDriver").GetBoolean());
        Assert.Empty(r.GetProperty("failures").EnumerateObject());
        Assert.True(r.GetProperty("allReported").GetBoolean());
        Assert.Equal(6u, r.GetProperty("stationsReported").GetUInt32());
        AssertConsistent(r, expectedLatencies: 6);
        Assert.True(r.GetProperty("secondsTo100PercentReported").GetDouble() >= r.GetProperty("ingestionSeconds").GetDouble() * 0.99);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("releaseCapSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("stationsReleased").ValueKind);
        var last = r.GetProperty("rssSamples").EnumerateArray().Last();
        Assert.Equal(6, last.GetProperty("receipted").GetInt64());
        Assert.True(last.GetProperty("rssBytes").GetInt64() > 0);
    }

    [Fact]
    public async Task Night_ReleaseCap_StopsReleasingAndReportsWhatWasReportedWithinIt()
    {
        // One station at a time for 1 s: a full mutual-TLS handshake, a submission and a verified receipt each take
        // several milliseconds of CPU, so 200 stations cannot all be released within the cap.
        var (exit, output) = await RunDriverAsync("--stations", "200", "--concurrency", "1", "--max-seconds", "1", "--name", "smoke-capped");

        Assert.True(exit == 0, $"driver exit {exit}: {output}");
        using var report = ReadReport("smoke-capped");
        var r = report.RootElement;
        Assert.Equal(1, r.GetProperty("releaseCapSeconds").GetInt32());
        var released = r.GetProperty("stationsReleased").GetInt64();
        Assert.InRange(released, 1, 199);
        Assert.Equal(released, r.GetProperty("protocolsReceipted").GetInt64());
        Assert.Equal((uint)released, r.GetProperty("stationsReported").GetUInt32());
        Assert.False(r.GetProperty("allReported").GetBoolean());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("secondsTo100PercentReported").ValueKind);
        Assert.Equal(released, r.GetProperty("rssSamples").EnumerateArray().Last().GetProperty("receipted").GetInt64());
    }

    [Fact]
    public async Task Streams_TwoStreamsOfThreeRevisions_ReportIsCompleteAndConsistent()
    {
        var (exit, output) = await RunDriverAsync("--mode", "streams", "--streams", "2", "--per-stream", "3", "--name", "smoke-streams");

        Assert.True(exit == 0, $"driver exit {exit}: {output}");
        using var report = ReadReport("smoke-streams");
        var r = report.RootElement;
        Assert.Equal("streams", r.GetProperty("mode").GetString());
        Assert.Equal(6, r.GetProperty("protocolsExpected").GetInt64());
        Assert.Equal(6, r.GetProperty("protocolsReceipted").GetInt64());
        Assert.Empty(r.GetProperty("failures").EnumerateObject());
        Assert.Equal(2u, r.GetProperty("stationsReported").GetUInt32());
        AssertConsistent(r, expectedLatencies: 6);
    }

    [Fact]
    public async Task Soak_HalfAMinute_SamplesJudgedAndExitCodeMatchesTheVerdict()
    {
        var (exit, output) = await RunDriverAsync("--mode", "soak", "--minutes", "0.5", "--stations", "6", "--concurrency", "2", "--rate", "4", "--sample-seconds", "2", "--name", "smoke-soak");

        using var report = ReadReport("smoke-soak");
        var r = report.RootElement;
        Assert.Equal("soak", r.GetProperty("mode").GetString());
        Assert.Equal(6, r.GetProperty("stations").GetInt32());
        var samples = r.GetProperty("samples").EnumerateArray().ToList();
        Assert.InRange(samples.Count, 10, 20);
        Assert.All(samples, s =>
        {
            Assert.True(s.GetProperty("rssBytes").GetInt64() > 0);
            Assert.True(s.GetProperty("handles").GetInt32() > 0);
            Assert.True(s.GetProperty("threads").GetInt32() > 0);
        });
        Assert.Equal(samples.Select(s => s.GetProperty("receipted").GetInt64()).Order(), samples.Select(s => s.GetProperty("receipted").GetInt64()));
        Assert.True(r.GetProperty("protocolsReceipted").GetInt64() > 0, output);
        Assert.True(r.GetProperty("sessions").GetInt64() >= r.GetProperty("sessionsAbandoned").GetInt64());
        Assert.DoesNotContain(r.GetProperty("failures").EnumerateObject(), f => f.Name.StartsWith("receipt", StringComparison.Ordinal) || f.Name.StartsWith("refused", StringComparison.Ordinal));
        var trends = r.GetProperty("trends").EnumerateArray().ToList();
        Assert.Equal(["rssMiB", "handles", "threads"], trends.Select(t => t.GetProperty("resource").GetString()));
        Assert.All(trends, t => Assert.Equal(t.GetProperty("growth").GetDouble() <= t.GetProperty("allowed").GetDouble(), t.GetProperty("flat").GetBoolean()));
        var flat = r.GetProperty("flat").GetBoolean();
        Assert.Equal(trends.All(t => t.GetProperty("flat").GetBoolean()), flat);
        Assert.True(exit == (flat ? 0 : 1), $"driver exit {exit}, flat {flat}: {output}");
    }

    [Fact]
    public async Task Driver_UnknownOption_OneLineAndExit2()
    {
        var (exit, output) = await RunDriverAsync("--stations", "many");

        Assert.Equal(2, exit);
        Assert.Equal("error: --stations 'many' is not a positive whole number", output.Trim());
    }

    private static void AssertConsistent(JsonElement r, int expectedLatencies)
    {
        var receipted = r.GetProperty("protocolsReceipted").GetInt64();
        var seconds = r.GetProperty("ingestionSeconds").GetDouble();
        var rate = r.GetProperty("protocolsPerSecond").GetDouble();
        var raw = r.GetProperty("rawVerifyPerSecond2Threads").GetDouble();
        Assert.True(seconds > 0);
        Assert.Equal(receipted / seconds, rate, 6);
        Assert.True(raw > 0);
        Assert.Equal(rate / raw, r.GetProperty("ratioToRawVerify").GetDouble(), 9);
        var latency = r.GetProperty("latencyMs");
        Assert.Equal(expectedLatencies, latency.GetProperty("count").GetInt32());
        Assert.True(latency.GetProperty("p50").GetDouble() > 0);
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
        Assert.True(latency.GetProperty("p99").GetDouble() <= latency.GetProperty("max").GetDouble());
        Assert.True(r.GetProperty("handshakesPerSecond").GetDouble() > 0);
        Assert.Equal(0, r.GetProperty("handshakeFailures").GetInt64());
        Assert.True(r.GetProperty("centralCpuSecondsIngestion").GetDouble() > 0);
        Assert.True(r.GetProperty("centralCpuSecondsTotal").GetDouble() >= r.GetProperty("centralCpuSecondsIngestion").GetDouble());
        Assert.True(r.GetProperty("centralPeakRssBytes").GetInt64() > 0);
        Assert.True(r.GetProperty("storageBytes").GetInt64() > 0);
        foreach (var name in new[] { "loadAverageBefore", "loadAverageAfterIngestion", "loadAverageAfter" })
        {
            Assert.Equal(3, r.GetProperty(name).GetString()!.Split(' ').Length);
        }
    }

    private JsonDocument ReadReport(string name) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_artifacts, "bench", name + ".json")));

    private async Task<(int Exit, string Output)> RunDriverAsync(params string[] args)
    {
        var central = Path.Combine(AppContext.BaseDirectory, "transmission-central.dll");
        var run = await BuiltProgram.RunAsync("transmission-loaddriver", [.. args, "--central-dll", central, "--artifacts", _artifacts], RunTimeout);
        return (run.ExitCode, run.Stderr + run.Stdout);
    }

    public void Dispose()
    {
        if (Directory.Exists(_artifacts))
        {
            Directory.Delete(_artifacts, recursive: true);
        }
    }
}
