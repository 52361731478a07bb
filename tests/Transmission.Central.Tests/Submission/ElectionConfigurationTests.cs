using Transmission.Central.Hosting;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Pki;
using Transmission.Contracts.V1;
using Transmission.Core.Election;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Submission;

/// <summary>The election definition and the receipt signing key Central is configured with.</summary>
public sealed class ElectionConfigurationTests(RunningCentral central) : IClassFixture<RunningCentral>
{
    [Fact]
    public void Build_InvalidElectionDefinition_OneLineNamingTheFirstError()
    {
        var options = OptionsWithOwnData();
        options.Election.Definition = Path.Combine(central.Pki.Root, $"bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(options.Election.Definition, """{"electionId": "x", "stations": []}""");

        var ex = Assert.Throws<InvalidOperationException>(() => CentralHost.Build(options, central.Pki.Root, central.Logs));

        Assert.StartsWith($"Central:Election:Definition '{options.Election.Definition}' is not a valid election definition: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Build_SigningCertificateIsTheTlsCertificate_RefusedAtStartUp()
    {
        var options = OptionsWithOwnData();
        options.Pki.SigningCertificate = Path.Combine(central.Pki.Root, "central", "tls.cert.pem");
        options.Pki.SigningKey = Path.Combine(central.Pki.Root, "central", "tls.key.pem");

        var ex = Assert.Throws<InvalidOperationException>(() => CentralHost.Build(options, central.Pki.Root, central.Logs));

        Assert.Contains("WRONG_KEY_USAGE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_StationNotInTheRegistry_StationUnknown()
    {
        // A definition whose registry has only ST-0001: ST-0002 holds valid certificates but is not a polling station of it.
        var path = Path.Combine(central.Pki.Root, $"only-st-0001-{Guid.NewGuid():N}.json");
        await File.WriteAllLinesAsync(path + ".txt", ["ST-0001"]);
        await InProcessCli.Run(Central.Election.ElectionCommands.Create(), "election", "generate", "--stations-file", path + ".txt", "--out", path).Ok();
        var small = ElectionDefinition.Parse(await File.ReadAllBytesAsync(path)).Definition!;
        var options = OptionsWithOwnData();
        options.Election.Definition = path;
        await using var app = CentralHost.Build(options, central.Pki.Root, central.Logs);
        await app.StartAsync().DefaultTimeout();
        var address = new UriBuilder(CentralHost.GetListeningAddress(app)) { Host = "localhost" }.Uri;
        var station = new StationSubmitter(central);
        var protocol = station.Protocol("ST-0002", 1) with { DefinitionSha256 = small.Sha256.ToArray() };
        using var channel = StationSubmitter.ChannelTo(address, central.Pki.StationDir("ST-0002"));

        var result = await StationSubmitter.SubmitAsync(channel, station.Sign(protocol).Items("p1"));

        var rejection = result.Single().Rejection;
        Assert.Equal(("STATION_UNKNOWN", (int)StatusCode.InvalidArgument), (rejection.Code, rejection.Status));
        await app.StopAsync().DefaultTimeout();
    }

    [Fact]
    public async Task ElectionGenerate_StationsFile_DefinitionHasExactlyThoseStations()
    {
        var list = Path.Combine(central.Pki.Root, $"stations-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(list, ["# registry", "ST-0009", "", "ST-0003", "AB-12"]);
        var output = list + ".json";

        await InProcessCli.Run(Central.Election.ElectionCommands.Create(), "election", "generate", "--stations-file", list, "--out", output, "--mode", "live").Ok();
        var again = await InProcessCli.Run(Central.Election.ElectionCommands.Create(), "election", "generate", "--stations-file", list, "--out", output);

        var definition = ElectionDefinition.Parse(await File.ReadAllBytesAsync(output)).Definition!;
        Assert.Equal(["ST-0009", "ST-0003", "AB-12"], definition.Stations.Select(s => s.Code));
        Assert.Equal(Core.Election.ElectionMode.Live, definition.Mode);
        Assert.Equal(3, again.ExitCode);
    }

    private CentralOptions OptionsWithOwnData()
    {
        var options = central.Pki.CentralOptions();
        options.DataDirectory = Path.Combine(central.Pki.Root, $"data-{Guid.NewGuid():N}");
        return options;
    }
}
