using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Testing;

/// <summary>
/// An in-memory ECDSA P-256 PKI for tests: a CA, a server certificate for localhost /
/// 127.0.0.1 and client certificates with a station URI SAN, plus bad certificates
/// (expired, from another CA, without the clientAuth EKU). Nothing touches the OS store.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private static readonly Lazy<TestCertificates> SharedInstance = new(() => new TestCertificates("Transmission Test CA"));

    private readonly ECDsa _caKey;
    private readonly List<X509Certificate2> _issued = [];

    /// <summary>Creates a fresh CA with its own key.</summary>
    public TestCertificates(string caName = "Transmission Test CA")
    {
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        // Backdated so an already-expired leaf can still be issued under it.
        Ca = request.CreateSelfSigned(now.AddDays(-60), now.AddYears(5));
        ServerCertificate = CreateServerCertificate();
        ClientCertificate = CreateClientCertificate("T-001");
    }

    /// <summary>One CA shared by a test run; certificates are cheap but not free.</summary>
    public static TestCertificates Shared => SharedInstance.Value;

    /// <summary>The CA certificate (with its private key).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>A collection holding only <see cref="Ca"/>, for custom root trust.</summary>
    public X509Certificate2Collection TrustedRoots => [Ca];

    /// <summary>The server certificate: SAN DNS localhost and IP 127.0.0.1, serverAuth EKU.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>A client certificate for station T-001.</summary>
    public X509Certificate2 ClientCertificate { get; }

    /// <summary>The URI SAN used for a station's TLS certificate.</summary>
    public static string StationUri(string stationCode) => $"urn:transmission:station:{stationCode}";

    /// <summary>A server certificate for localhost and 127.0.0.1.</summary>
    public X509Certificate2 CreateServerCertificate(string subject = "CN=localhost") =>
        Issue(subject, ServerAuthOid, san =>
        {
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
        });

    /// <summary>A client certificate (clientAuth EKU) whose URI SAN names <paramref name="stationCode"/>.</summary>
    public X509Certificate2 CreateClientCertificate(string stationCode) =>
        Issue($"CN=Station {stationCode}", ClientAuthOid, san => san.AddUri(new Uri(StationUri(stationCode))));

    /// <summary>A client certificate whose URI SAN is <paramref name="uri"/> (for verifiers and auditors).</summary>
    public X509Certificate2 CreateClientCertificateForUri(string commonName, Uri uri) =>
        Issue($"CN={commonName}", ClientAuthOid, san => san.AddUri(uri));

    /// <summary>A client certificate that expired yesterday.</summary>
    public X509Certificate2 CreateExpiredClientCertificate(string stationCode = "T-EXPIRED")
    {
        var now = DateTimeOffset.UtcNow;
        return Issue($"CN=Station {stationCode}", ClientAuthOid, san => san.AddUri(new Uri(StationUri(stationCode))), now.AddDays(-30), now.AddDays(-1));
    }

    /// <summary>A client certificate with only the serverAuth EKU.</summary>
    public X509Certificate2 CreateClientCertificateWithoutClientAuth(string stationCode = "T-NOEKU") =>
        Issue($"CN=Station {stationCode}", ServerAuthOid, san => san.AddUri(new Uri(StationUri(stationCode))));

    /// <summary>A client certificate issued by a different, untrusted CA.</summary>
    public static X509Certificate2 CreateClientCertificateFromOtherCa(string stationCode = "T-OTHER")
    {
        // Not disposed: that would dispose the certificate handed out.
        var other = new TestCertificates("Some Other CA");
        return other.CreateClientCertificate(stationCode);
    }

    /// <summary>
    /// Validates <paramref name="certificate"/> against <see cref="Ca"/> only (never the OS
    /// store), without revocation, requiring <paramref name="ekuOid"/> when given.
    /// </summary>
    public bool Validate(X509Certificate2 certificate, string? ekuOid)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (ekuOid is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ekuOid));
        }

        return chain.Build(certificate);
    }

    /// <summary>Validates a client certificate (clientAuth EKU) against the test CA.</summary>
    public bool ValidateClientCertificate(X509Certificate2 certificate) => Validate(certificate, ClientAuthOid);

    /// <summary>Validates a server certificate (serverAuth EKU) against the test CA.</summary>
    public bool ValidateServerCertificate(X509Certificate2 certificate) => Validate(certificate, ServerAuthOid);

    /// <summary>
    /// Writes the CA, server and default client certificates and keys as PEM files into
    /// <paramref name="directory"/>, for clients in other languages (Python grpcio, Node
    /// grpc-js): ca.pem, server.pem, server.key, client.pem, client.key (PKCS#8).
    /// </summary>
    public PemFiles WritePemFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new PemFiles(
            Path.Combine(directory, "ca.pem"),
            Path.Combine(directory, "server.pem"),
            Path.Combine(directory, "server.key"),
            Path.Combine(directory, "client.pem"),
            Path.Combine(directory, "client.key"));
        File.WriteAllText(files.Ca, Ca.ExportCertificatePem() + "\n");
        File.WriteAllText(files.ServerCertificate, ServerCertificate.ExportCertificatePem() + "\n");
        File.WriteAllText(files.ServerKey, ExportKeyPem(ServerCertificate));
        File.WriteAllText(files.ClientCertificate, ClientCertificate.ExportCertificatePem() + "\n");
        File.WriteAllText(files.ClientKey, ExportKeyPem(ClientCertificate));
        return files;
    }

    /// <summary>The PKCS#8 PEM of <paramref name="certificate"/>'s ECDSA private key.</summary>
    public static string ExportKeyPem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The certificate has no ECDSA private key.");
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    private X509Certificate2 Issue(
        string subject,
        string ekuOid,
        Action<SubjectAlternativeNameBuilder> addNames,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ekuOid)], false));
        var san = new SubjectAlternativeNameBuilder();
        addNames(san);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));

        var now = DateTimeOffset.UtcNow;
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var issued = request.Create(Ca, notBefore ?? now.AddMinutes(-5), notAfter ?? now.AddYears(1), serial);
        using var withKey = issued.CopyWithPrivateKey(key);

        // SslStream on Linux needs the leaf's private key in a form it can hand to OpenSSL;
        // an ephemeral CopyWithPrivateKey key fails the handshake, a PKCS#12 round trip does not.
        var loaded = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        _issued.Add(loaded);
        return loaded;
    }

    public void Dispose()
    {
        foreach (var certificate in _issued)
        {
            certificate.Dispose();
        }

        Ca.Dispose();
        _caKey.Dispose();
    }
}

/// <summary>Where <see cref="TestCertificates.WritePemFiles"/> wrote each file.</summary>
public sealed record PemFiles(string Ca, string ServerCertificate, string ServerKey, string ClientCertificate, string ClientKey);
