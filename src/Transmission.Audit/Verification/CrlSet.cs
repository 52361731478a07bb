using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Audit.Bundle;
using Transmission.Core.Pki;

namespace Transmission.Audit.Verification;

/// <summary>A CRL of the bundle whose signature by the root verified.</summary>
/// <param name="Path">Its bundle path.</param>
/// <param name="Sha256Hex">SHA-256 of its DER encoding (what a revocation entry names).</param>
/// <param name="List">The decoded CRL.</param>
internal sealed record LoadedCrl(string Path, string Sha256Hex, RevocationList List)
{
    public BigInteger Number => List.Number;
}

/// <summary>A serial the CRLs revoke: its earliest revocation date and the lowest-numbered CRL that lists it.</summary>
internal sealed record RevokedSerial(string Serial, DateTimeOffset RevokedAt, X509RevocationReason? Reason, BigInteger FirstCrl);

/// <summary>The CRLs of the bundle (<c>pki/crls/</c>), checked against the root and indexed by serial.</summary>
internal sealed class CrlSet
{
    private readonly Dictionary<string, RevokedSerial> _revoked;

    private CrlSet(IReadOnlyList<LoadedCrl> crls)
    {
        Crls = crls;
        _revoked = new Dictionary<string, RevokedSerial>(StringComparer.Ordinal);
        foreach (var crl in crls)
        {
            foreach (var entry in crl.List.Entries)
            {
                if (!_revoked.TryGetValue(entry.SerialNumber, out var known))
                {
                    _revoked.Add(entry.SerialNumber, new RevokedSerial(entry.SerialNumber, entry.RevokedAt, entry.Reason, crl.Number));
                }
                else if (entry.RevokedAt < known.RevokedAt)
                {
                    _revoked[entry.SerialNumber] = known with { RevokedAt = entry.RevokedAt, Reason = entry.Reason };
                }
            }
        }
    }

    /// <summary>The valid CRLs by number.</summary>
    public IReadOnlyList<LoadedCrl> Crls { get; }

    /// <summary>Every serial revoked by any CRL.</summary>
    public IReadOnlyDictionary<string, RevokedSerial> Revoked => _revoked;

    public static CrlSet Empty { get; } = new([]);

    /// <summary>Loads every file of <c>pki/crls/</c>; each problem is a finding and leaves the CRL out.</summary>
    public static CrlSet Load(BundleReader bundle, X509Certificate2 root, Findings findings)
    {
        var loaded = new List<LoadedCrl>();
        foreach (var path in bundle.ListFiles(BundlePaths.CrlFolder))
        {
            var named = BundlePaths.IsSafe(path) ? BundlePaths.CrlNumberOf(path) : null;
            var pem = BundlePaths.IsSafe(path) ? bundle.ReadAllBytes(path) : null;
            var der = pem is null ? null : PemFiles.SingleBlock(pem, "X509 CRL");
            if (der is null)
            {
                findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.CrlInvalid, "The file is not one PEM 'X509 CRL' block.") { Path = path, Reason = "CRL_MALFORMED" });
                continue;
            }

            var result = RevocationList.Load(der, root);
            if (!result.IsSuccess)
            {
                findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.CrlInvalid, $"The CRL is not a valid CRL of the election root: {result.Detail}.") { Path = path, Reason = result.Failure?.ToReasonCode() });
                continue;
            }

            var crl = new LoadedCrl(path, Convert.ToHexStringLower(SHA256.HashData(der)), result.Value);
            if (named != crl.Number)
            {
                findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.CrlNumberMismatch, $"The file name does not state the CRL's number {crl.Number.ToString(CultureInfo.InvariantCulture)} (expected {BundlePaths.Crl(crl.Number)}).") { Path = path });
            }

            loaded.Add(crl);
        }

        loaded.Sort((a, b) => a.Number.CompareTo(b.Number));
        for (var i = 1; i < loaded.Count; i++)
        {
            var (before, after) = (loaded[i - 1], loaded[i]);
            if (after.Number == before.Number || after.List.ThisUpdate < before.List.ThisUpdate)
            {
                findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.CrlOrderInvalid,
                    $"CRL {after.Number.ToString(CultureInfo.InvariantCulture)} (issued {BundleFormat.FormatTime(after.List.ThisUpdate)}) does not follow CRL {before.Number.ToString(CultureInfo.InvariantCulture)} (issued {BundleFormat.FormatTime(before.List.ThisUpdate)}): numbers must increase with time.") { Path = after.Path });
            }
        }

        return new CrlSet(loaded);
    }

    /// <summary>The CRL numbered <paramref name="number"/>, if the bundle has a valid one.</summary>
    public LoadedCrl? ByNumber(BigInteger number) => Crls.FirstOrDefault(c => c.Number == number);
}
