using BenchmarkDotNet.Attributes;
using Transmission.Contracts.Mapping;
using Transmission.Core.Protocol;

namespace Transmission.Benchmarks;

/// <summary>Parsing a realistic signed payload (transmission.v1.ResultProtocol) and mapping it to the domain, as Central does after the signature check.</summary>
[MemoryDiagnoser]
public class ProtocolBenchmarks
{
    private BenchmarkFixture _fixture = null!;

    [GlobalSetup]
    public void Setup() => _fixture = new BenchmarkFixture();

    /// <summary>Size of the payload measured, for the record (printed in the summary's params column by the caller).</summary>
    public int PayloadBytes => _fixture.Payload.Length;

    [Benchmark(Baseline = true)]
    public int Protobuf_Parse() => Contracts.V1.ResultProtocol.Parser.ParseFrom(_fixture.Payload).Contests.Count;

    [Benchmark]
    public int Protobuf_ParseAndMapToDomain() => Contracts.V1.ResultProtocol.Parser.ParseFrom(_fixture.Payload).ToDomain().Value!.Contests.Count;

    [Benchmark]
    public int Protocol_Validate()
    {
        var protocol = Contracts.V1.ResultProtocol.Parser.ParseFrom(_fixture.Payload).ToDomain().Value!;
        return ProtocolValidator.Validate(protocol, _fixture.Definition).Violations.Count;
    }
}
