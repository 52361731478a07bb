using System.Diagnostics;
using Transmission.Core.Election;

namespace Transmission.Core.Tests.Election;

public sealed class ElectionDefinitionGeneratorTests
{
    [Fact]
    public void Generate_SameSeed_IdenticalBytes()
    {
        var options = new ElectionDefinitionGeneratorOptions { Seed = 42, Stations = 300 };

        var first = ElectionDefinitionGenerator.Generate(options);
        var second = ElectionDefinitionGenerator.Generate(options);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Generate_OtherSeed_DifferentBytes()
    {
        var first = ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions { Seed = 1, Stations = 300 });
        var second = ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions { Seed = 2, Stations = 300 });

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Write_ToStream_SameBytesAsGenerate()
    {
        var options = new ElectionDefinitionGeneratorOptions { Stations = 50 };
        using var stream = new MemoryStream();

        ElectionDefinitionGenerator.Write(stream, options);

        Assert.Equal(ElectionDefinitionGenerator.Generate(options), stream.ToArray());
    }

    [Fact]
    public void Generate_Defaults_KosovoShapedDefinitionWithoutErrors()
    {
        var bytes = ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions());

        var result = ElectionDefinition.Parse(bytes);

        Assert.True(result.IsSuccess, result.ToString());
        var d = result.Definition;
        Assert.Equal("ks-2025-assembly", d.ElectionId);
        Assert.Equal(ElectionMode.Test, d.Mode);
        Assert.Equal(2500, d.Stations.Count);
        Assert.Equal(38, d.Municipalities.Count);
        Assert.Equal(38, d.Municipalities.Select(m => m.Name.Get("sq")).Distinct().Count());
        Assert.Contains(d.Municipalities, m => m.Name.Get("sq") == "Prishtinë" && m.Name.Get("sr-Latn") == "Priština");
        Assert.Contains(d.Municipalities, m => m.Name.Get("sq") == "Ferizaj" && m.Name.Get("sr-Latn") == "Uroševac");
        Assert.Contains(d.Municipalities, m => m.Name.Get("sq") == "Gjakovë" && m.Name.Get("sr-Latn") == "Đakovica");
        Assert.All(d.Municipalities, m => Assert.Contains(d.Stations, s => s.MunicipalityCode == m.Code));
        Assert.All(d.Stations, s => Assert.InRange(s.RegisteredVoters, 300, 1000));

        var parties = Assert.Single(d.Contests, c => c.Kind == ContestKind.SingleChoice);
        Assert.Equal(15, parties.Choices.Count);
        var candidates = Assert.Single(d.Contests, c => c.Kind == ContestKind.Preference);
        Assert.Equal(15 * 8, candidates.Choices.Count);
        Assert.Equal(5, candidates.MaxPreferences);
        Assert.All(candidates.Choices, c => Assert.True(parties.HasChoice(c.Party!)));

        // Prishtinë has the most stations, Partesh the fewest.
        var perMunicipality = d.Stations.GroupBy(s => s.MunicipalityCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal("01", perMunicipality.MaxBy(p => p.Value).Key);
        Assert.True(d.NightWindow.OpensAt < d.NightWindow.ClosesAt);
    }

    [Fact]
    public void Generate_Options_Honoured()
    {
        var bytes = ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions
        {
            ElectionId = "live-1",
            Mode = ElectionMode.Live,
            Stations = 45,
            Municipalities = 40,
            Parties = 27,
            CandidatesPerParty = 0,
            UsedAllowance = 7,
            Indented = false,
        });

        var result = ElectionDefinition.Parse(bytes);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("live-1", result.Definition.ElectionId);
        Assert.Equal(ElectionMode.Live, result.Definition.Mode);
        Assert.Equal(45, result.Definition.Stations.Count);
        Assert.Equal(40, result.Definition.Municipalities.Count);
        Assert.Equal(7, result.Definition.UsedAllowance);
        Assert.Equal(27, Assert.Single(result.Definition.Contests).Choices.Count);
        Assert.DoesNotContain((byte)'\n', bytes);
    }

    [Fact]
    public void Generate_FewerStationsThanMunicipalities_StillValid()
    {
        var result = ElectionDefinition.Parse(ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions { Stations = 3 }));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(3, result.Definition.Stations.Count);
    }

    [Fact]
    public void Generate_HundredThousandStations_ParsesQuickly()
    {
        var watch = Stopwatch.StartNew();
        var bytes = ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions { Stations = 100_000, Indented = false });

        var result = ElectionDefinition.Parse(bytes);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(100_000, result.Definition.Stations.Count);
        Assert.True(result.Definition.TryGetStation(result.Definition.Stations[^1].Code, out _));
        // Generous bound for a shared 2-core machine; typically well under 2 s.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(nameof(ElectionDefinitionGeneratorOptions.Stations))]
    [InlineData(nameof(ElectionDefinitionGeneratorOptions.Municipalities))]
    [InlineData(nameof(ElectionDefinitionGeneratorOptions.Parties))]
    [InlineData(nameof(ElectionDefinitionGeneratorOptions.MaxPreferences))]
    [InlineData(nameof(ElectionDefinitionGeneratorOptions.ElectionId))]
    [InlineData(nameof(ElectionDefinitionGeneratorOptions.Mode))]
    public void Generate_UnusableOption_ThrowsNamingIt(string option)
    {
        var options = option switch
        {
            nameof(ElectionDefinitionGeneratorOptions.Stations) => new ElectionDefinitionGeneratorOptions { Stations = 0 },
            nameof(ElectionDefinitionGeneratorOptions.Municipalities) => new ElectionDefinitionGeneratorOptions { Municipalities = 0 },
            nameof(ElectionDefinitionGeneratorOptions.Parties) => new ElectionDefinitionGeneratorOptions { Parties = 0 },
            nameof(ElectionDefinitionGeneratorOptions.MaxPreferences) => new ElectionDefinitionGeneratorOptions { Parties = 1, CandidatesPerParty = 2, MaxPreferences = 3 },
            nameof(ElectionDefinitionGeneratorOptions.ElectionId) => new ElectionDefinitionGeneratorOptions { ElectionId = "a b" },
            _ => new ElectionDefinitionGeneratorOptions { Mode = ElectionMode.Unspecified },
        };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ElectionDefinitionGenerator.Generate(options));

        Assert.Equal(option, e.ParamName);
    }
}
