using System.Text.Json;
using System.Text.Json.Serialization;

namespace Transmission.LoadDriver;

/// <summary>One run's figures, written to artifacts/bench/&lt;name&gt;.json (docs/performance.md explains each).</summary>
internal sealed record RunReport
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public required string Name { get; init; }
    public required string Mode { get; init; }
    public required DateTime StartedUtc { get; init; }
    public required MachineInfo Machine { get; init; }
    public required int Stations { get; init; }
    public required int ProtocolsPerStation { get; init; }
    public required int Concurrency { get; init; }
    public required IReadOnlyList<string> CentralArgs { get; init; }
    public required bool ReceiptsVerifiedByDriver { get; init; }
    public required long ProtocolsExpected { get; init; }
    public required long ProtocolsReceipted { get; init; }
    /// <summary>Night with --max-seconds: the cap, and how many stations were released before it (null: no cap).</summary>
    public required int? ReleaseCapSeconds { get; init; }
    public required long? StationsReleased { get; init; }
    /// <summary>Central's resident memory during the ingestion, sampled every few seconds with the receipts so far.</summary>
    public required IReadOnlyList<RssSample> RssSamples { get; init; }
    public required long Retries { get; init; }
    public required IReadOnlyDictionary<string, long> Failures { get; init; }
    public required double IngestionSeconds { get; init; }
    /// <summary>Protocols verified and durably stored (receipted) per second.</summary>
    public required double ProtocolsPerSecond { get; init; }
    public required double RawVerifyPerSecond2Threads { get; init; }
    public required double RatioToRawVerify { get; init; }
    public required LatencySummary LatencyMs { get; init; }
    public required bool AllReported { get; init; }
    public required uint StationsReported { get; init; }
    public required double? SecondsTo100PercentReported { get; init; }
    public required double HandshakesPerSecond { get; init; }
    public required long HandshakeFailures { get; init; }
    public required double CentralCpuSecondsIngestion { get; init; }
    public required double CentralCpuSecondsTotal { get; init; }
    public required double? CentralCpuMicrosecondsPerProtocol { get; init; }
    public required long CentralPeakRssBytes { get; init; }
    public required long StorageBytes { get; init; }
    public required long CacheBytes { get; init; }
    public required string LoadAverageBefore { get; init; }
    public required string LoadAverageAfterIngestion { get; init; }
    public required string LoadAverageAfter { get; init; }
}

/// <summary>The machine the run was on.</summary>
internal sealed record MachineInfo(int Processors, string Runtime, string Os);

/// <summary>Central's RSS at a moment of the ingestion, with the protocols receipted by then.</summary>
internal sealed record RssSample(double Seconds, long Receipted, long RssBytes);

/// <summary>Send → verified receipt, in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double P50, double P99, double Max);
