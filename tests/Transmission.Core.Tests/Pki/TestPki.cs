using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;

namespace Transmission.Core.Tests.Pki;

/// <summary>A clock that stands still unless moved.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>An in-memory election PKI on a fixed clock (2025-06-01 12:00 UTC).</summary>
internal sealed class TestPki
{
    public static readonly DateTimeOffset Epoch = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public TestPki(string name = "Test Election Root")
    {
        Clock = new FixedTimeProvider(Epoch);
        RootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Root = ElectionCa.CreateRoot(RootKey, name, Clock);
        Ca = new ElectionCa(Root, Clock);
    }

    public FixedTimeProvider Clock { get; }

    public ECDsa RootKey { get; }

    public X509Certificate2 Root { get; }

    public ElectionCa Ca { get; }

    /// <summary>The root without its private key, as distributed.</summary>
    public X509Certificate2 PublicRoot => X509CertificateLoader.LoadCertificate(Root.RawData);

    public static CallerIdentity Identity(Role role, string id) => CallerIdentity.Create(role, id).Value!;

    public static CallerIdentity Station(string code = "ST-0001") => Identity(Role.Station, code);

    /// <summary>Issues through the CSR path with a fresh key; returns the certificate with its key.</summary>
    public X509Certificate2 IssueWithKey(CertificateProfile profile, CallerIdentity identity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = SigningRequests.CreatePem(key, identity);
        string[]? dns = profile == CertificateProfile.CentralTls ? ["localhost"] : null;
        IPAddress[]? ips = profile == CertificateProfile.CentralTls ? [IPAddress.Loopback] : null;
        var result = Ca.IssueFromRequestPem(csr, profile, identity, dns, ips);
        Assert.True(result.IsSuccess, result.ToString());
        using var issued = result.Value;
        return issued.CopyWithPrivateKey(key);
    }

    public X509Certificate2 Issue(CertificateProfile profile, string id = "ST-0001") =>
        IssueWithKey(profile, Identity(CertificateProfiles.RoleOf(profile), id));

    /// <summary>
    /// A certificate signed by this root with whatever extensions the test wants (bypassing the profiles),
    /// valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> (defaults: a minute ago to a day ahead).
    /// </summary>
    public X509Certificate2 IssueRaw(IEnumerable<X509Extension> extensions, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string subject = "CN=raw")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        return request.Create(Root, notBefore ?? Clock.Now.AddMinutes(-1), notAfter ?? Clock.Now.AddDays(1), RandomNumberGenerator.GetBytes(8));
    }

    public static X509Extension[] ClientExtensions(string? uri = "urn:transmission:station:ST-0001") =>
    [
        new X509BasicConstraintsExtension(false, false, 0, true),
        new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true),
        new X509EnhancedKeyUsageExtension([new Oid(PkiOids.ClientAuth)], false),
        .. uri is null ? Array.Empty<X509Extension>() : [SanWithUris(uri)],
    ];

    public static X509Extension SanWithUris(params string[] uris)
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var uri in uris)
        {
            builder.AddUri(new Uri(uri));
        }

        return builder.Build();
    }
}
