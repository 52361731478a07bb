using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;
using Transmission.Cli;

namespace Transmission.Station.Enrollment;

/// <summary>
/// A station's key folder. Layout: <c>identity</c> (the station URN), <c>tls.key.pem</c> and <c>signing.key.pem</c>
/// (0600, generated here, never leave), <c>tls.csr.pem</c>, <c>signing.csr.pem</c>, and once installed
/// <c>tls.cert.pem</c>, <c>signing.cert.pem</c>, <c>ca.cert.pem</c>. The same folder holds <c>logs/</c> and the
/// outbox (<c>outbox.db</c> with its <c>-wal</c> and <c>-shm</c>, 0600; see <see cref="Outbox.Outbox"/>).
/// </summary>
internal sealed class StationKeyFolder(string path)
{
    public string Path { get; } = path;

    public string IdentityPath => File("identity");

    public string TlsKeyPath => File("tls.key.pem");

    public string SigningKeyPath => File("signing.key.pem");

    public string TlsCsrPath => File("tls.csr.pem");

    public string SigningCsrPath => File("signing.csr.pem");

    public string TlsCertificatePath => File("tls.cert.pem");

    public string SigningCertificatePath => File("signing.cert.pem");

    public string RootPath => File("ca.cert.pem");

    public bool HasKeys => System.IO.File.Exists(TlsKeyPath) || System.IO.File.Exists(SigningKeyPath);

    public CallerIdentity ReadIdentity()
    {
        var text = KeyFiles.ReadText(IdentityPath, Localization.StationText.WhatStationIdentity).Trim();
        var parsed = CallerIdentity.Parse(text);
        return parsed.IsSuccess && parsed.Value.Role == Role.Station
            ? parsed.Value
            : throw new CommandFailureException(ExitCodes.BadInput, Cli.Localization.Localized.Format(Localization.StationText.NotStationIdentity, IdentityPath));
    }

    /// <summary>Generates both keys and CSRs. Keys are written before anything that refers to them.</summary>
    public void Create(CallerIdentity identity)
    {
        KeyFiles.CreateDirectory(Path);
        using var tls = KeyFiles.NewKey();
        using var signing = KeyFiles.NewKey();
        KeyFiles.WriteNew(TlsKeyPath, KeyFiles.KeyPem(tls), secret: true);
        KeyFiles.WriteNew(SigningKeyPath, KeyFiles.KeyPem(signing), secret: true);
        KeyFiles.WriteNew(IdentityPath, identity.Uri + "\n", secret: false);
        KeyFiles.WriteNew(TlsCsrPath, SigningRequests.CreatePem(tls, identity), secret: false);
        KeyFiles.WriteNew(SigningCsrPath, SigningRequests.CreatePem(signing, identity), secret: false);
    }

    /// <summary>Recreates a missing CSR from its existing key (after an interrupted init); never touches a key.</summary>
    public void EnsureCsrs(CallerIdentity identity)
    {
        foreach (var (keyPath, csrPath) in new[] { (TlsKeyPath, TlsCsrPath), (SigningKeyPath, SigningCsrPath) })
        {
            if (!System.IO.File.Exists(csrPath))
            {
                using var key = KeyFiles.ReadPrivateKey(keyPath);
                KeyFiles.WriteNew(csrPath, SigningRequests.CreatePem(key, identity), secret: false);
            }
        }
    }

    public static bool SameKey(X509Certificate2 certificate, ECDsa key) =>
        certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());

    private string File(string name) => System.IO.Path.Combine(Path, name);
}
