using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Interop.Tests.Support;

/// <summary>
/// Certificates written as PEM into a temporary folder for a peer process: the CA that
/// signs both sides, and one leaf with its PKCS#8 private key. Deleted on dispose.
/// </summary>
internal sealed class PemFiles : IDisposable
{
    private readonly DirectoryInfo _directory;

    private PemFiles(DirectoryInfo directory, string caPath, string certificatePath, string keyPath)
    {
        _directory = directory;
        CaPath = caPath;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    public string CaPath { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>Writes <paramref name="ca"/> and <paramref name="leaf"/> (which must carry an ECDSA or RSA private key).</summary>
    public static PemFiles Write(X509Certificate2 ca, X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(leaf);
        var directory = Directory.CreateTempSubdirectory("transmission-interop-pem-");
        var caPath = Path.Combine(directory.FullName, "ca.pem");
        var certificatePath = Path.Combine(directory.FullName, "leaf.pem");
        var keyPath = Path.Combine(directory.FullName, "leaf.key");
        File.WriteAllText(caPath, ca.ExportCertificatePem() + "\n");
        File.WriteAllText(certificatePath, leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, ExportPrivateKeyPem(leaf) + "\n");
        return new PemFiles(directory, caPath, certificatePath, keyPath);
    }

    public void Dispose()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static string ExportPrivateKeyPem(X509Certificate2 certificate)
    {
        using (var ecdsa = certificate.GetECDsaPrivateKey())
        {
            if (ecdsa is not null)
            {
                return ecdsa.ExportPkcs8PrivateKeyPem();
            }
        }

        using var rsa = certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException($"Certificate {certificate.Subject} has no exportable ECDSA or RSA private key.", nameof(certificate));
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}
