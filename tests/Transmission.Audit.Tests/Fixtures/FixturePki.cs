using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;

namespace Transmission.Audit.Tests.Fixtures;

/// <summary>A clock that stands still unless moved.</summary>
internal sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A signing key with its certificate (as a station's or Central's device holds it).</summary>
internal sealed record KeyedCertificate(ECDsa Key, X509Certificate2 Certificate)
{
    public string Serial => RevocationEntry.CanonicalSerial(Certificate);

    public string Uri => CallerIdentity.FromCertificate(Certificate).Value!.Uri;
}

/// <summary>
/// A real election PKI made with Core's <see cref="ElectionCa"/> as the <c>pki</c> commands make it: a root, Central's
/// central-signing certificate, and station signing certificates issued from CSRs (keys generated "on the device").
/// The clock is settable, so certificates and CRLs carry the times of the election story.
/// </summary>
internal sealed class FixturePki
{
    public FixturePki(DateTimeOffset issuedAt, string rootName = "Audit Fixture Election Root")
    {
        Clock = new SettableClock(issuedAt);
        RootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Root = ElectionCa.CreateRoot(RootKey, rootName, Clock);
        Ca = new ElectionCa(Root, Clock);
        var centralKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var central = Ca.Issue(new PublicKey(centralKey), CertificateProfile.CentralSigning, CallerIdentity.Create(Role.Central, "central").Value!);
        CentralSigning = new KeyedCertificate(centralKey, central.Value!);
    }

    public SettableClock Clock { get; }

    public ECDsa RootKey { get; }

    /// <summary>The root with its private key (the CA's copy).</summary>
    public X509Certificate2 Root { get; }

    public ElectionCa Ca { get; }

    public KeyedCertificate CentralSigning { get; }

    public string RootPem => Root.ExportCertificatePem() + "\n";

    /// <summary>Issues a certificate of <paramref name="profile"/> for <paramref name="id"/> through a CSR, as <c>pki issue</c> does.</summary>
    public KeyedCertificate Issue(CertificateProfile profile, string id)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var identity = CallerIdentity.Create(CertificateProfiles.RoleOf(profile), id).Value!;
        var issued = Ca.IssueFromRequestPem(SigningRequests.CreatePem(key, identity), profile, identity);
        if (!issued.IsSuccess)
        {
            throw new InvalidOperationException(issued.ToString());
        }

        return new KeyedCertificate(key, issued.Value);
    }

    /// <summary>A CRL (PEM) with <paramref name="entries"/>, number <paramref name="number"/>, issued at the clock's time.</summary>
    public (byte[] Der, byte[] Pem) Crl(BigInteger number, params RevocationEntry[] entries)
    {
        var der = Ca.BuildRevocationList(entries, number);
        return (der, System.Text.Encoding.ASCII.GetBytes(new string(PemEncoding.Write("X509 CRL", der)) + "\n"));
    }

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";
}
