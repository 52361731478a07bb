using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Tests.Election;

namespace Transmission.Core.Tests.Protocol;

public sealed class SampleProtocolsTests
{
    private static readonly ElectionDefinition Generated =
        ElectionDefinition.Parse(ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions())).Definition!;

    [Fact]
    public void Create_EveryGeneratedStation_ZeroViolations()
    {
        foreach (var station in Generated.Stations)
        {
            var protocol = SampleProtocols.Create(Generated, station.Code, seed: 7);

            var report = ProtocolValidator.Validate(protocol, Generated);

            Assert.True(report.IsClean, $"{station.Code}: {report}");
        }
    }

    [Fact]
    public void Create_HandWrittenDefinition_ZeroViolationsEvenWithNoVoters()
    {
        var definition = TestDefinitions.Definition;

        foreach (var station in definition.Stations)
        {
            var report = ProtocolValidator.Validate(SampleProtocols.Create(definition, station.Code, seed: 1), definition);
            Assert.True(report.IsClean, $"{station.Code}: {report}");
        }
    }

    [Fact]
    public void Create_SameSeed_SameCounts_OtherSeed_OtherCounts()
    {
        var code = Generated.Stations[100].Code;

        var a = SampleProtocols.Create(Generated, code, 3);
        var b = SampleProtocols.Create(Generated, code, 3);
        var c = SampleProtocols.Create(Generated, code, 4);

        Assert.Equal(a.Ballots, b.Ballots);
        Assert.Equal(a.SignedAt, b.SignedAt);
        Assert.Equal(Votes(a), Votes(b));
        Assert.NotEqual(Votes(a), Votes(c));
    }

    [Fact]
    public void Create_RealisticShape()
    {
        var station = Generated.Stations[0];

        var p = SampleProtocols.Create(Generated, station.Code, 11);

        Assert.Equal(Generated.ElectionId, p.ElectionId);
        Assert.Equal(station.Code, p.StationCode);
        Assert.Equal(1, p.Revision);
        Assert.Equal(station.RegisteredVoters, p.Ballots.RegisteredVoters);
        Assert.InRange(p.Ballots.Used, station.RegisteredVoters * 35 / 100, station.RegisteredVoters * 65 / 100);
        Assert.True(Generated.NightWindow.Contains(p.SignedAt!.Value));
        Assert.Equal(Generated.Contests.Count, p.Contests.Count);
        Assert.Empty(p.Attachments);
    }

    [Fact]
    public void Create_UnknownStation_Throws()
    {
        Assert.Throws<ArgumentException>(() => SampleProtocols.Create(Generated, "no-such-station", 1));
    }

    private static long[] Votes(ResultProtocol p) => p.Contests.SelectMany(c => c.Choices).Select(c => c.Votes).ToArray();
}
