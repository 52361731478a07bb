using System.Net;
using System.Net.Sockets;

namespace Transmission.Central.Tests.Hosting;

/// <summary>The station chair's <c>handshake</c> command, run as built against the real Central.</summary>
public sealed class StationHandshakeCliTests(RunningCentral central) : IClassFixture<RunningCentral>
{
    [Fact]
    public async Task Handshake_RegisteredStation_ExitsZeroAndPrintsTheIdentityCentralSees()
    {
        var result = await BuiltExecutable.Station("handshake", "--dir", central.Pki.StationDir("ST-0001"), "--central", central.Address.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Connected to Central at {central.Address} as urn:transmission:station:ST-0001", result.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Handshake_NothingListening_ExitsSixWithOneLine()
    {
        var port = FreePort();

        var result = await BuiltExecutable.Station("handshake", "--dir", central.Pki.StationDir("ST-0001"), "--central", $"https://localhost:{port}", "--timeout", "10");

        Assert.True(result.ExitCode == 6, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: Central answered Unavailable:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handshake_HttpAddress_ExitsTwoAsksForHttps()
    {
        var result = await BuiltExecutable.Station("handshake", "--dir", central.Pki.StationDir("ST-0001"), "--central", "http://localhost:7443");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --central must be an https:// address such as https://localhost:7443, not 'http://localhost:7443'", result.Error.Trim());
    }

    [Fact]
    public async Task Handshake_FolderWithoutCertificates_ExitsTwoNamingTheMissingFile()
    {
        var empty = Directory.CreateTempSubdirectory("station-empty-");
        try
        {
            var result = await BuiltExecutable.Station("handshake", "--dir", empty.FullName, "--central", central.Address.ToString());

            Assert.Equal(2, result.ExitCode);
            Assert.Equal($"error: missing TLS certificate (run 'keys install'): {Path.Combine(empty.FullName, "tls.cert.pem")}", result.Error.Trim());
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Handshake_VerifierFolder_RefusedWithExitFour()
    {
        // A verifier's certificate is valid at the TLS layer, but the station service refuses its role.
        var result = await BuiltExecutable.Station("handshake", "--dir", central.Pki.VerifierDir, "--central", central.Address.ToString());

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal(
            "error: Central answered PermissionDenied: /transmission.v1.Transmission/Handshake is for station certificates; the caller is urn:transmission:verifier:verifier-1.",
            result.Error.Trim());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
