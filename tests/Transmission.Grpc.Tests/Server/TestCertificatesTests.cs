using System.Security.Cryptography.X509Certificates;
using Transmission.Testing;

namespace Transmission.Grpc.Tests.Server;

public sealed class TestCertificatesTests
{
    [Fact]
    public void ClientCertificate_Default_ValidWithStationUriAndKey()
    {
        var certificates = TestCertificates.Shared;

        Assert.True(certificates.ValidateClientCertificate(certificates.ClientCertificate));
        Assert.True(certificates.ClientCertificate.HasPrivateKey);
        var san = certificates.ClientCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("urn:transmission:station:T-001", san.Format(false), StringComparison.Ordinal);
    }

    [Fact]
    public void ServerCertificate_Default_ValidForServerAuthOnly()
    {
        var certificates = TestCertificates.Shared;

        Assert.True(certificates.ValidateServerCertificate(certificates.ServerCertificate));
        Assert.False(certificates.ValidateClientCertificate(certificates.ServerCertificate));
    }

    [Fact]
    public void BadCertificates_Validate_Refused()
    {
        var certificates = TestCertificates.Shared;

        Assert.False(certificates.ValidateClientCertificate(certificates.CreateExpiredClientCertificate()));
        Assert.False(certificates.ValidateClientCertificate(certificates.CreateClientCertificateWithoutClientAuth()));
        Assert.False(certificates.ValidateClientCertificate(TestCertificates.CreateClientCertificateFromOtherCa()));
    }

    [Fact]
    public async Task TestServer_ClientFromOtherCa_RefusedAtHandshake()
    {
        await using var server = await TestServer.StartAsync(o => o.ConfigureEndpoints = e => e.MapGrpcService<InteropTestService>(InteropTestService.Descriptor));
        using var client = server.CreateHttpClient(TestCertificates.CreateClientCertificateFromOtherCa());

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.SendAsync(RawGrpc.Request("/grpc.testing.TestService/EmptyCall", RawGrpc.Frame(new global::Grpc.Testing.Empty())))).DefaultTimeout();
    }

    [Fact]
    public void WritePemFiles_Directory_WritesLoadableFiles()
    {
        var directory = Path.Combine(Path.GetTempPath(), "transmission-pem-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = TestCertificates.Shared.WritePemFiles(directory);

            using var client = X509Certificate2.CreateFromPemFile(files.ClientCertificate, files.ClientKey);
            Assert.True(client.HasPrivateKey);
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(files.Ca), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
