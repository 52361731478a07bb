using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;

namespace Transmission.Core.Tests.Pki;

public sealed class CallerIdentityTests
{
    [Theory]
    [InlineData("urn:transmission:station:ST-0001", Role.Station, "ST-0001")]
    [InlineData("urn:transmission:verifier:verifier-1", Role.Verifier, "verifier-1")]
    [InlineData("urn:transmission:auditor:a.b_c", Role.Auditor, "a.b_c")]
    [InlineData("urn:transmission:central:central", Role.Central, "central")]
    public void Parse_WellFormedUri_ReturnsRoleAndId(string uri, Role role, string id)
    {
        var result = CallerIdentity.Parse(uri);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(role, result.Value.Role);
        Assert.Equal(id, result.Value.Id);
        Assert.Equal(uri, result.Value.Uri);
    }

    [Theory]
    [InlineData("")]
    [InlineData("urn:transmission:")]
    [InlineData("urn:transmission:station")]
    [InlineData("urn:transmission:station:")]
    [InlineData("URN:transmission:station:ST-0001")]
    [InlineData("urn:Transmission:station:ST-0001")]
    [InlineData("urn:transmission:Station:ST-0001")]
    [InlineData("urn:transmission:admin:root")]
    [InlineData("https://example.org/station/ST-0001")]
    [InlineData("urn:transmission:station:ST 0001")]
    [InlineData("urn:transmission:station:ST/0001")]
    [InlineData("urn:transmission:station:..")]
    [InlineData("urn:transmission:station:-x")]
    [InlineData("urn:transmission:station:ST:0001")]
    [InlineData("urn:transmission:station:ST-0001\n")]
    [InlineData("urn:transmission:station:STÉ")]
    [InlineData("urn:transmission:station:%53T")]
    public void Parse_MalformedUri_IdentityMalformed(string uri)
    {
        var result = CallerIdentity.Parse(uri);

        Assert.False(result.IsSuccess);
        Assert.Equal(PkiFailure.IdentityMalformed, result.Failure);
        Assert.Equal("IDENTITY_MALFORMED", result.ReasonCode);
    }

    [Fact]
    public void Parse_IdOf64Characters_Accepted()
    {
        Assert.True(CallerIdentity.Parse("urn:transmission:station:" + new string('A', 64)).IsSuccess);
    }

    [Fact]
    public void Parse_IdOf65Characters_IdentityMalformed()
    {
        Assert.Equal(PkiFailure.IdentityMalformed, CallerIdentity.Parse("urn:transmission:station:" + new string('A', 65)).Failure);
    }

    [Fact]
    public void Create_UnsafeId_IdentityMalformed()
    {
        Assert.Equal(PkiFailure.IdentityMalformed, CallerIdentity.Create(Role.Station, "../etc").Failure);
    }

    [Fact]
    public void Equality_SameRoleAndId_Equal()
    {
        Assert.Equal(TestPki.Station("X1"), CallerIdentity.Parse("urn:transmission:station:X1").Value);
        Assert.NotEqual(TestPki.Station("X1"), TestPki.Identity(Role.Verifier, "X1"));
    }

    [Fact]
    public void FromCertificate_OneUri_ReturnsIdentity()
    {
        var pki = new TestPki();
        using var cert = pki.IssueRaw(TestPki.ClientExtensions("urn:transmission:station:ST-0042"));

        var result = CallerIdentity.FromCertificate(cert);

        Assert.Equal(TestPki.Station("ST-0042"), result.Value);
    }

    [Fact]
    public void FromCertificate_NoSanExtension_IdentityMissing()
    {
        var pki = new TestPki();
        using var cert = pki.IssueRaw(TestPki.ClientExtensions(uri: null));

        Assert.Equal("IDENTITY_MISSING", CallerIdentity.FromCertificate(cert).ReasonCode);
    }

    [Fact]
    public void FromCertificate_SanWithoutUri_IdentityMissing()
    {
        var pki = new TestPki();
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("station.example");
        using var cert = pki.IssueRaw([.. TestPki.ClientExtensions(uri: null), san.Build()]);

        Assert.Equal("IDENTITY_MISSING", CallerIdentity.FromCertificate(cert).ReasonCode);
    }

    [Fact]
    public void FromCertificate_TwoUris_IdentityMultiple()
    {
        var pki = new TestPki();
        using var cert = pki.IssueRaw([.. TestPki.ClientExtensions(uri: null), TestPki.SanWithUris("urn:transmission:station:A", "urn:transmission:station:B")]);

        Assert.Equal("IDENTITY_MULTIPLE", CallerIdentity.FromCertificate(cert).ReasonCode);
    }

    [Fact]
    public void FromExtensions_TwoSanExtensions_IdentityMultiple()
    {
        // Certificates with duplicate extensions are refused by some decoders, so this is checked on the extension list (as from a CSR).
        X509Extension[] extensions = [TestPki.SanWithUris("urn:transmission:station:A"), TestPki.SanWithUris("urn:transmission:station:B")];

        Assert.Equal("IDENTITY_MULTIPLE", CallerIdentity.FromExtensions(extensions).ReasonCode);
    }

    [Fact]
    public void FromCertificate_UndecodableSan_IdentityMalformed()
    {
        var pki = new TestPki();
        // SEQUENCE claiming 3 bytes holding a [6] whose length runs past the end.
        var broken = new X509Extension(PkiOids.SubjectAlternativeName, new byte[] { 0x30, 0x03, 0x86, 0x05, 0x41 }, false);
        using var cert = pki.IssueRaw([.. TestPki.ClientExtensions(uri: null), broken]);

        Assert.Equal("IDENTITY_MALFORMED", CallerIdentity.FromCertificate(cert).ReasonCode);
    }

    [Fact]
    public void FromCertificate_UriNotOurs_IdentityMalformed()
    {
        var pki = new TestPki();
        using var cert = pki.IssueRaw(TestPki.ClientExtensions("https://example.org/ST-0001"));

        Assert.Equal("IDENTITY_MALFORMED", CallerIdentity.FromCertificate(cert).ReasonCode);
    }

    [Fact]
    public void SigningRequest_RoundTrip_KeepsUriByteForByte()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = SigningRequests.CreatePem(key, TestPki.Station("Ab.c_D-9"));

        var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);

        Assert.Equal("urn:transmission:station:Ab.c_D-9", CallerIdentity.FromExtensions(request.CertificateExtensions).Value?.Uri);
    }
}
