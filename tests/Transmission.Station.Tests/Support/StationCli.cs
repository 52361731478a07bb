using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Transmission.Cli;
using Transmission.Core.Election;
using Transmission.Core.Pki;
using Transmission.Core.Protocol;
using Transmission.Testing;

namespace Transmission.Station.Tests.Support;

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}

/// <summary>Runs transmission-station's own command tree in-process (Program.CreateRootCommand), with captured writers.</summary>
internal static class StationCli
{
    public static async Task<CliResult> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandInvocation.InvokeAsync(
                Program.CreateRootCommand(TimeProvider.System), args, new System.CommandLine.InvocationConfiguration { Output = output, Error = error })
            .DefaultTimeout();
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static async Task<CliResult> Ok(this Task<CliResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}

/// <summary>
/// A small election PKI in a temp folder, made the way the product makes it but without Central: a root from Core's
/// <see cref="ElectionCa"/>, station keys and CSRs from the station's own <c>keys init</c>, certificates issued from
/// those CSRs by the CA, installed with <c>keys install</c> (which checks them). Station tests have no reference to
/// Central, so <c>pki</c> commands are not available here; this is the same approach as Central's DevelopmentPki.
/// </summary>
internal sealed class StationWorld : IDisposable
{
    public const string Station = "ST-0001";
    public const string OtherStation = "ST-0002";

    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private StationWorld(string root, X509Certificate2? caCertificate)
    {
        Root = root;
        Ca = new ElectionCa(caCertificate ?? ElectionCa.CreateRoot(_caKey, "Station Test Root", TimeProvider.System), TimeProvider.System);
        RootPath = Path.Combine(root, "ca.cert.pem");
        File.WriteAllText(RootPath, Ca.Certificate.ExportCertificatePem() + "\n");
    }

    public string Root { get; }

    public ElectionCa Ca { get; }

    public string RootPath { get; }

    public string StationDir => Path.Combine(Root, "stations", Station);

    public string DefinitionPath => Path.Combine(Root, "election.json");

    public ElectionDefinition Definition => ElectionDefinition.Parse(File.ReadAllBytes(DefinitionPath)).Definition!;

    /// <summary>A station folder with keys, installed certificates and (unless told otherwise) the test election installed.</summary>
    /// <param name="installElection">Whether to install the test election.</param>
    /// <param name="mode">The test election's mode.</param>
    /// <param name="caCertificate">The election root with its key (e.g. a <c>TestCertificates</c> CA, so a test server's TLS certificate chains to it); a new root when null.</param>
    public static async Task<StationWorld> CreateAsync(bool installElection = true, string mode = "test", X509Certificate2? caCertificate = null)
    {
        var world = new StationWorld(Directory.CreateTempSubdirectory("transmission-station-").FullName, caCertificate);
        File.WriteAllBytes(world.DefinitionPath, TestElection.Bytes(mode));
        await world.EnrollAsync(Station, world.StationDir);
        if (installElection)
        {
            await StationCli.Run("election", "install", "--dir", world.StationDir, "--definition", world.DefinitionPath).Ok();
        }

        return world;
    }

    public async Task EnrollAsync(string code, string directory)
    {
        await StationCli.Run("keys", "init", "--station", code, "--dir", directory).Ok();
        var identity = CallerIdentity.Create(Role.Station, code).Value!;
        var issued = Path.Combine(Root, "issued-" + code);
        Directory.CreateDirectory(issued);
        foreach (var (csr, profile, name) in new[]
        {
            ("tls.csr.pem", CertificateProfile.StationTls, "tls.cert.pem"),
            ("signing.csr.pem", CertificateProfile.StationSigning, "signing.cert.pem"),
        })
        {
            var result = Ca.IssueFromRequestPem(File.ReadAllText(Path.Combine(directory, csr)), profile, identity);
            Assert.True(result.IsSuccess, result.ToString());
            using var certificate = result.Value;
            File.WriteAllText(Path.Combine(issued, name), certificate.ExportCertificatePem() + "\n");
        }

        await StationCli.Run(
            "keys", "install", "--dir", directory,
            "--tls-cert", Path.Combine(issued, "tls.cert.pem"),
            "--signing-cert", Path.Combine(issued, "signing.cert.pem"),
            "--ca", RootPath).Ok();
    }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Writes a protocol form: this station's template filled with a valid sample protocol, then <paramref name="change"/>.</summary>
    public string WriteFilledForm(string name, Action<JsonObject>? change = null, string station = Station)
    {
        var definition = Definition;
        var sample = SampleProtocols.Create(definition, station, seed: 7);
        var form = JsonNode.Parse(ProtocolTemplate.Fill(ProtocolTemplate.Create(definition, station), sample))!.AsObject();
        change?.Invoke(form);
        var path = PathOf(name);
        File.WriteAllText(path, form.ToJsonString());
        return path;
    }

    public void Dispose()
    {
        _caKey.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

/// <summary>A small hand-written election (the shape of Core's test definition) whose stations are ST-0001 and ST-0002.</summary>
internal static class TestElection
{
    public const string Id = "ks-station-test";

    public static byte[] Bytes(string mode = "test", string stations = """
            { "code": "ST-0001", "pollingCentre": "Shkolla \"Naim Frashëri\"", "municipality": "01", "registeredVoters": 812 },
            { "code": "ST-0002", "pollingCentre": "Shkolla \"Migjeni\"", "municipality": "02", "registeredVoters": 640 }
        """) => Encoding.UTF8.GetBytes($$"""
        {
          "electionId": "{{Id}}",
          "name": { "sq": "Zgjedhjet provë", "en": "Rehearsal election" },
          "mode": "{{mode}}",
          "nightWindow": { "opensAt": "2025-12-28T19:00:00+01:00", "closesAt": "2025-12-29T07:00:00+01:00" },
          "usedAllowance": 5,
          "contests": [
            { "id": "parties", "name": "Parties", "kind": "single-choice",
              "choices": [
                { "id": "P01", "name": { "sq": "Aleanca Qytetare", "en": "Civic Alliance" } },
                { "id": "P02", "name": "Lista e Gjelbër" },
                { "id": "P03", "name": "Ura" } ] },
            { "id": "candidates", "name": "Candidates", "kind": "preference", "maxPreferences": 2,
              "choices": [
                { "id": "P01-C01", "name": "Arben Berisha", "party": "P01" },
                { "id": "P01-C02", "name": "Drita Gashi", "party": "P01" },
                { "id": "P02-C01", "name": "Jelena Petrović", "party": "P02" },
                { "id": "P03-C01", "name": "Valon Shala", "party": "P03" } ] }
          ],
          "municipalities": [
            { "code": "01", "name": { "sq": "Prishtinë", "sr-Latn": "Priština" } },
            { "code": "02", "name": "Prizren" }
          ],
          "stations": [
            {{stations}}
          ]
        }
        """);
}
