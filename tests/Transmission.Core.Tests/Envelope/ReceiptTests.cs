using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
using Transmission.Core.Pki;
using Transmission.Core.Tests.Pki;

namespace Transmission.Core.Tests.Envelope;

/// <summary>
/// Central's signed receipts: issued with the central-signing key, verified by the station, including the checkpoint
/// they carry and the inclusion proof of the station's envelope in it.
/// </summary>
public sealed class ReceiptTests : IDisposable
{
    private static readonly byte[] EnvelopeBytes = "the station's envelope"u8.ToArray();
    private static readonly byte[] EnvelopeSha = SHA256.HashData(EnvelopeBytes);

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

        var check = Receipts.VerifyFor(receipt, Verifier(), _pki.Clock.Now, EnvelopeBytes, "ST-0001", 1);

        Assert.True(check.IsValid, check.Detail);
        Assert.Equal(7ul, check.Body!.LogIndex);
        Assert.Equal("ST-0001", check.Body.StationCode);
        Assert.Equal(10, check.Checkpoint!.TreeSize);
        Assert.Equal(Tree().Root(), check.Checkpoint.RootHash);
    }

    [Fact]
    public void VerifyFor_NoCheckpoint_CheckpointInvalid()
    {
        var body = Body();
        body.Checkpoint = ByteString.Empty;

        var check = Receipts.VerifyFor(Issue(_central, body), Verifier(), _pki.Clock.Now, EnvelopeBytes, "ST-0001", 1);

        Assert.Equal(ReceiptCheck.CheckpointInvalid, check.ReasonCode);
        Assert.Contains("NOTE_MALFORMED", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyFor_CheckpointSignedByAnotherKey_CheckpointInvalid()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = Body();
        body.Checkpoint = ByteString.CopyFromUtf8(CheckpointNote.Sign(new Checkpoint(Origin, 10, Tree().Root()), Origin, otherKey));

        var check = Receipts.VerifyFor(Issue(_central, body), Verifier(), _pki.Clock.Now, EnvelopeBytes, "ST-0001", 1);

        Assert.Equal(ReceiptCheck.CheckpointInvalid, check.ReasonCode);
        Assert.Contains("SIGNATURE_MISSING", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyFor_CheckpointOfAnotherElectionsLog_CheckpointInvalid()
    {
        var other = LogEntryTypes.Origin("another-election");
        var key = _central.GetECDsaPrivateKey()!;
        var body = Body();
        body.Checkpoint = ByteString.CopyFromUtf8(CheckpointNote.Sign(new Checkpoint(other, 10, Tree().Root()), other, key));

        var check = Receipts.VerifyFor(Issue(_central, body), Verifier(), _pki.Clock.Now, EnvelopeBytes, "ST-0001", 1);

        Assert.Equal(ReceiptCheck.CheckpointInvalid, check.ReasonCode);
    }

    [Fact]
    public void VerifyFor_ProofElementAltered_InclusionInvalid()
    {
        var body = Body();
        var altered = body.InclusionProof[1].ToByteArray();
        altered[0] ^= 0x01;
        body.InclusionProof[1] = ByteString.CopyFrom(altered);

        var check = Receipts.VerifyFor(Issue(_central, body), Verifier(), _pki.Clock.Now, EnvelopeBytes, "ST-0001", 1);

        Assert.Equal(ReceiptCheck.InclusionInvalid, check.ReasonCode);
        Assert.Contains("ROOT_MISMATCH", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyFor_ProofForAnotherIndex_InclusionInvalid()
    {
        var body = Body();
        body.LogIndex = 6;

        var check = Receipts.VerifyFor(Issue(_central, body), Verifier(), _pki.Clock.Now, EnvelopeBytes, "ST-0001", 1);

        Assert.Equal(ReceiptCheck.InclusionInvalid, check.ReasonCode);
    }

    [Fact]
    public void VerifyFor_IndexBeyondTheCheckpoint_InclusionInvalid()
    {
        var body = Body();
        body.LogIndex = 10;

        var check = Receipts.VerifyFor(Issue(_central, body), Verifier(), _pki.Clock.Now, EnvelopeBytes, "ST-0001", 1);

        Assert.Equal(ReceiptCheck.InclusionInvalid, check.ReasonCode);
        Assert.Contains("INDEX_OUT_OF_RANGE", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyFor_ProofMissingAnElement_InclusionInvalid()
    {
        var body = Body();
        body.InclusionProof.RemoveAt(body.InclusionProof.Count - 1);

        var check = Receipts.VerifyFor(Issue(_central, body), Verifier(), _pki.Clock.Now, EnvelopeBytes, "ST-0001", 1);

        Assert.Equal(ReceiptCheck.InclusionInvalid, check.ReasonCode);
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

        var check = Receipts.VerifyFor(receipt, Verifier(), _pki.Clock.Now, "another envelope"u8, "ST-0001", 1);

        Assert.Equal(ReceiptCheck.Mismatch, check.ReasonCode);
    }

    [Fact]
    public void VerifyFor_ReceiptForAnotherRevision_Mismatch()
    {
        var receipt = Issue(_central, Body());

        var check = Receipts.VerifyFor(receipt, Verifier(), _pki.Clock.Now, EnvelopeBytes, "ST-0001", 2);

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

    private static readonly string Origin = LogEntryTypes.Origin("ks-test-1");

    /// <summary>A log of 10 entries whose entry 7 is the station's envelope.</summary>
    private static MerkleTree Tree()
    {
        var tree = new MerkleTree();
        for (var i = 0; i < 10; i++)
        {
            tree.Append(i == 7 ? EnvelopeBytes : [(byte)i]);
        }

        return tree;
    }

    /// <summary>A receipt body for entry 7 with the central key's checkpoint of the 10-entry log and the inclusion proof.</summary>
    private ReceiptBody Body()
    {
        var tree = Tree();
        var key = _central.GetECDsaPrivateKey()!;
        var body = new ReceiptBody
        {
            ElectionId = "ks-test-1",
            Mode = ElectionMode.Test,
            EnvelopeSha256 = ByteString.CopyFrom(EnvelopeSha),
            StationCode = "ST-0001",
            Revision = 1,
            LogIndex = 7,
            ReceivedAt = Timestamp.FromDateTimeOffset(TestPki.Epoch),
            Checkpoint = ByteString.CopyFromUtf8(CheckpointNote.Sign(new Checkpoint(Origin, 10, tree.Root()), Origin, key)),
        };
        body.InclusionProof.AddRange(tree.InclusionProof(7, 10).Select(ByteString.CopyFrom));
        return body;
    }

    private static byte[] Issue(X509Certificate2 signer, ReceiptBody body)
    {
        using var key = signer.GetECDsaPrivateKey()!;
        return Receipts.Issue(body, key, signer);
    }

    private EnvelopeVerifier Verifier() => new(new ElectionTrust(_pki.PublicRoot), new SignerCertificateCache());
}
