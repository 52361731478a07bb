using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;

namespace Transmission.Core.Tests.Pki;

public sealed class ElectionTrustTests
{
    private readonly TestPki _pki = new();

    private DateTimeOffset Now => _pki.Clock.Now;

    [Theory]
    [InlineData(CertificateProfile.StationTls, CertificatePurpose.TlsClient)]
    [InlineData(CertificateProfile.Verifier, CertificatePurpose.TlsClient)]
    [InlineData(CertificateProfile.Auditor, CertificatePurpose.TlsClient)]
    [InlineData(CertificateProfile.CentralTls, CertificatePurpose.TlsServer)]
    [InlineData(CertificateProfile.StationSigning, CertificatePurpose.Signing)]
    [InlineData(CertificateProfile.CentralSigning, CertificatePurpose.Signing)]
    public void Validate_ProfileForItsPurpose_ReturnsIdentity(CertificateProfile profile, CertificatePurpose purpose)
    {
        using var cert = _pki.Issue(profile, "id-7");
        var trust = new ElectionTrust(_pki.PublicRoot);

        var result = trust.Validate(cert, purpose, Now);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(TestPki.Identity(CertificateProfiles.RoleOf(profile), "id-7"), result.Value);
    }

    [Fact]
    public void Validate_NoCertificate_CertificateMissing()
    {
        Assert.Equal("CERTIFICATE_MISSING", new ElectionTrust(_pki.PublicRoot).Validate(null, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_OtherCa_UntrustedChain()
    {
        var other = new TestPki("Test Election Root");
        using var cert = other.Issue(CertificateProfile.StationTls);

        var result = new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now);

        Assert.Equal("UNTRUSTED_CHAIN", result.ReasonCode);
    }

    [Fact]
    public void Validate_PublicKeyNotOnTheCurve_UntrustedChainNotAnException()
    {
        // A certificate that still decodes, but whose EC point was altered: OpenSSL's chain builder throws
        // ("x509 certificate routines::internal error") instead of answering. Found by the audit verifier's random damage test.
        using var issued = _pki.Issue(CertificateProfile.StationSigning);
        var der = issued.RawData;
        var spki = issued.PublicKey.ExportSubjectPublicKeyInfo();
        der[der.AsSpan().IndexOf(spki) + spki.Length - 1] ^= 0x01;
        using var broken = X509CertificateLoader.LoadCertificate(der);

        var result = new ElectionTrust(_pki.PublicRoot).Validate(broken, CertificatePurpose.Signing, Now);

        Assert.Equal("UNTRUSTED_CHAIN", result.ReasonCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Validate_ValidityDateThatDoesNotDecode_UntrustedChainNotAnException(int which)
    {
        // notBefore (0) or notAfter (1), a UTCTime "YYMMDDHHMMSSZ": a month of 0xFF still loads, but throws when read.
        using var issued = _pki.Issue(CertificateProfile.StationSigning);
        var der = issued.RawData;
        var at = -1;
        for (var n = 0; n <= which; n++)
        {
            at = der.AsSpan(at + 1).IndexOf([(byte)0x17, (byte)0x0D]) + at + 1;
        }

        der[at + 2 + 2] = 0xFF;
        using var broken = X509CertificateLoader.LoadCertificate(der);

        var result = new ElectionTrust(_pki.PublicRoot).Validate(broken, CertificatePurpose.Signing, Now);

        Assert.Equal("UNTRUSTED_CHAIN", result.ReasonCode);
    }

    [Fact]
    public void Validate_RootItself_UntrustedChain()
    {
        Assert.Equal("UNTRUSTED_CHAIN", new ElectionTrust(_pki.PublicRoot).Validate(_pki.PublicRoot, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_SelfSignedLeafWithGoodExtensions_UntrustedChain()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ST-0001", key, HashAlgorithmName.SHA256);
        foreach (var extension in TestPki.ClientExtensions())
        {
            request.CertificateExtensions.Add(extension);
        }

        using var cert = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(1));

        Assert.Equal("UNTRUSTED_CHAIN", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_IssuedByIntermediate_UntrustedChain()
    {
        // The root is pathLen 0 and issues end entities only; a sub-CA it should never have signed must not work.
        using var subKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subRequest = new CertificateRequest("CN=sub", subKey, HashAlgorithmName.SHA256);
        subRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        subRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        subRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(subRequest.PublicKey, false));
        using var sub = subRequest.Create(_pki.Root, Now.AddMinutes(-1), Now.AddDays(30), [1, 2, 3]);
        using var subWithKey = sub.CopyWithPrivateKey(subKey);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=ST-0001", leafKey, HashAlgorithmName.SHA256);
        foreach (var extension in TestPki.ClientExtensions())
        {
            leafRequest.CertificateExtensions.Add(extension);
        }

        using var leaf = leafRequest.Create(subWithKey, Now.AddMinutes(-1), Now.AddDays(1), [4, 5, 6]);

        Assert.Equal("UNTRUSTED_CHAIN", new ElectionTrust(_pki.PublicRoot).Validate(leaf, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_AfterNotAfter_Expired()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);

        var result = new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now.AddDays(366));

        Assert.Equal("EXPIRED", result.ReasonCode);
    }

    [Fact]
    public void Validate_BeforeNotBefore_NotYetValid()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);

        var result = new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now.AddMinutes(-6));

        Assert.Equal("NOT_YET_VALID", result.ReasonCode);
    }

    [Fact]
    public void Validate_SameCertificateAtDifferentTimes_CacheDoesNotFreezeTime()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);
        var trust = new ElectionTrust(_pki.PublicRoot);

        Assert.True(trust.Validate(cert, CertificatePurpose.TlsClient, Now).IsSuccess);
        Assert.Equal("EXPIRED", trust.Validate(cert, CertificatePurpose.TlsClient, Now.AddDays(400)).ReasonCode);
        Assert.True(trust.Validate(cert, CertificatePurpose.TlsClient, Now.AddDays(1)).IsSuccess);
        Assert.Equal("WRONG_KEY_USAGE", trust.Validate(cert, CertificatePurpose.Signing, Now).ReasonCode);
    }

    [Fact]
    public void Validate_StationSigningCertAsTlsClient_WrongKeyUsage()
    {
        using var cert = _pki.Issue(CertificateProfile.StationSigning);

        Assert.Equal("WRONG_KEY_USAGE", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_StationTlsCertAsSigning_WrongKeyUsage()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);

        Assert.Equal("WRONG_KEY_USAGE", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.Signing, Now).ReasonCode);
    }

