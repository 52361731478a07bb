using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Transmission.Central.Pki;
using Transmission.Cli;
using Transmission.Testing;

namespace Transmission.Central.Tests.Pki;

/// <summary>
/// A PKI made with the product commands: the election CA (created 400 days ago so an expired certificate can be
/// issued), Central's keys, good, revoked-later, expired and foreign station certificates, a verifier.
/// </summary>
public sealed class MutualTlsPki : IAsyncLifetime
{
    private readonly TempFolder _temp = new();

    public string this[string relative] => _temp[relative];

    public async Task InitializeAsync()
    {
        var past = new AdjustableClock(DateTimeOffset.UtcNow.AddDays(-400));
        await InProcessCli.Central(past, "pki", "init-ca", "--ca", _temp["ca"]).Ok();
        await InProcessCli.Central("pki", "init-ca", "--ca", _temp["other-ca"]).Ok();
        await InProcessCli.Central("pki", "issue-central", "--ca", _temp["ca"], "--out", _temp["central"], "--dns", "localhost", "--ip", "127.0.0.1").Ok();
        await InProcessCli.Central("pki", "request", "--identity", "urn:transmission:verifier:verifier-1", "--dir", _temp["verifier-1"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", _temp["ca"], "--csr", _temp["verifier-1/tls.csr.pem"], "--profile", "verifier", "--identity", "verifier-1", "--out", _temp["verifier-1/tls.cert.pem"]).Ok();
        await Station("ST-0001", "ca", null);
        await Station("ST-0002", "ca", null);
        await Station("ST-OLD", "ca", past);
        await Station("ST-0009", "other-ca", null);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A client certificate with an exportable key, as HttpClient on Linux needs.</summary>
    public X509Certificate2 ClientCertificate(string folder, string stem = "tls") =>
        KeyFiles.LoadTlsCertificate(_temp[$"{folder}/{stem}.cert.pem"], _temp[$"{folder}/{stem}.key.pem"]);

    public X509Certificate2 Root => X509CertificateLoader.LoadCertificateFromFile(_temp["ca/ca.cert.pem"]);

    public async Task RevokeAndPublishAsync(string certificatePath)
    {
        await InProcessCli.Central("pki", "revoke", "--ca", _temp["ca"], "--cert", certificatePath, "--reason", "key-compromise").Ok();
        await InProcessCli.Central("pki", "crl", "--ca", _temp["ca"]).Ok();
    }

    private async Task Station(string code, string ca, TimeProvider? clock)
    {
        var dir = _temp[code];
        await InProcessCli.Station("keys", "init", "--station", code, "--dir", dir).Ok();
        await InProcessCli.Central(clock, "pki", "issue", "--ca", _temp[ca], "--csr", Path.Combine(dir, "tls.csr.pem"), "--profile", "station-tls", "--identity", code, "--out", Path.Combine(dir, "tls.cert.pem")).Ok();
        await InProcessCli.Central(clock, "pki", "issue", "--ca", _temp[ca], "--csr", Path.Combine(dir, "signing.csr.pem"), "--profile", "station-signing", "--identity", code, "--out", Path.Combine(dir, "signing.cert.pem")).Ok();
    }
}

public sealed class MutualTlsTests(MutualTlsPki pki) : IClassFixture<MutualTlsPki>, IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private WebApplication? _app;
    private Uri? _address;
    private TempFolder? _crlFolder;

    private string CrlPath => _crlFolder!["crl.pem"];

    public async Task InitializeAsync()
    {
        // Each test gets its own copy of the CRL so that revoking in one test does not leak into another.
        _crlFolder = new TempFolder();
        File.Copy(pki["ca/crl.pem"], CrlPath);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddElectionTrust(new ElectionTlsOptions
        {
            RootCertificatePath = pki["ca/ca.cert.pem"],
            CrlPath = CrlPath,
            ServerCertificatePath = pki["central/tls.cert.pem"],
            ServerKeyPath = pki["central/tls.key.pem"],
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseElectionMutualTls()));
        _app = builder.Build();
        _app.MapGet("/whoami", (HttpContext context) => context.GetCallerIdentity()?.Uri ?? "none");
        await _app.StartAsync().DefaultTimeout();
        _address = new Uri(_app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().DefaultTimeout();
            await _app.DisposeAsync();
        }

        _crlFolder?.Dispose();
    }

    [Fact]
    public async Task Connect_GoodStationCertificate_ReturnsIdentityOverHttp2()
    {
        using var client = Client(pki.ClientCertificate("ST-0001"));

        using var response = await client.GetAsync(new Uri(_address!, "/whoami")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("urn:transmission:station:ST-0001", await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id is 4100 or 4101);
    }

    [Fact]
    public async Task Connect_VerifierCertificate_ReturnsVerifierIdentity()
    {
        using var client = Client(pki.ClientCertificate("verifier-1"));

        Assert.Equal("urn:transmission:verifier:verifier-1", await client.GetStringAsync(new Uri(_address!, "/whoami")).DefaultTimeout());
    }

    [Fact]
    public async Task Connect_NoClientCertificate_RefusedAndLogged()
    {
        await AssertRefusedAsync(null, "CERTIFICATE_MISSING", eventId: 4101);
    }

    [Fact]
    public async Task Connect_ClientSendsNothing_LoggedAsHandshakeTimeoutNotMissingCertificate()
    {
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, _address!.Port).DefaultTimeout();

        // Central closes the connection when its 10 s handshake timeout runs out; the read then ends (or is reset).
        var closed = await Record.ExceptionAsync(async () => Assert.Equal(0, await socket.GetStream().ReadAsync(new byte[16]).AsTask().DefaultTimeout()));

        Assert.True(closed is null or IOException, closed?.ToString());
        var entry = await _logs.WaitForAsync(e => e.EventId.Id == 4102);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("HANDSHAKE_TIMEOUT", entry.State["Reason"]);
        Assert.StartsWith("Security event", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id == 4101);
    }

    [Fact]
    public async Task Connect_CertificateOfAnotherCa_RefusedAndLogged()
    {
        await AssertRefusedAsync(pki.ClientCertificate("ST-0009"), "UNTRUSTED_CHAIN");
    }

    [Fact]
    public async Task Connect_ExpiredCertificate_RefusedAndLogged()
    {
        await AssertRefusedAsync(pki.ClientCertificate("ST-OLD"), "EXPIRED");
    }

    [Fact]
    public async Task Connect_StationSigningCertificate_RefusedWrongKeyUsage()
    {
        await AssertRefusedAsync(pki.ClientCertificate("ST-0001", "signing"), "WRONG_KEY_USAGE");
    }

    [Fact]
    public async Task Connect_CentralServerCertificateAsClient_RefusedWrongKeyUsage()
    {
        await AssertRefusedAsync(pki.ClientCertificate("central"), "WRONG_KEY_USAGE");
    }

    [Fact]
    public async Task Connect_RevokedAfterReload_RefusedWithoutRestart()
    {
        using (var before = Client(pki.ClientCertificate("ST-0002")))
        {
            Assert.Equal("urn:transmission:station:ST-0002", await before.GetStringAsync(new Uri(_address!, "/whoami")).DefaultTimeout());
        }

        await pki.RevokeAndPublishAsync(pki["ST-0002/tls.cert.pem"]);
        File.Copy(pki["ca/crl.pem"], CrlPath, overwrite: true);
        var reloaded = _app!.Services.GetRequiredService<ReloadableElectionTrust>().Reload();

        Assert.True(reloaded.IsSuccess, reloaded.ToString());
        await AssertRefusedAsync(pki.ClientCertificate("ST-0002"), "REVOKED");
        using var other = Client(pki.ClientCertificate("ST-0001"));
        Assert.Equal("urn:transmission:station:ST-0001", await other.GetStringAsync(new Uri(_address!, "/whoami")).DefaultTimeout());
    }

    [Fact]
    public async Task Reload_OlderOrBrokenCrl_RefusedPreviousKept()
    {
        var trust = _app!.Services.GetRequiredService<ReloadableElectionTrust>();
        var original = File.ReadAllText(CrlPath);
        await InProcessCli.Central("pki", "crl", "--ca", pki["ca"]).Ok();
        File.Copy(pki["ca/crl.pem"], CrlPath, overwrite: true);
        Assert.True(trust.Reload().IsSuccess);
        var inForce = trust.Current;

        File.WriteAllText(CrlPath, original);
        var older = trust.Reload();
        File.WriteAllText(CrlPath, "garbage");
        var broken = trust.Reload();
        File.Copy(pki["other-ca/crl.pem"], CrlPath, overwrite: true);
        var foreign = trust.Reload();

        Assert.Equal("CRL_UNTRUSTED", older.ReasonCode);
        Assert.Equal("CRL_MALFORMED", broken.ReasonCode);
        Assert.Equal("CRL_UNTRUSTED", foreign.ReasonCode);
        Assert.Same(inForce, trust.Current);
        Assert.Equal(3, _logs.Entries.Count(e => e.EventId.Id == 4111 && e.Level == LogLevel.Error));
    }

    private async Task AssertRefusedAsync(X509Certificate2? certificate, string reason, int eventId = 4100)
    {
        using var client = Client(certificate);

        var error = await Record.ExceptionAsync(() => client.GetStringAsync(new Uri(_address!, "/whoami")).DefaultTimeout());

        Assert.NotNull(error);
        Assert.True(error is HttpRequestException or AuthenticationException or IOException, error.ToString());
        var entry = await _logs.WaitForAsync(e => e.EventId.Id == eventId);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(reason, entry.State["Reason"]);
        Assert.StartsWith("Security event", entry.Message, StringComparison.Ordinal);
        Assert.NotNull(entry.State["RemoteEndPoint"]);
        Assert.DoesNotContain("PRIVATE KEY", entry.Message, StringComparison.Ordinal);
    }

    private HttpClient Client(X509Certificate2? certificate)
    {
        var root = pki.Root;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // The server is checked against the election root only (never the OS store).
                RemoteCertificateValidationCallback = (_, serverCertificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(root);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return serverCertificate is X509Certificate2 server && chain.Build(server);
                },
                // Present the certificate whatever CA names the server asks for, so the server's own check is what is tested.
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                ClientCertificates = certificate is null ? null : [certificate],
            },
        };
        return new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TestTimeouts.Default,
        };
    }
}
