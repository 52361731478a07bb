using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Central.Tests.Hosting;
using Transmission.Contracts.V1;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Submission;

/// <summary>
/// Submit and GetReceipt against the real Central (Kestrel, mutual TLS, SQLite file): accepted protocols are stored
/// byte for byte and answered with a receipt that verifies against the election root; duplicates get the same bytes.
/// </summary>
public sealed class SubmitTests(RunningCentral central) : IClassFixture<RunningCentral>
{
    private readonly StationSubmitter _station = new(central);

    [Fact]
    public async Task Submit_ValidProtocolWithAttachment_ReceiptVerifiesAndEverythingStoredByteForByte()
    {
        var scan = RandomNumberGenerator.GetBytes(200_000);
        var protocol = StationSubmitter.WithAttachments(_station.Protocol("ST-0001", StationSubmitter.NextRevision()), scan);
        var signed = _station.Sign(protocol, [scan]);

        var result = await _station.SubmitAsync(signed);

        Assert.Null(result.Error);
        var response = result.Single();
        Assert.Equal("p1", response.CorrelationId);
        var check = _station.VerifyReceipt(response, signed);
        Assert.True(check.IsValid, check.Detail);
        var body = check.Body!;
        Assert.Equal(central.Pki.Election.ElectionId, body.ElectionId);
        Assert.Equal(ElectionMode.Test, body.Mode);
        Assert.Equal(SHA256.HashData(protocol.ToContractBytes()), body.PayloadSha256.ToByteArray());

        await using var db = central.OpenDatabase();
        var row = await db.Submissions.Include(s => s.Attachments).SingleAsync(s => s.EnvelopeSha256 == signed.EnvelopeSha256);
        Assert.Equal(SubmissionStatus.Accepted, row.Status);
        Assert.Equal((long)body.LogIndex, row.LogIndex);
        Assert.Equal(string.Empty, row.Flags);
        Assert.Equal(response.Receipt.Envelope.ToByteArray(), row.ReceiptBytes);
        Assert.Equal(signed.Envelope, (await db.Blobs.SingleAsync(b => b.Sha256 == signed.EnvelopeSha256)).Bytes);
        var attachment = Assert.Single(row.Attachments);
        Assert.Equal("scan-0.png", attachment.Name);
        Assert.Equal(scan, (await db.Blobs.SingleAsync(b => b.Sha256 == attachment.BlobSha256)).Bytes);
        Assert.True(await db.LogEntries.AnyAsync(e => e.Index == row.LogIndex && e.SubmissionId == row.Id));
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Submit_SeveralProtocolsInOneStream_OneReceiptEachInOrder()
    {
        var first = _station.Sign(_station.Protocol("ST-0002", StationSubmitter.NextRevision()));
        var scan = RandomNumberGenerator.GetBytes(10_000);
        var second = _station.Sign(StationSubmitter.WithAttachments(_station.Protocol("ST-0002", StationSubmitter.NextRevision()), scan), [scan]);

        var result = await _station.SubmitAsync("ST-0002", first.Items("a").Concat(second.Items("b", chunkSize: 3000)));

        Assert.Null(result.Error);
        Assert.Equal(["a", "b"], result.Responses.Select(r => r.CorrelationId));
        Assert.True(_station.VerifyReceipt(result.Responses[0], first).IsValid);
        Assert.True(_station.VerifyReceipt(result.Responses[1], second).IsValid);
    }

    [Fact]
    public async Task Submit_SameProtocolTwice_ByteIdenticalReceiptAndOneRow()
    {
        var signed = _station.Sign(_station.Protocol("ST-0001", StationSubmitter.NextRevision()));
        var first = await _station.SubmitAsync(signed);
        var before = await _station.CountsAsync();

        var again = await _station.SubmitAsync(signed);
        var inSameStream = await _station.SubmitAsync("ST-0001", signed.Items("x").Concat(signed.Items("y")));

        Assert.Equal(first.Single().Receipt.Envelope, again.Single().Receipt.Envelope);
        Assert.All(inSameStream.Responses, r => Assert.Equal(first.Single().Receipt.Envelope, r.Receipt.Envelope));
        (await _station.CountsAsync()).AssertNothingStoredSince(before);
        await using var db = central.OpenDatabase();
        Assert.Equal(1, await db.Submissions.CountAsync(s => s.EnvelopeSha256 == signed.EnvelopeSha256));
    }

    [Fact]
    public async Task Submit_BrokenArithmetic_StoredWithFlags()
    {
        var protocol = _station.Protocol("ST-0001", StationSubmitter.NextRevision());
        protocol = protocol with
        {
            Ballots = protocol.Ballots with { Valid = protocol.Ballots.Valid + 1 },
            Explanation = "Two ballots were stuck together.",
        };
        var signed = _station.Sign(protocol);

        var result = await _station.SubmitAsync(signed);

        Assert.True(_station.VerifyReceipt(result.Single(), signed).IsValid);
        await using var db = central.OpenDatabase();
        var row = await db.Submissions.SingleAsync(s => s.EnvelopeSha256 == signed.EnvelopeSha256);
        Assert.Equal(SubmissionStatus.Accepted, row.Status);
        Assert.Contains("VALID_INVALID_NOT_USED", row.Flags.Split(','));
        Assert.Contains("CONTEST_SUM_MISMATCH", row.Flags.Split(','));
    }

    [Fact]
    public async Task Submit_ConflictingRevision_AlreadyExistsAndBothEnvelopesKept()
    {
        var revision = StationSubmitter.NextRevision();
        var accepted = _station.Sign(_station.Protocol("ST-0002", revision, seed: 1));
        var other = _station.Sign(_station.Protocol("ST-0002", revision, seed: 2));
        Assert.Null((await _station.SubmitAsync(accepted)).Error);
        var since = (await _station.CountsAsync()).SecurityEvents;

        var result = await _station.SubmitAsync(other);

        var rejection = result.Single().Rejection;
        Assert.Equal(("REVISION_CONFLICT", (int)StatusCode.AlreadyExists), (rejection.Code, rejection.Status));
        await using var db = central.OpenDatabase();
        Assert.Equal(SubmissionStatus.Accepted, (await db.Submissions.SingleAsync(s => s.EnvelopeSha256 == accepted.EnvelopeSha256)).Status);
        var evidence = await db.Submissions.SingleAsync(s => s.EnvelopeSha256 == other.EnvelopeSha256);
        Assert.Equal(SubmissionStatus.Conflict, evidence.Status);
        Assert.Null(evidence.ReceiptBytes);
        Assert.Equal(other.Envelope, (await db.Blobs.SingleAsync(b => b.Sha256 == other.EnvelopeSha256)).Bytes);
        Assert.Contains(await _station.SecurityEventsAfterAsync(since), e => e.Kind == SubmissionStore.ConflictEventKind);
    }

    [Fact]
    public async Task Submit_StaleRevision_FailedPreconditionNothingStored()
    {
        var lower = StationSubmitter.NextRevision();
        var higher = StationSubmitter.NextRevision();
        Assert.Null((await _station.SubmitAsync(_station.Sign(_station.Protocol("ST-0001", higher)))).Error);
        var before = await _station.CountsAsync();

        var result = await _station.SubmitAsync(_station.Sign(_station.Protocol("ST-0001", lower)));

        var rejection = result.Single().Rejection;
        Assert.Equal(("REVISION_STALE", (int)StatusCode.FailedPrecondition), (rejection.Code, rejection.Status));
        var after = await _station.CountsAsync();
        after.AssertNothingStoredSince(before);
        Assert.Contains(await _station.SecurityEventsAfterAsync(before.SecurityEvents), e => e.Kind == SubmissionStore.StaleEventKind);
    }

    [Fact]
    public async Task GetReceipt_OwnEnvelope_TheStoredReceipt_OtherStationOrUnknown_NotFound()
    {
        var signed = _station.Sign(_station.Protocol("ST-0001", StationSubmitter.NextRevision()));
        var receipt = (await _station.SubmitAsync(signed)).Single().Receipt.Envelope;
        using var own = central.ChannelFor(central.Pki.StationDir("ST-0001"));
        using var other = central.ChannelFor(central.Pki.StationDir("ST-0002"));
        var request = new GetReceiptRequest { EnvelopeSha256 = ByteString.CopyFrom(signed.EnvelopeSha256) };

        var mine = await own.AsyncUnaryCall(TransmissionMethods.GetReceipt, request).ResponseAsync.DefaultTimeout();
        var theirs = await Assert.ThrowsAsync<RpcException>(() => other.AsyncUnaryCall(TransmissionMethods.GetReceipt, request).ResponseAsync.DefaultTimeout());
        var unknown = await Assert.ThrowsAsync<RpcException>(() => own.AsyncUnaryCall(
            TransmissionMethods.GetReceipt, new GetReceiptRequest { EnvelopeSha256 = ByteString.CopyFrom(new byte[32]) }).ResponseAsync.DefaultTimeout());

        Assert.Equal(receipt, mine.Receipt.Envelope);
        Assert.Equal(StatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(theirs.Status.Detail, unknown.Status.Detail);
    }

    [Fact]
    public async Task Handshake_Station_NamesTheElectionItsModeAndDefinitionHash()
    {
        using var channel = central.ChannelFor(central.Pki.StationDir("ST-0001"));

        var reply = await channel.AsyncUnaryCall(TransmissionMethods.Handshake, new HandshakeRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal(central.Pki.Election.ElectionId, reply.ElectionId);
        Assert.Equal(ElectionMode.Test, reply.Mode);
        Assert.Equal(central.Pki.Election.Sha256.ToArray(), reply.DefinitionSha256.ToByteArray());
    }
}

internal static class ProtocolBytes
{
    public static byte[] ToContractBytes(this Core.Protocol.ResultProtocol protocol) =>
        Contracts.Mapping.ResultProtocolMapping.ToContract(protocol).Value!.ToByteArray();
}
