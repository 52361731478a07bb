using Transmission.Station.Tests.Support;

namespace Transmission.Station.Tests.Election;

public sealed class ElectionInstallTests
{
    [Fact]
    public async Task Install_DefinitionListingThisStation_CopiesExactBytesAndShowsModeAndStation()
    {
        using var world = await StationWorld.CreateAsync(installElection: false);

        var result = await StationCli.Run("election", "install", "--dir", world.StationDir, "--definition", world.DefinitionPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"TEST ELECTION (rehearsal) {TestElection.Id}", result.OutputLines[0]);
        Assert.Contains($"sha256            {world.Definition.Sha256Hex}", result.Output, StringComparison.Ordinal);
        Assert.Contains("station           ST-0001", result.Output, StringComparison.Ordinal);
        Assert.Contains("polling centre    Shkolla \"Naim Frashëri\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("municipality      01 Prishtinë", result.Output, StringComparison.Ordinal);
        Assert.Contains("registered voters 812", result.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(world.DefinitionPath), File.ReadAllBytes(Path.Combine(world.StationDir, "election.json")));
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Install_LiveDefinition_FirstLineSaysLive()
    {
        using var world = await StationWorld.CreateAsync(installElection: false, mode: "live");

        var result = await StationCli.Run("election", "install", "--dir", world.StationDir, "--definition", world.DefinitionPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"LIVE ELECTION {TestElection.Id}", result.OutputLines[0]);
    }

    [Fact]
    public async Task Install_DefinitionWithoutThisStation_RefusedExitFourNothingInstalled()
    {
        using var world = await StationWorld.CreateAsync(installElection: false);
        var other = world.PathOf("other.json");
        File.WriteAllBytes(other, TestElection.Bytes(stations: """{ "code": "ST-0009", "pollingCentre": "X", "municipality": "01", "registeredVoters": 10 }"""));

        var result = await StationCli.Run("election", "install", "--dir", world.StationDir, "--definition", other);

        Assert.Equal(4, result.ExitCode);
        Assert.Equal($"error: election {TestElection.Id} does not list station ST-0001; this definition is not for this station", result.Error.Trim());
        Assert.False(File.Exists(Path.Combine(world.StationDir, "election.json")));
    }

    [Fact]
    public async Task Install_DifferentDefinitionInstalled_RefusedExitThreeUnlessReplace()
    {
        using var world = await StationWorld.CreateAsync();
        var installed = File.ReadAllBytes(Path.Combine(world.StationDir, "election.json"));
        var live = world.PathOf("live.json");
        File.WriteAllBytes(live, TestElection.Bytes(mode: "live"));

        var refused = await StationCli.Run("election", "install", "--dir", world.StationDir, "--definition", live);
        var again = await StationCli.Run("election", "install", "--dir", world.StationDir, "--definition", world.DefinitionPath);

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("give --replace", refused.Error, StringComparison.Ordinal);
        Assert.Equal(installed, File.ReadAllBytes(Path.Combine(world.StationDir, "election.json")));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("(already installed)", again.Output, StringComparison.Ordinal);

        var replaced = await StationCli.Run("election", "install", "--dir", world.StationDir, "--definition", live, "--replace");

        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.Equal(File.ReadAllBytes(live), File.ReadAllBytes(Path.Combine(world.StationDir, "election.json")));
    }

    [Fact]
    public async Task Install_InvalidDefinition_ListsEveryProblemExitTwo()
    {
        using var world = await StationWorld.CreateAsync(installElection: false);
        var bad = world.PathOf("bad.json");
        File.WriteAllText(bad, """{ "electionId": "x", "mode": "maybe" }""");

        var result = await StationCli.Run("election", "install", "--dir", world.StationDir, "--definition", bad);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("[MODE_INVALID]", result.Output, StringComparison.Ordinal);
        Assert.Contains("[FIELD_MISSING]", result.Output, StringComparison.Ordinal);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sq", "problem: Mënyra duhet të jetë provë (test) ose e vërtetë (live). (në anglisht: ", " te $.mode [MODE_INVALID]")]
    [InlineData("sr-Latn", "problem: Režim mora biti probni (test) ili pravi (live). (na engleskom: ", " kod $.mode [MODE_INVALID]")]
    public async Task Install_InvalidDefinitionInAnotherLanguage_MeaningOfEachCodeThenCoresSentenceMarked(string language, string start, string end)
    {
        using var world = await StationWorld.CreateAsync(installElection: false);
        var bad = world.PathOf("bad.json");
        File.WriteAllText(bad, """{ "electionId": "x", "mode": "maybe" }""");
        var english = await StationCli.Run("election", "install", "--dir", world.StationDir, "--definition", bad);

        var result = await StationCli.Run("election", "install", "--dir", world.StationDir, "--definition", bad, "--lang", language);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.OutputLines, l => l.EndsWith("[MODE_INVALID]", StringComparison.Ordinal));
        Assert.StartsWith(start, line, StringComparison.Ordinal);
        Assert.EndsWith(end, line, StringComparison.Ordinal);

        // Core's own sentence, as English shows it, is inside the marked part.
        var coreSentence = Assert.Single(english.OutputLines, l => l.EndsWith("[MODE_INVALID]", StringComparison.Ordinal))["problem: ".Length..^" at $.mode [MODE_INVALID]".Length];
        Assert.Contains("(" + start.Split('(')[^1] + coreSentence + ")", line, StringComparison.Ordinal);
    }
}
