using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
using Transmission.Core.Pki;
using Transmission.Core.Tests.Pki;

namespace Transmission.Core.Tests.Envelope;

/// <summary>
/// docs/test-vectors/receipt-example.json: a station's signed envelope, Central's signed receipt for it (log index 5),
/// the checkpoint (tree size 7) and the inclusion proof it carries, and every leaf of that log, with the election root
/// and Central's signing certificate. Written once by <see cref="Write"/> (fresh keys, so new bytes) and from then on
/// only checked: the committed receipt must verify as a station verifies it (docs/protocol.md, section 8.4), and the
/// deterministic values (hashes, key ID, root, proof) are recomputed. It holds no private key.
/// </summary>
public sealed class ReceiptExampleTests
{
    private const string RelativePath = "docs/test-vectors/receipt-example.json";
    private const int EnvelopeIndex = 5;
    private const int TreeSize = 7;

    private static readonly Lazy<JsonElement> Example = new(() => TestVectorFiles.Load(RelativePath, Write));

    [Fact]
    public void ReceiptExample_CommittedReceipt_VerifiesForTheEnvelope()
    {
        var example = Example.Value;
        Assert.DoesNotContain("PRIVATE KEY", File.ReadAllText(TestVectorFiles.PathOf(RelativePath)), StringComparison.Ordinal);

        var check = Receipts.VerifyFor(example.Hex("receiptHex"), Verifier(), VerifiedAt(), example.Hex("envelopeHex"), example.Text("stationCode"), example.GetProperty("revision").GetUInt32());

        Assert.True(check.IsValid, $"{check.ReasonCode}: {check.Detail}");
        Assert.NotNull(check.Body);
        var body = example.GetProperty("body");
        Assert.Equal(body.Text("electionId"), check.Body.ElectionId);
        Assert.Equal(body.Text("mode"), check.Body.Mode == ElectionMode.Test ? "ELECTION_MODE_TEST" : check.Body.Mode.ToString());
        Assert.Equal(body.Hex("envelopeSha256Hex"), check.Body.EnvelopeSha256.ToByteArray());
        Assert.Equal(body.Hex("payloadSha256Hex"), check.Body.PayloadSha256.ToByteArray());
        Assert.Equal(body.Text("stationCode"), check.Body.StationCode);
        Assert.Equal(body.GetProperty("revision").GetUInt32(), check.Body.Revision);
        Assert.Equal(body.GetProperty("logIndex").GetUInt64(), check.Body.LogIndex);
        Assert.Equal(DateTimeOffset.Parse(body.Text("receivedAt"), CultureInfo.InvariantCulture), check.Body.ReceivedAt.ToDateTimeOffset());
        Assert.Equal(body.GetProperty("verifiedCosignatures").GetUInt32(), check.Body.VerifiedCosignatures);
        Assert.Equal(body.Text("checkpoint"), check.Body.Checkpoint.ToStringUtf8());
        Assert.Equal(body.HexList("inclusionProofHex"), check.Body.InclusionProof.Select(h => h.ToByteArray()));
        Assert.Equal(example.Hex("receiptPayloadHex"), check.Body.ToByteArray());
    }

    [Fact]
    public void ReceiptExample_Hashes_RecomputeFromTheEnvelope()
    {
        var example = Example.Value;
        var envelope = example.Hex("envelopeHex");

        Assert.Equal(example.Hex("envelopeSha256Hex"), SHA256.HashData(envelope));
        Assert.Equal(example.Hex("leafHashHex"), SHA256.HashData([0x00, .. envelope]));
        var parsed = EnvelopeMapping.Parse(envelope);
        Assert.True(parsed.IsSuccess, parsed.Detail);
        Assert.Equal(example.GetProperty("body").Hex("payloadSha256Hex"), SHA256.HashData(parsed.Envelope.Payload.Span));
        var verified = Verifier().Verify(parsed.Envelope, PayloadTypes.ResultProtocol, VerifiedAt());
        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal("urn:transmission:station:" + example.Text("stationCode"), verified.Signer.Uri);
    }

