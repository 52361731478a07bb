using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Log;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Audit;

/// <summary>
/// The Audit service and the station's GetLogConsistency against the real Central: every checkpoint, inclusion and
/// consistency proof it gives verifies against the central-signing key with Core's RFC 9162 verifiers, and every
/// out-of-range or malformed request gets its specific status.
/// </summary>
public sealed class AuditServiceTests(RunningCentral central) : IClassFixture<RunningCentral>
{
    private readonly StationSubmitter _station = new(central);

    [Fact]
    public async Task Proofs_AfterSubmissions_VerifyAgainstTheSignedCheckpoints()
    {
        var first = await SubmitAsync("ST-0001");
        var second = await SubmitAsync("ST-0002");
        using var auditor = central.ChannelFor(central.Pki.AuditorDir);

        var note = (await auditor.AsyncUnaryCall(AuditMethods.GetCheckpoint, new GetCheckpointRequest()).ResponseAsync.DefaultTimeout()).Note.ToStringUtf8();

        var latest = Verified(note);
        Assert.True(latest.TreeSize >= 2);
        // Inclusion by index and by leaf hash give the same proof, and it leads to the signed root.
        var byIndex = await auditor.AsyncUnaryCall(AuditMethods.GetInclusionProof, new GetInclusionProofRequest { Index = first.Body!.LogIndex }).ResponseAsync.DefaultTimeout();
        var byHash = await auditor.AsyncUnaryCall(AuditMethods.GetInclusionProof, new GetInclusionProofRequest
        {
            EntrySha256 = ByteString.CopyFrom(MerkleHash.LeafHash(first.Envelope)),
            TreeSize = (ulong)latest.TreeSize,
        }).ResponseAsync.DefaultTimeout();
        Assert.Equal(byIndex, byHash);
        Assert.Equal((ulong)latest.TreeSize, byIndex.TreeSize);
        var inclusion = MerkleProofs.VerifyInclusion(MerkleHash.LeafHash(first.Envelope), (long)byIndex.Index, latest.TreeSize, Hashes(byIndex.Hashes), latest.RootHash);
        Assert.True(inclusion.IsValid, inclusion.ToString());

        // The first receipt's checkpoint is a prefix of the latest one.
        var old = first.Checkpoint!;
        var consistency = await auditor.AsyncUnaryCall(AuditMethods.GetConsistencyProof, new GetConsistencyProofRequest
        {
            FirstSize = (ulong)old.TreeSize,
            SecondSize = (ulong)latest.TreeSize,
        }).ResponseAsync.DefaultTimeout();
        var consistent = MerkleProofs.VerifyConsistency(old.TreeSize, latest.TreeSize, Hashes(consistency.Hashes), old.RootHash, latest.RootHash);
        Assert.True(consistent.IsValid, consistent.ToString());
        Assert.True(second.Checkpoint!.TreeSize > old.TreeSize);
    }

    [Fact]
    public async Task GetLogConsistency_FromAReceiptsCheckpoint_ProvesTheLatestCheckpointExtendsIt()
    {
        var receipted = await SubmitAsync("ST-0001");
        await SubmitAsync("ST-0002");
        using var channel = central.ChannelFor(central.Pki.StationDir("ST-0001"));

        var reply = await channel.AsyncUnaryCall(TransmissionMethods.GetLogConsistency, new GetLogConsistencyRequest
        {
            FromSize = (ulong)receipted.Checkpoint!.TreeSize,
        }).ResponseAsync.DefaultTimeout();

        var latest = Verified(reply.Checkpoint.ToStringUtf8());
        var old = receipted.Checkpoint;
        Assert.True(latest.TreeSize > old.TreeSize);
        Assert.True(MerkleProofs.VerifyConsistency(old.TreeSize, latest.TreeSize, Hashes(reply.Proof), old.RootHash, latest.RootHash).IsValid);
    }

    [Theory]
    [InlineData(0ul, StatusCode.InvalidArgument, "from_size must be the tree size of a checkpoint the station holds (1 or more).")]
    [InlineData(1_000_000ul, StatusCode.OutOfRange, "first size 1000000 is above the second size")]
    public async Task GetLogConsistency_BadFromSize_SpecificStatus(ulong fromSize, StatusCode code, string message)
    {
        await SubmitAsync("ST-0002");
        using var channel = central.ChannelFor(central.Pki.StationDir("ST-0002"));

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.AsyncUnaryCall(TransmissionMethods.GetLogConsistency, new GetLogConsistencyRequest { FromSize = fromSize }).ResponseAsync.DefaultTimeout());

