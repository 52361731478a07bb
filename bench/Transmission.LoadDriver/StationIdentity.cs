using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.LoadDriver;

/// <summary>A cached station's TLS client certificate with its private key, as the station's device holds it.</summary>
internal static class StationIdentity
{
    public static X509Certificate2 TlsCertificate(CachedStation station)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(station.TlsCertificate);
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(station.TlsKey, out _);
        return certificate.CopyWithPrivateKey(key);
    }

    public static X509Certificate2 FromPem(string certificatePath, string keyPath) => X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
}
