using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;

namespace Transmission.Core.Tests.Pki;

public sealed class RevocationListTests
{
    private readonly TestPki _pki = new();

    [Fact]
    public void Load_BuiltList_RoundTripsNumberEntriesAndTimes()
    {
        using var cert = _pki.Issue(CertificateProfile.StationTls);
        var revokedAt = TestPki.Epoch.AddHours(-1);
        RevocationEntry[] entries =
        [
            new(RevocationEntry.CanonicalSerial(cert), revokedAt, X509RevocationReason.KeyCompromise),
            new("0102", revokedAt, null),
        ];

        var der = _pki.Ca.BuildRevocationList(entries, new BigInteger(7));
        var result = RevocationList.Load(der, _pki.PublicRoot);

        Assert.True(result.IsSuccess, result.ToString());
        var crl = result.Value;
        Assert.Equal(new BigInteger(7), crl.Number);
        Assert.Equal(TestPki.Epoch, crl.ThisUpdate);
        Assert.Equal(TestPki.Epoch.AddDays(7), crl.NextUpdate);
        Assert.Equal(2, crl.Entries.Count);
        Assert.Equal(new RevocationEntry(RevocationEntry.CanonicalSerial(cert), revokedAt, X509RevocationReason.KeyCompromise), crl.Find(cert));
        Assert.Null(crl.Find("0102")!.Reason);
        Assert.False(crl.IsStale(TestPki.Epoch.AddDays(7)));
        Assert.True(crl.IsStale(TestPki.Epoch.AddDays(7).AddSeconds(1)));
    }

    [Fact]
    public void Load_SerialWithTopBitSet_RoundTrips()
    {
        var der = _pki.Ca.BuildRevocationList([new RevocationEntry("80FF", TestPki.Epoch, X509RevocationReason.Superseded)], BigInteger.One);

        var crl = RevocationList.Load(der, _pki.PublicRoot).Value!;

        Assert.NotNull(crl.Find("80FF"));
    }

    [Fact]
    public void Load_Der_KeepsTheBytesExactly()
    {
        var der = _pki.Ca.BuildRevocationList([new RevocationEntry("0A", TestPki.Epoch, null)], BigInteger.One);

        var crl = RevocationList.LoadPem(PemEncoding.WriteString("X509 CRL", der), _pki.PublicRoot).Value!;

        Assert.Equal(der, crl.RawData.ToArray());
        Assert.True(RevocationList.Empty(_pki.PublicRoot).RawData.IsEmpty);
    }

    [Theory]
    [InlineData("0A", "0A")]
    [InlineData("80FF", "0080FF")]
    [InlineData("7F", "7F")]
    public void SerialBytes_Canonical_DerIntegerContent(string canonical, string expected)
    {
        Assert.Equal(expected, Convert.ToHexString(RevocationEntry.SerialBytes(canonical)));
    }

    [Fact]
    public void LoadPem_Empty_HasNoEntries()
    {
        var pem = PemEncoding.WriteString("X509 CRL", _pki.Ca.BuildRevocationList([], BigInteger.One));

        var result = RevocationList.LoadPem(pem, _pki.PublicRoot);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Empty(result.Value.Entries);
    }

    [Fact]
    public void Load_SignedByAnotherRoot_CrlUntrusted()
    {
        var other = new TestPki("Other Root");
        var der = other.Ca.BuildRevocationList([], BigInteger.One);

        Assert.Equal("CRL_UNTRUSTED", RevocationList.Load(der, _pki.PublicRoot).ReasonCode);
    }

    [Fact]
    public void Load_SameNameOtherKey_CrlUntrusted()
    {
        var other = new TestPki();
        var der = other.Ca.BuildRevocationList([], BigInteger.One);

        Assert.Equal("CRL_UNTRUSTED", RevocationList.Load(der, _pki.PublicRoot).ReasonCode);
    }

    [Fact]
    public void Load_TamperedSignature_CrlUntrusted()
    {
        var der = ElectionCaTests.TamperLastByte(_pki.Ca.BuildRevocationList([], BigInteger.One));

        Assert.Equal("CRL_UNTRUSTED", RevocationList.Load(der, _pki.PublicRoot).ReasonCode);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x00 })]
    [InlineData(new byte[] { 0x04, 0x01, 0x00 })]
    public void Load_Garbage_CrlMalformed(byte[] der)
    {
        Assert.Equal("CRL_MALFORMED", RevocationList.Load(der, _pki.PublicRoot).ReasonCode);
    }

    [Fact]
    public void LoadPem_NotACrl_CrlMalformed()
    {
        Assert.Equal("CRL_MALFORMED", RevocationList.LoadPem(_pki.Root.ExportCertificatePem(), _pki.PublicRoot).ReasonCode);
    }

    [Theory]
    [InlineData("00AB", "AB")]
    [InlineData("ab", "AB")]
    [InlineData("0:ab:cd", "ABCD")]
    [InlineData("xyz", null)]
    [InlineData("", null)]
    public void CanonicalSerial_OperatorInput_Normalised(string input, string? expected)
    {
        Assert.Equal(expected, RevocationEntry.CanonicalSerial(input));
    }
}
