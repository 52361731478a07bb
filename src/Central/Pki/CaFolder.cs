using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;
using Transmission.Cli;

namespace Transmission.Central.Pki;

/// <summary>
/// The election CA's folder. Layout:
/// <c>ca.key.pem</c> (0600), <c>ca.cert.pem</c>, <c>issued/&lt;SERIAL&gt;.cert.pem</c> (every certificate issued),
/// <c>revocations.tsv</c> (serial, time, reason; append-only), <c>crl.number</c> (last CRL number), <c>crl.pem</c> (latest CRL).
/// </summary>
internal sealed class CaFolder(string path)
{
    public string Path { get; } = path;

    public string KeyPath => System.IO.Path.Combine(Path, "ca.key.pem");

    public string CertificatePath => System.IO.Path.Combine(Path, "ca.cert.pem");

    public string IssuedPath => System.IO.Path.Combine(Path, "issued");

    public string RevocationsPath => System.IO.Path.Combine(Path, "revocations.tsv");

    public string CrlNumberPath => System.IO.Path.Combine(Path, "crl.number");

    public string CrlPath => System.IO.Path.Combine(Path, "crl.pem");

    public bool Exists => File.Exists(KeyPath) || File.Exists(CertificatePath);

    public void Initialize(string commonName, TimeProvider time, IssuancePolicy policy, bool development = false)
    {
        if (Exists)
        {
            throw new CommandFailureException(ExitCodes.WouldOverwrite, $"a CA already exists in {Path}; refusing to overwrite it");
        }

        KeyFiles.CreateDirectory(Path);
        KeyFiles.CreateDirectory(IssuedPath);
        using var key = KeyFiles.NewKey();
        using var root = ElectionCa.CreateRoot(key, commonName, time, policy, development);
        // Key first: a crash leaves a key without a certificate (refused on re-run), never a certificate whose key is lost.
        KeyFiles.WriteNew(KeyPath, KeyFiles.KeyPem(key), secret: true);
        KeyFiles.WriteNew(CertificatePath, root.ExportCertificatePem(), secret: false);
        KeyFiles.WriteNew(RevocationsPath, "# serial\trevoked-at (UTC, ISO 8601)\treason\n", secret: false);
    }

    public ElectionCa Open(TimeProvider time, IssuancePolicy policy)
    {
        if (!File.Exists(CertificatePath) || !File.Exists(KeyPath))
        {
            throw new CommandFailureException(ExitCodes.BadInput, $"no CA in {Path} (expected ca.cert.pem and ca.key.pem; run 'pki init-ca')");
        }

        try
        {
            return new ElectionCa(X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath), time, policy);
        }
        catch (CryptographicException e)
        {
            throw new CommandFailureException(ExitCodes.BadInput, $"cannot load the CA from {Path}: {e.Message}");
        }
    }

    public X509Certificate2 Root() => KeyFiles.ReadCertificate(CertificatePath, "CA certificate");

    public string IssuedCertificatePath(X509Certificate2 certificate) =>
        System.IO.Path.Combine(IssuedPath, RevocationEntry.CanonicalSerial(certificate) + ".cert.pem");

    public void RecordIssued(X509Certificate2 certificate)
    {
        KeyFiles.CreateDirectory(IssuedPath);
        KeyFiles.WriteNew(IssuedCertificatePath(certificate), certificate.ExportCertificatePem(), secret: false);
    }

    public X509Certificate2? FindIssued(string canonicalSerial)
    {
        var file = System.IO.Path.Combine(IssuedPath, canonicalSerial + ".cert.pem");
        return File.Exists(file) ? KeyFiles.ReadCertificate(file) : null;
    }

    public IEnumerable<X509Certificate2> Issued() =>
        Directory.Exists(IssuedPath)
            ? Directory.EnumerateFiles(IssuedPath, "*.cert.pem").Order(StringComparer.Ordinal).Select(f => KeyFiles.ReadCertificate(f))
            : [];

    public List<RevocationEntry> Revocations()
    {
        var entries = new List<RevocationEntry>();
        if (!File.Exists(RevocationsPath))
        {
            return entries;
        }

        var lineNumber = 0;
        foreach (var line in File.ReadLines(RevocationsPath))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 3
                || RevocationEntry.CanonicalSerial(fields[0]) is not { } serial
                || !DateTimeOffset.TryParse(fields[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                || !RevocationReasons.TryParse(fields[2], out var reason))
            {
                throw new CommandFailureException(ExitCodes.BadInput, $"{RevocationsPath}:{lineNumber} is not 'serial<TAB>time<TAB>reason'");
            }

            entries.Add(new RevocationEntry(serial, at, reason));
        }

        return entries;
    }

    public void AppendRevocation(RevocationEntry entry)
    {
        var line = string.Join('\t', entry.SerialNumber, entry.RevokedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), RevocationReasons.Name(entry.Reason)) + "\n";
        if (!File.Exists(RevocationsPath))
        {
            KeyFiles.WriteNew(RevocationsPath, "# serial\trevoked-at (UTC, ISO 8601)\treason\n", secret: false);
        }

        using var stream = new FileStream(RevocationsPath, FileMode.Append, FileAccess.Write, FileShare.None);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(line));
        stream.Flush(flushToDisk: true);
    }

    public BigInteger LastCrlNumber()
    {
        if (!File.Exists(CrlNumberPath))
        {
            return BigInteger.Zero;
        }

        var text = KeyFiles.ReadText(CrlNumberPath, "CRL number").Trim();
        return BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new CommandFailureException(ExitCodes.BadInput, $"{CrlNumberPath} does not hold a number");
    }

    public void SaveCrlNumber(BigInteger number) => KeyFiles.Replace(CrlNumberPath, number.ToString(CultureInfo.InvariantCulture) + "\n");
}

/// <summary>Command-line names of CRL reasons (RFC 5280 §5.3.1).</summary>
internal static class RevocationReasons
{
    private static readonly (string Name, X509RevocationReason? Reason)[] Table =
    [
        ("unspecified", null),
        ("key-compromise", X509RevocationReason.KeyCompromise),
        ("ca-compromise", X509RevocationReason.CACompromise),
        ("affiliation-changed", X509RevocationReason.AffiliationChanged),
        ("superseded", X509RevocationReason.Superseded),
        ("cessation-of-operation", X509RevocationReason.CessationOfOperation),
        ("privilege-withdrawn", X509RevocationReason.PrivilegeWithdrawn),
    ];

    public static IEnumerable<string> Names => Table.Select(t => t.Name);

    public static bool TryParse(string name, out X509RevocationReason? reason)
    {
        foreach (var (candidate, value) in Table)
        {
            if (candidate == name)
            {
                reason = value;
                return true;
            }
        }

        reason = null;
        return false;
    }

    public static string Name(X509RevocationReason? reason) =>
        Table.FirstOrDefault(t => t.Reason == reason).Name ?? reason?.ToString() ?? "unspecified";
}
