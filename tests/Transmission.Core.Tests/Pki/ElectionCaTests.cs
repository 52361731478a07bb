using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;

namespace Transmission.Core.Tests.Pki;

public sealed class ElectionCaTests
{
    private readonly TestPki _pki = new();

    public static TheoryData<CertificateProfile, X509KeyUsageFlags, string> ProfileUsages => new()
    {
        { CertificateProfile.CentralTls, X509KeyUsageFlags.DigitalSignature, PkiOids.ServerAuth },
        { CertificateProfile.CentralSigning, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, PkiOids.DocumentSigning },
        { CertificateProfile.StationTls, X509KeyUsageFlags.DigitalSignature, PkiOids.ClientAuth },
        { CertificateProfile.StationSigning, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, PkiOids.DocumentSigning },
        { CertificateProfile.Verifier, X509KeyUsageFlags.DigitalSignature, PkiOids.ClientAuth },
        { CertificateProfile.Auditor, X509KeyUsageFlags.DigitalSignature, PkiOids.ClientAuth },
    };

    [Fact]
    public void CreateRoot_Always_IsConstrainedCa()
    {
        var root = _pki.Root;

        var constraints = Assert.Single(root.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.Critical);
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        var usage = Assert.Single(root.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.Single(root.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Empty(root.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(PkiOids.EcdsaWithSha256, root.SignatureAlgorithm.Value);
        Assert.Equal(16, root.SerialNumberBytes.Length);
        Assert.Equal(TestPki.Epoch.AddMinutes(-5).UtcDateTime, root.NotBefore.ToUniversalTime());
        Assert.Equal(TestPki.Epoch.AddDays(3 * 365).UtcDateTime, root.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void CreateRoot_Development_MarkedInTheSubjectAndRecognised()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var development = ElectionCa.CreateRoot(key, "Dev Root", _pki.Clock, development: true);

        Assert.Equal("CN=Dev Root, OU=DEVELOPMENT ONLY - NOT FOR A LIVE ELECTION, O=Transmission", development.Subject);
        Assert.True(ElectionCa.IsDevelopmentRoot(development));
        Assert.False(ElectionCa.IsDevelopmentRoot(_pki.Root));
    }

    [Fact]
    public void IsDevelopmentRoot_MarkerOnlyInTheCommonName_False()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var root = ElectionCa.CreateRoot(key, ElectionCa.DevelopmentMarker, _pki.Clock);

        Assert.False(ElectionCa.IsDevelopmentRoot(root));
    }

    [Fact]
    public void CreateRoot_P384Key_Throws()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => ElectionCa.CreateRoot(key, "x", _pki.Clock));
    }

    [Theory]
    [MemberData(nameof(ProfileUsages))]
    public void Issue_EachProfile_HasProfileExtensions(CertificateProfile profile, X509KeyUsageFlags keyUsage, string eku)
    {
        using var cert = _pki.Issue(profile, "id-1");

        var constraints = Assert.Single(cert.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.Critical);
        Assert.False(constraints.CertificateAuthority);
        var usage = Assert.Single(cert.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(keyUsage, usage.KeyUsages);
        var extended = Assert.Single(cert.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal([eku], extended.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        var ski = Assert.Single(cert.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        var aki = Assert.Single(cert.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        Assert.Equal(_pki.Root.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray(), aki.KeyIdentifier!.Value.ToArray());
        Assert.NotEqual(aki.KeyIdentifier!.Value.ToArray(), ski.SubjectKeyIdentifierBytes.ToArray());
        Assert.Equal(PkiOids.EcdsaWithSha256, cert.SignatureAlgorithm.Value);
        Assert.Equal(16, cert.SerialNumberBytes.Length);
        Assert.Equal(_pki.Root.SubjectName.RawData, cert.IssuerName.RawData);
        Assert.Equal(profile, CertificateProfiles.Recognize(cert));
        Assert.Equal(CertificateProfiles.RoleOf(profile), CallerIdentity.FromCertificate(cert).Value?.Role);
    }

    [Fact]
    public void Issue_StationSigning_NeverCarriesTlsUsages()
    {
        using var cert = _pki.Issue(CertificateProfile.StationSigning);

        var ekus = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        Assert.DoesNotContain(PkiOids.ClientAuth, ekus);
        Assert.DoesNotContain(PkiOids.ServerAuth, ekus);
    }

    [Fact]
    public void Issue_CentralTls_HasDnsAndIpNames()
    {
        using var cert = _pki.Issue(CertificateProfile.CentralTls, "central");

        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback], san.EnumerateIPAddresses());
        Assert.Equal("urn:transmission:central:central", CallerIdentity.FromCertificate(cert).Value?.Uri);
    }

    [Fact]
    public void Issue_Validity_DecidedByPolicy()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);

        Assert.Equal(TestPki.Epoch.AddMinutes(-5).UtcDateTime, cert.NotBefore.ToUniversalTime());
        Assert.Equal(TestPki.Epoch.AddDays(365).UtcDateTime, cert.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Issue_NearCaExpiry_CappedAtCaExpiry()
    {
        _pki.Clock.Now = TestPki.Epoch.AddDays(3 * 365 - 10);

        using var cert = _pki.Issue(CertificateProfile.StationTls);

        Assert.Equal(_pki.Root.NotAfter, cert.NotAfter);
    }

    [Fact]
    public void Issue_CaExpired_CaNotValid()
    {
        _pki.Clock.Now = TestPki.Epoch.AddDays(3 * 365 + 1);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = _pki.Ca.IssueFromRequestPem(SigningRequests.CreatePem(key, TestPki.Station()), CertificateProfile.StationTls, TestPki.Station());

        Assert.Equal("CA_NOT_VALID", result.ReasonCode);
    }

    [Fact]
    public void Issue_Twice_DistinctRandomSerials()
    {
        using var a = _pki.Issue(CertificateProfile.StationTls);
        using var b = _pki.Issue(CertificateProfile.StationTls);

        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
    }

    [Fact]
    public void IssueFromRequest_IdentityDiffersFromOperator_IdentityMismatch()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = SigningRequests.CreatePem(key, TestPki.Station("ST-0002"));

        var result = _pki.Ca.IssueFromRequestPem(csr, CertificateProfile.StationTls, TestPki.Station("ST-0001"));

        Assert.False(result.IsSuccess);
        Assert.Equal("IDENTITY_MISMATCH", result.ReasonCode);
    }

    [Fact]
    public void IssueFromRequest_SameIdDifferentRole_IdentityMismatch()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = SigningRequests.CreatePem(key, TestPki.Identity(Role.Verifier, "ST-0001"));

        Assert.Equal("IDENTITY_MISMATCH", _pki.Ca.IssueFromRequestPem(csr, CertificateProfile.StationTls, TestPki.Station("ST-0001")).ReasonCode);
    }

    [Fact]
    public void IssueFromRequest_ProfileForAnotherRole_IdentityWrongRole()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = TestPki.Identity(Role.Verifier, "v1");

        var result = _pki.Ca.IssueFromRequestPem(SigningRequests.CreatePem(key, verifier), CertificateProfile.StationTls, verifier);

        Assert.Equal("IDENTITY_WRONG_ROLE", result.ReasonCode);
    }

    [Fact]
    public void IssueFromRequest_TamperedSignature_CsrSignatureInvalid()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = PemEncoding.WriteString("CERTIFICATE REQUEST", TamperLastByte(CsrDer(SigningRequests.CreatePem(key, TestPki.Station()))));

        var result = _pki.Ca.IssueFromRequestPem(der, CertificateProfile.StationTls, TestPki.Station());

        Assert.Equal("CSR_SIGNATURE_INVALID", result.ReasonCode);
    }