    [Fact]
    public void ReceiptExample_CheckpointKey_IsTheSigningCertificatesKeyUnderTheElectionsOrigin()
    {
        var example = Example.Value;
        using var certificate = X509Certificate2.CreateFromPem(example.Text("centralSigningCertificatePem"));
        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        var name = example.Text("checkpointKeyName");

        Assert.Equal(LogEntryTypes.Origin(example.GetProperty("body").Text("electionId")), name);
        Assert.Equal(example.Hex("checkpointPublicKeySpkiHex"), spki);
        Assert.Equal(spki, certificate.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo());
        byte[] input = [.. Encoding.UTF8.GetBytes(name), 0x0A, 0xFF, .. Encoding.ASCII.GetBytes(CheckpointKey.SignatureTypeIdentifier), 0x0A, .. spki];
        Assert.Equal(example.Hex("checkpointKeyIdHex"), SHA256.HashData(input)[..4]);

        var key = Receipts.CheckpointKeyOf(example.Hex("receiptHex"), example.GetProperty("body").Text("electionId"));
        Assert.NotNull(key);
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(example.Hex("checkpointKeyIdHex")), key.KeyId);
        var verified = CheckpointNote.Verify(example.GetProperty("body").Text("checkpoint"), key);
        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal(example.GetProperty("treeSize").GetInt64(), verified.Checkpoint.TreeSize);
        Assert.Equal(example.Hex("rootHex"), verified.Checkpoint.RootHash);
    }

    [Fact]
    public void ReceiptExample_InclusionProof_RecomputesFromTheLogsLeaves()
    {
        var example = Example.Value;
        var leaves = example.HexList("logLeafHashesHex");
        var tree = new MerkleTree();
        foreach (var leaf in leaves)
        {
            tree.AppendLeafHash(leaf);
        }

        var index = (long)example.GetProperty("body").GetProperty("logIndex").GetUInt64();
        Assert.Equal(EnvelopeIndex, index);
        Assert.Equal(TreeSize, tree.Size);
        Assert.Equal(example.Hex("leafHashHex"), leaves[index]);
        Assert.Equal(example.Hex("rootHex"), tree.Root());
        Assert.Equal(example.GetProperty("body").HexList("inclusionProofHex"), tree.InclusionProof(index, tree.Size));
    }

    [Fact]
    public void ReceiptExample_AnotherEnvelope_Mismatch()
    {
        var example = Example.Value;
        var other = example.Hex("envelopeHex");
        other[^1] ^= 0x01;

        var check = Receipts.VerifyFor(example.Hex("receiptHex"), Verifier(), VerifiedAt(), other, example.Text("stationCode"), example.GetProperty("revision").GetUInt32());

        Assert.Equal(ReceiptCheck.Mismatch, check.ReasonCode);
    }

    private static EnvelopeVerifier Verifier() =>
        new(new ElectionTrust(X509Certificate2.CreateFromPem(Example.Value.Text("rootCertificatePem"))), new SignerCertificateCache());

    private static DateTimeOffset VerifiedAt() => DateTimeOffset.Parse(Example.Value.Text("verifiedAt"), CultureInfo.InvariantCulture);

    /// <summary>Generates a fresh example (new keys, so new bytes) and writes it to <paramref name="path"/>.</summary>
    private static void Write(string path)
    {
        const string electionId = "example-2025";
        var pki = new TestPki("Example Election Root");
        using var central = pki.IssueWithKey(CertificateProfile.CentralSigning, TestPki.Identity(Role.Central, "central"));
        using var centralKey = central.GetECDsaPrivateKey()!;
        using var station = pki.Issue(CertificateProfile.StationSigning, "ST-0001");
        using var stationKey = station.GetECDsaPrivateKey()!;
        var payload = new ResultProtocol
        {
            ElectionId = electionId,
            DefinitionSha256 = ByteString.CopyFrom(SHA256.HashData("example election definition"u8)),
            Mode = ElectionMode.Test,
            StationCode = "ST-0001",
            Revision = 1,
            SignedAt = Timestamp.FromDateTimeOffset(pki.Clock.Now.AddMinutes(-10)),
            Ballots = new BallotCounts { RegisteredVoters = 500, Received = 500, Used = 300, Unused = 195, Spoiled = 5, Invalid = 10, Valid = 290 },
            Contests = { new ContestResult { ContestId = "parliament", Choices = { new ChoiceVotes { ChoiceId = "p1", Votes = 190 }, new ChoiceVotes { ChoiceId = "p2", Votes = 100 } } } },
        }.ToByteArray();
        var envelope = EnvelopeMapping.ToBytes(EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, payload, stationKey, station));

        // Five entries before the envelope and one after it, committed in the same batch: the checkpoint is the batch's.
        var tree = new MerkleTree();
        for (var i = 0; i < EnvelopeIndex; i++)
        {
            tree.Append(Encoding.ASCII.GetBytes($"stand-in for entry {i}"));
        }

        tree.Append(envelope);
        tree.Append(Encoding.ASCII.GetBytes($"stand-in for entry {EnvelopeIndex + 1}"));
        var origin = LogEntryTypes.Origin(electionId);
        var note = CheckpointNote.Sign(new Checkpoint(origin, tree.Size, tree.Root()), origin, centralKey);
        var body = new ReceiptBody
        {
            ElectionId = electionId,
            Mode = ElectionMode.Test,
            EnvelopeSha256 = ByteString.CopyFrom(SHA256.HashData(envelope)),
            PayloadSha256 = ByteString.CopyFrom(SHA256.HashData(payload)),
            StationCode = "ST-0001",
            Revision = 1,
            LogIndex = EnvelopeIndex,
            ReceivedAt = Timestamp.FromDateTimeOffset(pki.Clock.Now),
            VerifiedCosignatures = 0,
            Checkpoint = ByteString.CopyFromUtf8(note),
        };
        body.InclusionProof.AddRange(tree.InclusionProof(EnvelopeIndex, tree.Size).Select(ByteString.CopyFrom));
        var receipt = Receipts.Issue(body, centralKey, central);
        var spki = central.PublicKey.ExportSubjectPublicKeyInfo();

        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, TestVectorFiles.WriterOptions);
        json.WriteStartObject();
        json.WriteString("description", "A station's envelope and Central's signed receipt for it (docs/protocol.md, section 8): the receipt's checkpoint (tree size 7) and the inclusion proof of the envelope at log index 5, with every leaf hash of that log (entries other than the envelope are stand-ins). Verify as a station does (section 8.4). Generated by tests/Transmission.Core.Tests/Envelope/ReceiptExampleTests.cs and checked by it on every test run. Public material only.");
        json.WriteString("rootCertificatePem", pki.Root.ExportCertificatePem());
        json.WriteString("centralSigningCertificatePem", central.ExportCertificatePem());
        json.WriteString("centralIdentity", "urn:transmission:central:central");
        json.WriteString("verifiedAt", pki.Clock.Now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        json.WriteString("stationCode", "ST-0001");
        json.WriteNumber("revision", 1);
        json.WriteString("envelopeHex", Convert.ToHexStringLower(envelope));
        json.WriteString("envelopeSha256Hex", Convert.ToHexStringLower(SHA256.HashData(envelope)));
        json.WriteString("leafHashHex", Convert.ToHexStringLower(MerkleHash.LeafHash(envelope)));
        json.WriteString("receiptPayloadType", PayloadTypes.Receipt);
        json.WriteString("receiptPayloadHex", Convert.ToHexStringLower(body.ToByteArray()));
        json.WriteString("receiptHex", Convert.ToHexStringLower(receipt));
        json.WriteStartObject("body");
        json.WriteString("electionId", body.ElectionId);
        json.WriteString("mode", "ELECTION_MODE_TEST");
        json.WriteString("envelopeSha256Hex", Convert.ToHexStringLower(body.EnvelopeSha256.Span));
        json.WriteString("payloadSha256Hex", Convert.ToHexStringLower(body.PayloadSha256.Span));
        json.WriteString("stationCode", body.StationCode);
        json.WriteNumber("revision", body.Revision);
        json.WriteNumber("logIndex", body.LogIndex);
        json.WriteString("receivedAt", body.ReceivedAt.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        json.WriteNumber("verifiedCosignatures", body.VerifiedCosignatures);
        json.WriteString("checkpoint", note);
        json.WriteHexList("inclusionProofHex", body.InclusionProof.Select(h => h.ToByteArray()));
        json.WriteEndObject();
        json.WriteString("checkpointKeyName", origin);
        json.WriteString("checkpointPublicKeySpkiHex", Convert.ToHexStringLower(spki));
        json.WriteString("checkpointKeyIdHex", Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(origin), 0x0A, 0xFF, .. Encoding.ASCII.GetBytes(CheckpointKey.SignatureTypeIdentifier), 0x0A, .. spki])[..4]));
        json.WriteNumber("treeSize", tree.Size);
        json.WriteString("rootHex", Convert.ToHexStringLower(tree.Root()));
        json.WriteHexList("logLeafHashesHex", Enumerable.Range(0, (int)tree.Size).Select(i => tree.NodeHash(0, i)));
        json.WriteEndObject();
    }
}
