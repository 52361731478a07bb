using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Interop.Tests.Support;

/// <summary>
/// A throwaway PKI for one test: an ECDSA P-256 CA, a server certificate for
/// <c>localhost</c> and <c>127.0.0.1</c> (serverAuth) and a client certificate (clientAuth).
/// Created fresh per test so no test depends on another's keys.
/// </summary>
internal sealed class InteropCertificates : IDisposable
{
    private InteropCertificates(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Ca = ca;
        Server = server;
        Client = client;
    }

    public X509Certificate2 Ca { get; }

    /// <summary>The server leaf, with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The client leaf, with its private key.</summary>
    public X509Certificate2 Client { get; }

    public static InteropCertificates Create(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        var notBefore = now.AddMinutes(-5);
        var notAfter = now.AddDays(1);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Transmission Interop Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = caRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1));

        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName("localhost");
        sans.AddIpAddress(IPAddress.Loopback);
        var server = CreateLeaf(ca, caKey, "CN=localhost", "1.3.6.1.5.5.7.3.1", sans.Build(), notBefore, notAfter, serial: 2);
        var client = CreateLeaf(ca, caKey, "CN=interop-client", "1.3.6.1.5.5.7.3.2", extension: null, notBefore, notAfter, serial: 3);
        return new InteropCertificates(ca, server, client);
    }

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 CreateLeaf(
        X509Certificate2 ca, ECDsa caKey, string subject, string extendedKeyUsageOid, X509Extension? extension,
        DateTimeOffset notBefore, DateTimeOffset notAfter, byte serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsageOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (extension is not null)
        {
            request.CertificateExtensions.Add(extension);
        }

        var generator = X509SignatureGenerator.CreateForECDsa(caKey);
        using var publicOnly = request.Create(ca.SubjectName, generator, notBefore, notAfter, [0x01, serial]);
        using var withKey = publicOnly.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so SslStream on Linux can use the key (ephemeral keys are fine here).
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
