using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Transmission.Central.Pki;
using Transmission.Contracts.V1;
using Transmission.Core.Pki;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Pki;

/// <summary>
/// Issue 7, item 4: the election's TLS (<see cref="TlsPolicy"/>) on both ends, checked with OpenSSL's own client and
/// server (an independent TLS implementation offering exactly one version or suite at a time): Central negotiates
/// TLS 1.3 when offered, accepts TLS 1.2 only with ECDHE AEAD suites, and refuses TLS 1.0/1.1 and every CBC, RSA or
/// non-ECDHE suite; our client refuses a server that offers only such a suite.
/// </summary>
public sealed class TlsHardeningTests(MutualTlsPki pki) : IClassFixture<MutualTlsPki>, IAsyncLifetime
{
    private WebApplication? _app;
    private int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddElectionTrust(new ElectionTlsOptions
        {
            RootCertificatePath = pki["ca/ca.cert.pem"],
            CrlPath = pki["ca/crl.pem"],
            ServerCertificatePath = pki["central/tls.cert.pem"],
            ServerKeyPath = pki["central/tls.key.pem"],
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseElectionMutualTls()));
        _app = builder.Build();
        _app.MapGet("/whoami", (HttpContext context) => context.GetCallerIdentity()?.Uri ?? "none");
        await _app.StartAsync().DefaultTimeout();
        _port = new Uri(_app.Urls.Single()).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().DefaultTimeout();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Handshake_ClientOffersEverything_Tls13WithAnAeadSuite()
    {
        var result = await ClientAsync();

        Assert.True(result.Established, result.Output);
        Assert.Equal("TLSv1.3", result.Protocol);
        Assert.Contains(result.Suite, new[] { "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256" });
    }

    [Theory]
    [InlineData("ECDHE-ECDSA-AES128-GCM-SHA256")]
    [InlineData("ECDHE-ECDSA-AES256-GCM-SHA384")]
    [InlineData("ECDHE-ECDSA-CHACHA20-POLY1305")]
    public async Task Handshake_Tls12EcdheAeadSuite_Accepted(string suite)
    {
        var result = await ClientAsync("-tls1_2", "-cipher", suite);

        Assert.True(result.Established, result.Output);
        Assert.Equal(("TLSv1.2", suite), (result.Protocol, result.Suite));
    }

    [Theory]
    [InlineData("ECDHE-ECDSA-AES128-SHA256")]
    [InlineData("ECDHE-ECDSA-AES256-SHA384")]
    [InlineData("ECDHE-ECDSA-AES128-SHA")]
    [InlineData("ECDHE-ECDSA-AES256-SHA")]
    [InlineData("AES128-GCM-SHA256")]
    [InlineData("AES256-SHA256")]
    public async Task Handshake_Tls12SuiteWithoutEcdheOrAead_Refused(string suite)
    {
        var result = await ClientAsync("-tls1_2", "-cipher", suite);

        Assert.False(result.Established, result.Output);
    }

    [Theory]
    [InlineData("-tls1")]
    [InlineData("-tls1_1")]
    public async Task Handshake_TlsBelow12_Refused(string version)
    {
        // SECLEVEL=0 lets this OpenSSL client offer the old versions at all, so the refusal is Central's.
        var result = await ClientAsync(version, "-cipher", "DEFAULT@SECLEVEL=0");

        Assert.False(result.Established, result.Output);
    }

    [Fact]
    public async Task Connect_OurClientToAServerOfferingOnlyCbc_RefusedByTheClient()
    {
        var port = FreePort();
        using var server = StartOpenSsl(
            "s_server", "-accept", port.ToString(CultureInfo.InvariantCulture), "-4", "-tls1_2",
            "-cipher", "ECDHE-ECDSA-AES128-SHA256", "-cert", pki["central/tls.cert.pem"], "-key", pki["central/tls.key.pem"], "-alpn", "h2");
        await WaitForPortAsync(port);
        using var channel = GrpcChannel.ForAddress(new Uri($"https://localhost:{port}"), new GrpcChannelOptions
        {
            ClientCertificate = pki.ClientCertificate("ST-0001"),
            TrustedRoots = [pki.Root],
            EnabledSslProtocols = TlsPolicy.Protocols,
            CipherSuitesPolicy = TlsPolicy.CipherSuitesPolicy,
        });
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.AsyncUnaryCall(TransmissionMethods.Handshake, new HandshakeRequest()).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        server.Kill(entireProcessTree: true);
    }

    private async Task<ClientResult> ClientAsync(params string[] options)
    {
        string[] args =
        [
            "s_client", "-connect", $"127.0.0.1:{_port}", "-servername", "localhost", "-brief",
            "-cert", pki["ST-0001/tls.cert.pem"], "-key", pki["ST-0001/tls.key.pem"], "-CAfile", pki["ca/ca.cert.pem"],
            .. options,
        ];
        using var process = StartOpenSsl(args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().DefaultTimeout();
        var output = await stdout + await stderr;
        return new ClientResult(output.Contains("CONNECTION ESTABLISHED", StringComparison.Ordinal), Field(output, "Protocol version: "), Field(output, "Ciphersuite: "), output);
    }

    private static Process StartOpenSsl(params string[] args)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("openssl did not start");
    }

    private static string? Field(string output, string prefix) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private sealed record ClientResult(bool Established, string? Protocol, string? Suite, string Output);
}