    [Fact]
    public void IssueFromRequest_SignedByAnotherKey_CsrSignatureInvalid()
    {
        // The CSR carries key A but is signed by key B: no proof of possession of A.
        using var keyA = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var keyB = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=x"), new PublicKey(keyA), HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(TestPki.SanWithUris("urn:transmission:station:ST-0001"));
        var pem = request.CreateSigningRequestPem(X509SignatureGenerator.CreateForECDsa(keyB));

        Assert.Equal("CSR_SIGNATURE_INVALID", _pki.Ca.IssueFromRequestPem(pem, CertificateProfile.StationTls, TestPki.Station()).ReasonCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a csr")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----")]
    public void IssueFromRequest_Garbage_CsrMalformed(string pem)
    {
        Assert.Equal("CSR_MALFORMED", _pki.Ca.IssueFromRequestPem(pem, CertificateProfile.StationTls, TestPki.Station()).ReasonCode);
    }

    [Fact]
    public void IssueFromRequest_NoIdentityRequested_IdentityMissing()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = new CertificateRequest("CN=ST-0001", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

        Assert.Equal("IDENTITY_MISSING", _pki.Ca.IssueFromRequestPem(pem, CertificateProfile.StationTls, TestPki.Station()).ReasonCode);
    }

    [Fact]
    public void IssueFromRequest_TwoIdentitiesRequested_IdentityMultiple()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ST-0001", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(TestPki.SanWithUris("urn:transmission:station:ST-0001", "urn:transmission:station:ST-0002"));