    [Fact]
    public void Validate_CentralTlsCertAsTlsClient_WrongKeyUsage()
    {
        using var cert = _pki.Issue(CertificateProfile.CentralTls, "central");

        Assert.Equal("WRONG_KEY_USAGE", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_StationTlsCertAsTlsServer_WrongKeyUsage()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);

        Assert.Equal("WRONG_KEY_USAGE", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsServer, Now).ReasonCode);
    }

    [Fact]
    public void Validate_ClientAndSigningEkuTogether_WrongKeyUsage()
    {
        using var cert = _pki.IssueRaw(
        [
            new X509BasicConstraintsExtension(false, false, 0, true),
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true),
            new X509EnhancedKeyUsageExtension([new Oid(PkiOids.ClientAuth), new Oid(PkiOids.DocumentSigning)], false),
            TestPki.SanWithUris("urn:transmission:station:ST-0001"),
        ]);
        var trust = new ElectionTrust(_pki.PublicRoot);

        Assert.Equal("WRONG_KEY_USAGE", trust.Validate(cert, CertificatePurpose.TlsClient, Now).ReasonCode);
        Assert.Equal("WRONG_KEY_USAGE", trust.Validate(cert, CertificatePurpose.Signing, Now).ReasonCode);
    }

    [Fact]
    public void Validate_NoExtendedKeyUsage_WrongKeyUsage()
    {
        // No EKU means "any purpose" to RFC 5280; the election requires the purpose to be explicit.
        using var cert = _pki.IssueRaw(
        [
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true),
            TestPki.SanWithUris("urn:transmission:station:ST-0001"),
        ]);

        Assert.Equal("WRONG_KEY_USAGE", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_SigningWithoutNonRepudiation_WrongKeyUsage()
    {
        using var cert = _pki.IssueRaw(
        [
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true),
            new X509EnhancedKeyUsageExtension([new Oid(PkiOids.DocumentSigning)], false),
            TestPki.SanWithUris("urn:transmission:station:ST-0001"),
        ]);

        Assert.Equal("WRONG_KEY_USAGE", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.Signing, Now).ReasonCode);
    }

    [Fact]
    public void Validate_NoIdentity_IdentityMissing()
    {
        using var cert = _pki.IssueRaw(TestPki.ClientExtensions(uri: null));

        Assert.Equal("IDENTITY_MISSING", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_TwoIdentities_IdentityMultiple()
    {
        using var cert = _pki.IssueRaw([.. TestPki.ClientExtensions(uri: null), TestPki.SanWithUris("urn:transmission:station:A", "urn:transmission:station:B")]);

        Assert.Equal("IDENTITY_MULTIPLE", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_MalformedIdentity_IdentityMalformed()
    {
        using var cert = _pki.IssueRaw(TestPki.ClientExtensions("urn:transmission:station:a/b"));

        Assert.Equal("IDENTITY_MALFORMED", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_CentralIdentityAsTlsClient_IdentityWrongRole()
    {
        using var cert = _pki.IssueRaw(TestPki.ClientExtensions("urn:transmission:central:central"));

        Assert.Equal("IDENTITY_WRONG_ROLE", new ElectionTrust(_pki.PublicRoot).Validate(cert, CertificatePurpose.TlsClient, Now).ReasonCode);
    }

    [Fact]
    public void Validate_Revoked_Revoked()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);
        var trust = TrustWithRevocation(cert, Now.AddMinutes(-1), X509RevocationReason.KeyCompromise);

        var result = trust.Validate(cert, CertificatePurpose.TlsClient, Now);

        Assert.Equal("REVOKED", result.ReasonCode);
        Assert.Contains("KeyCompromise", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RevokedExactlyAtTimeChecked_Revoked()
    {
        using var cert = _pki.Issue(CertificateProfile.StationSigning);
        var trust = TrustWithRevocation(cert, Now, X509RevocationReason.Superseded);

        Assert.Equal("REVOKED", trust.Validate(cert, CertificatePurpose.Signing, Now).ReasonCode);
    }

    [Fact]
    public void Validate_SignedBeforeRevocation_Trusted()
    {
        using var cert = _pki.Issue(CertificateProfile.StationSigning);
        var signedAt = Now.AddHours(1);
        _pki.Clock.Now = Now.AddDays(2);
        var trust = TrustWithRevocation(cert, _pki.Clock.Now, X509RevocationReason.CessationOfOperation);

        Assert.True(trust.Validate(cert, CertificatePurpose.Signing, signedAt).IsSuccess);
        Assert.Equal("REVOKED", trust.Validate(cert, CertificatePurpose.Signing, _pki.Clock.Now).ReasonCode);
    }

    [Fact]
    public void Validate_OtherSerialRevoked_Trusted()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);
        using var other = _pki.Issue(CertificateProfile.StationTls);
        var trust = TrustWithRevocation(other, Now.AddDays(-1), X509RevocationReason.KeyCompromise);

        Assert.True(trust.Validate(cert, CertificatePurpose.TlsClient, Now).IsSuccess);
    }

    [Fact]
    public void WithRevocations_CertificateTrustedBefore_RevokedWithTheNewList()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);
        var before = new ElectionTrust(_pki.PublicRoot);
        Assert.True(before.Validate(cert, CertificatePurpose.TlsClient, Now).IsSuccess);
        var der = _pki.Ca.BuildRevocationList([new RevocationEntry(RevocationEntry.CanonicalSerial(cert), Now.AddMinutes(-1), X509RevocationReason.KeyCompromise)], new BigInteger(2));

        var after = before.WithRevocations(RevocationList.Load(der, _pki.PublicRoot).Value!);

        // The facts cache is shared, but no verdict is: the same certificate, checked again, is now revoked.
        Assert.Equal("REVOKED", after.Validate(cert, CertificatePurpose.TlsClient, Now).ReasonCode);
        Assert.True(before.Validate(cert, CertificatePurpose.TlsClient, Now).IsSuccess);
        Assert.Same(before.Root, after.Root);
        Assert.Equal(new BigInteger(2), after.Revocations.Number);
    }

    [Fact]
    public void WithRevocations_CrlOfAnotherRoot_Throws()
    {
        var other = new TestPki();
        var crl = RevocationList.Load(other.Ca.BuildRevocationList([], BigInteger.One), other.PublicRoot).Value!;

        Assert.Throws<ArgumentException>(() => new ElectionTrust(_pki.PublicRoot).WithRevocations(crl));
    }

    [Fact]
    public void Constructor_CrlOfAnotherRoot_Throws()
    {
        var other = new TestPki();
        var crl = RevocationList.Load(other.Ca.BuildRevocationList([], BigInteger.One), other.PublicRoot).Value!;

        Assert.Throws<ArgumentException>(() => new ElectionTrust(_pki.PublicRoot, crl));
    }

    [Fact]
    public void Constructor_LeafAsRoot_Throws()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);

        Assert.Throws<ArgumentException>(() => new ElectionTrust(cert));
    }

    private ElectionTrust TrustWithRevocation(X509Certificate2 cert, DateTimeOffset revokedAt, X509RevocationReason reason)
    {
        var der = _pki.Ca.BuildRevocationList([new RevocationEntry(RevocationEntry.CanonicalSerial(cert), revokedAt, reason)], BigInteger.One);
        return new ElectionTrust(_pki.PublicRoot, RevocationList.Load(der, _pki.PublicRoot).Value);
    }
}
