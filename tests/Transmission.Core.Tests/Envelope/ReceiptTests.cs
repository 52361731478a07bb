using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Tests.Pki;

namespace Transmission.Core.Tests.Envelope;

/// <summary>Central's signed receipts: issued with the central-signing key, verified by the station.</summary>
public sealed class ReceiptTests : IDisposable
{
    private static readonly byte[] EnvelopeSha = SHA256.HashData("the station's envelope"u8);

    private readonly TestPki _pki = new();
    private readonly X509Certificate2 _central;
    private readonly X509Certificate2 _station;

    public ReceiptTests()
    {
        _central = _pki.IssueWithKey(CertificateProfile.CentralSigning, TestPki.Identity(Role.Central, "central"));
        _station = _pki.Issue(CertificateProfile.StationSigning, "ST-0001");
    }

    public void Dispose()
    {
        _central.Dispose();
        _station.Dispose();
    }

    [Fact]
    public void VerifyFor_IssuedByCentral_ValidWithTheBody()
    {
        var receipt = Issue(_central, Body());

        var check = Receipts.VerifyFor(receipt, Verifier(), _pki.Clock.Now, EnvelopeSha, "ST-0001", 1);

        Assert.True(check.IsValid, check.Detail);
        Assert.Equal(7ul, check.Body!.LogIndex);
        Assert.Equal("ST-0001", check.Body.StationCode);
    }

    [Fact]
    public void Verify_SignedByAStationKey_SignerWrongRole()
    {
        var receipt = Issue(_station, Body());

        var check = Receipts.Verify(receipt, Verifier(), _pki.Clock.Now);

        Assert.False(check.IsValid);
        Assert.Equal("SIGNER_WRONG_ROLE", check.ReasonCode);
    }

    [Fact]
    public void VerifyFor_ReceiptForAnotherEnvelope_Mismatch()
    {
        var receipt = Issue(_central, Body());

        var check = Receipts.VerifyFor(receipt, Verifier(), _pki.Clock.Now, SHA256.HashData("another envelope"u8), "ST-0001", 1);

        Assert.Equal(ReceiptCheck.Mismatch, check.ReasonCode);
    }

    [Fact]
    public void VerifyFor_ReceiptForAnotherRevision_Mismatch()
    {
        var receipt = Issue(_central, Body());

        var check = Receipts.VerifyFor(receipt, Verifier(), _pki.Clock.Now, EnvelopeSha, "ST-0001", 2);

        Assert.Equal(ReceiptCheck.Mismatch, check.ReasonCode);
    }

    [Fact]
    public void Verify_BodyAlteredAfterSigning_SignatureInvalid()
    {
        var receipt = Issue(_central, Body());
        var envelope = Contracts.V1.Envelope.Parser.ParseFrom(receipt);
        var body = ReceiptBody.Parser.ParseFrom(envelope.Payload);
        body.LogIndex = 8;
        envelope.Payload = body.ToByteString();

        var check = Receipts.Verify(envelope.ToByteArray(), Verifier(), _pki.Clock.Now);

        Assert.Equal("SIGNATURE_INVALID", check.ReasonCode);
    }

    [Fact]
    public void Verify_NotAnEnvelope_Malformed()
    {
        var check = Receipts.Verify([0xFF, 0x01, 0x02], Verifier(), _pki.Clock.Now);

        Assert.Equal("ENVELOPE_MALFORMED", check.ReasonCode);
    }

    private static ReceiptBody Body() => new()
    {
        ElectionId = "ks-test-1",
        Mode = ElectionMode.Test,
        EnvelopeSha256 = ByteString.CopyFrom(EnvelopeSha),
        StationCode = "ST-0001",
        Revision = 1,
        LogIndex = 7,
        ReceivedAt = Timestamp.FromDateTimeOffset(TestPki.Epoch),
    };

    private static byte[] Issue(X509Certificate2 signer, ReceiptBody body)
    {
        using var key = signer.GetECDsaPrivateKey()!;
        return Receipts.Issue(body, key, signer);
    }

    private EnvelopeVerifier Verifier() => new(new ElectionTrust(_pki.PublicRoot), new SignerCertificateCache());
}