        Assert.Equal("IDENTITY_MULTIPLE", _pki.Ca.IssueFromRequestPem(request.CreateSigningRequestPem(), CertificateProfile.StationTls, TestPki.Station()).ReasonCode);
    }

    [Fact]
    public void IssueFromRequest_RequestsCaAndOtherUsages_Ignored()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=evil, O=Other", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(PkiOids.ClientAuth), new Oid(PkiOids.ServerAuth)], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("urn:transmission:station:ST-0001"));
        san.AddDnsName("central.example");
        request.CertificateExtensions.Add(san.Build());

        var result = _pki.Ca.IssueFromRequestPem(request.CreateSigningRequestPem(), CertificateProfile.StationSigning, TestPki.Station());

        Assert.True(result.IsSuccess, result.ToString());
        using var cert = result.Value;
        Assert.False(cert.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, cert.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal([PkiOids.DocumentSigning], cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Empty(cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.Equal("CN=ST-0001, OU=station, O=Transmission", cert.Subject);
    }

    [Fact]
    public void IssueFromRequest_RsaKey_KeyUnsupported()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=ST-0001", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(TestPki.SanWithUris("urn:transmission:station:ST-0001"));

        Assert.Equal("KEY_UNSUPPORTED", _pki.Ca.IssueFromRequestPem(request.CreateSigningRequestPem(), CertificateProfile.StationTls, TestPki.Station()).ReasonCode);
    }

    [Fact]
    public void IssueFromRequest_P384Key_KeyUnsupported()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest("CN=ST-0001", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(TestPki.SanWithUris("urn:transmission:station:ST-0001"));

        Assert.Equal("KEY_UNSUPPORTED", _pki.Ca.IssueFromRequestPem(request.CreateSigningRequestPem(), CertificateProfile.StationTls, TestPki.Station()).ReasonCode);
    }

    [Fact]
    public void Issue_CentralTlsWithoutNames_SubjectNamesRequired()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = _pki.Ca.Issue(new PublicKey(key), CertificateProfile.CentralTls, TestPki.Identity(Role.Central, "central"));

        Assert.Equal("SUBJECT_NAMES_REQUIRED", result.ReasonCode);
    }

    [Fact]
    public void CreatePem_P384Key_Throws()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => SigningRequests.CreatePem(key, TestPki.Station()));
    }

    [Fact]
    public void TryParse_EveryName_RoundTrips()
    {
        foreach (var profile in CertificateProfiles.All)
        {
            Assert.True(CertificateProfiles.TryParse(CertificateProfiles.Name(profile), out var parsed));
            Assert.Equal(profile, parsed);
        }

        Assert.False(CertificateProfiles.TryParse("root", out _));
    }

    internal static byte[] CsrDer(string pem)
    {
        var fields = PemEncoding.Find(pem);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }

    // The last byte of a DER CSR or CRL is the last byte of the ECDSA signature's s: changing it keeps the DER valid.
    internal static byte[] TamperLastByte(byte[] der)
    {
        var copy = (byte[])der.Clone();
        copy[^1] ^= 0x01;
        _ = new AsnReader(copy, AsnEncodingRules.DER).ReadSequence();
        return copy;
    }
}