        Assert.Equal(code, ex.StatusCode);
        Assert.StartsWith(message, ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetInclusionProof_BadRequests_SpecificStatuses()
    {
        await SubmitAsync("ST-0001");
        using var auditor = central.ChannelFor(central.Pki.AuditorDir);
        async Task<RpcException> Refused(GetInclusionProofRequest request) => await Assert.ThrowsAsync<RpcException>(() =>
            auditor.AsyncUnaryCall(AuditMethods.GetInclusionProof, request).ResponseAsync.DefaultTimeout());

        var beyond = await Refused(new GetInclusionProofRequest { Index = 1_000_000 });
        var tooLarge = await Refused(new GetInclusionProofRequest { Index = 0, TreeSize = 1_000_000 });
        var unknown = await Refused(new GetInclusionProofRequest { EntrySha256 = ByteString.CopyFrom(new byte[32]) });
        var shortHash = await Refused(new GetInclusionProofRequest { EntrySha256 = ByteString.CopyFrom(new byte[5]) });
        var none = await Refused(new GetInclusionProofRequest());

        Assert.Equal(StatusCode.OutOfRange, beyond.StatusCode);
        Assert.StartsWith("index 1000000 is not in a tree of", beyond.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.OutOfRange, tooLarge.StatusCode);
        Assert.StartsWith("tree size 1000000 is beyond the latest signed checkpoint", tooLarge.Status.Detail, StringComparison.Ordinal);
        Assert.Equal((StatusCode.NotFound, "no log entry has this leaf hash."), (unknown.StatusCode, unknown.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, "entry_sha256 must be the 32-byte leaf hash SHA-256(0x00 || entry)."), (shortHash.StatusCode, shortHash.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, "name the entry: index or entry_sha256."), (none.StatusCode, none.Status.Detail));
    }

    [Fact]
    public async Task GetConsistencyProof_FirstAboveSecond_OutOfRange()
    {
        await SubmitAsync("ST-0002");
        using var auditor = central.ChannelFor(central.Pki.AuditorDir);

        var ex = await Assert.ThrowsAsync<RpcException>(() => auditor.AsyncUnaryCall(
            AuditMethods.GetConsistencyProof, new GetConsistencyProofRequest { FirstSize = 2, SecondSize = 1 }).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.OutOfRange, ex.StatusCode);
        Assert.Equal("first size 2 is above the second size 1.", ex.Status.Detail);
    }

    [Fact]
    public async Task ListSecurityEvents_PagesThroughEveryEventOnce()
    {
        // A conflicting revision is a security event.
        var station = "ST-0001";
        var revision = StationSubmitter.NextRevision();
        await _station.SubmitAsync(_station.Sign(_station.Protocol(station, revision, seed: 1)), station);
        await _station.SubmitAsync(_station.Sign(_station.Protocol(station, revision, seed: 2)), station);
        using var auditor = central.ChannelFor(central.Pki.AuditorDir);

        var seen = new List<Contracts.V1.SecurityEvent>();
        var token = string.Empty;
        do
        {
            var page = await auditor.AsyncUnaryCall(AuditMethods.ListSecurityEvents, new ListSecurityEventsRequest { PageSize = 1, PageToken = token }).ResponseAsync.DefaultTimeout();
            Assert.True(page.Events.Count <= 1);
            seen.AddRange(page.Events);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Contains(seen, e => e.Kind == "SUBMISSION_CONFLICT" && e.CallerUri == "urn:transmission:station:" + station);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var badToken = await Assert.ThrowsAsync<RpcException>(() => auditor.AsyncUnaryCall(
            AuditMethods.ListSecurityEvents, new ListSecurityEventsRequest { PageToken = "x" }).ResponseAsync.DefaultTimeout());
        Assert.Equal(StatusCode.InvalidArgument, badToken.StatusCode);
    }

    private async Task<(ReceiptBody? Body, Checkpoint? Checkpoint, byte[] Envelope)> SubmitAsync(string station)
    {
        var signed = _station.Sign(_station.Protocol(station, StationSubmitter.NextRevision()));
        var result = await _station.SubmitAsync(signed, station);
        var check = _station.VerifyReceipt(result.Single(), signed);
        Assert.True(check.IsValid, check.Detail);
        return (check.Body, check.Checkpoint, signed.Envelope);
    }

    private Checkpoint Verified(string note)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(central.Pki.Root, "central", "signing.cert.pem"))).RawData);
        var key = new CheckpointKey(LogEntryTypes.Origin(central.Pki.Election.ElectionId), certificate.GetECDsaPublicKey()!);
        var result = CheckpointNote.Verify(note, key);
        Assert.True(result.IsValid, result.ToString());
        return result.Checkpoint!;
    }

    private static byte[][] Hashes(IEnumerable<ByteString> hashes) => hashes.Select(h => h.ToByteArray()).ToArray();
}
