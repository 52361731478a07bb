using System.Security.Cryptography;
using Google.Protobuf;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Grpc;
using Domain = Transmission.Core.Protocol;

namespace Transmission.Central.Tests.Hostile;

/// <summary>
/// Issue 7 item 2, attachments whose size lies: the signed protocol declares each scan's size and SHA-256, and the
/// bytes sent disagree (fewer, none, zero declared, over the limits, a stream that ends early, chunks out of order).
/// Longer than declared, a changed byte and nine attachments are in Submission/SubmitRejectionTests.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class AttachmentHostileTests(RunningCentral central)
{
    private readonly HostileChecks _checks = new(central);

    [Fact]
    public async Task Submit_DeclaredTenKilobytesNoneSent_SizeMismatchAtTheEnd()
    {
        var scan = RandomNumberGenerator.GetBytes(10_000);
        var signed = Sign(scan);
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync([signed.Items("p1").First(), SignedProtocol.End("p1")]);

        Assert.Equal(("ATTACHMENT_SIZE_MISMATCH", (int)StatusCode.InvalidArgument), (rejection.Code, rejection.Status));
        Assert.Equal("Attachment 0 ('scan-0.png') carried 0 bytes; the protocol declares 10000.", rejection.Message);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_DeclaredSizeZero_AttachmentInvalidBeforeAnyByte()
    {
        var signed = SignDeclared(new Domain.AttachmentDigest("scan.png", "image/png", 0, SHA256.HashData(ReadOnlySpan<byte>.Empty)));
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync([signed.Items("p1").First(), SignedProtocol.End("p1")]);

        Assert.Equal(("ATTACHMENT_INVALID", (int)StatusCode.InvalidArgument), (rejection.Code, rejection.Status));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_DeclaredOneByteOverMaxAttachmentBytes_AttachmentLimitResourceExhausted()
    {
        var signed = SignDeclared(new Domain.AttachmentDigest("scan.png", "image/png", 20L * 1024 * 1024 + 1, new byte[32]));
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync([signed.Items("p1").First(), SignedProtocol.Chunk("p1", 0, new byte[100]), SignedProtocol.End("p1")]);

        Assert.Equal(("ATTACHMENT_LIMIT", (int)StatusCode.ResourceExhausted), (rejection.Code, rejection.Status));
        Assert.Equal("Attachment 0 declares 20971521 bytes; at most 20971520 are accepted.", rejection.Message);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_AThousandAttachmentsDeclared_AttachmentLimitResourceExhausted()
    {
        var declared = Enumerable.Range(0, 1000).Select(i => new Domain.AttachmentDigest($"scan-{i}.png", "image/png", 1, new byte[32])).ToArray();
        var signed = SignDeclared(declared);
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync([signed.Items("p1").First(), SignedProtocol.End("p1")]);

        Assert.Equal(("ATTACHMENT_LIMIT", (int)StatusCode.ResourceExhausted), (rejection.Code, rejection.Status));
        Assert.Equal("The protocol declares 1000 attachments; at most 8 are accepted.", rejection.Message);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_StreamEndsInsideAnAttachment_CallEndsInvalidArgumentNothingStored()
    {
        var scan = RandomNumberGenerator.GetBytes(10_000);
        var signed = Sign(scan);
        var before = await _checks.Station.CountsAsync();

        var result = await _checks.Station.SubmitAsync("ST-0001", [signed.Items("p1").First(), SignedProtocol.Chunk("p1", 0, scan.AsSpan(0, 5000))]);

        Assert.Empty(result.Responses);
        Assert.Equal(StatusCode.InvalidArgument, result.Error?.StatusCode);
        Assert.Equal("Submit stream rule broken: the stream ended before the 'end' of 'p1'. Expected per protocol: start, its chunks in order, end.", result.Error!.Status.Detail);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_SecondAttachmentStartsBeforeTheFirstIsComplete_SizeMismatchOfTheFirst()
    {
        var a = RandomNumberGenerator.GetBytes(3000);
        var b = RandomNumberGenerator.GetBytes(3000);
        var signed = Sign(a, b);
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync([signed.Items("p1").First(), SignedProtocol.Chunk("p1", 0, a.AsSpan(0, 2999)), SignedProtocol.Chunk("p1", 1, b), SignedProtocol.End("p1")]);

        Assert.Equal(("ATTACHMENT_SIZE_MISMATCH", (int)StatusCode.InvalidArgument), (rejection.Code, rejection.Status));
        Assert.Equal("Attachment 0 ('scan-0.png') carried 2999 bytes; the protocol declares 3000.", rejection.Message);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(uint.MaxValue)]
    public async Task Submit_ChunkForAnUndeclaredAttachment_AttachmentOutOfOrder(uint index)
    {
        var scan = RandomNumberGenerator.GetBytes(100);
        var signed = Sign(scan);
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync([signed.Items("p1").First(), SignedProtocol.Chunk("p1", 0, scan), SignedProtocol.Chunk("p1", index, scan), SignedProtocol.End("p1")]);

        Assert.Equal(("ATTACHMENT_OUT_OF_ORDER", (int)StatusCode.InvalidArgument), (rejection.Code, rejection.Status));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_RightSizeAllZeros_DigestMismatch()
    {
        var scan = RandomNumberGenerator.GetBytes(4096);
        var signed = Sign(scan);
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync((signed with { Attachments = [new byte[4096]] }).Items("p1"));

        Assert.Equal(("ATTACHMENT_DIGEST_MISMATCH", (int)StatusCode.InvalidArgument), (rejection.Code, rejection.Status));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_SixteenProtocolsDeclaringTwentyMegabytesSendingOneByte_CentralHoldsOnlyWhatArrived()
    {
        // A protocol that declares one 20 MiB scan and sends one byte of it used to make Central allocate the declared
        // 20 MiB at the first chunk. Sixteen such protocols on one call: 320 MiB allocated before the fix. Buffers now
        // grow with the bytes received. Measured as the bytes this test process allocated during the call; the bound
        // leaves room for whatever else the process allocates meanwhile.
        var signed = SignDeclared(new Domain.AttachmentDigest("scan.png", "image/png", 20L * 1024 * 1024, new byte[32]));
        var items = new List<SubmitRequest>();
        for (var i = 0; i < 16; i++)
        {
            var id = $"p{i}";
            items.AddRange([signed.Items(id).First(), SignedProtocol.Chunk(id, 0, new byte[1]), SignedProtocol.End(id)]);
        }

        var before = await _checks.Station.CountsAsync();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var result = await _checks.Station.SubmitAsync("ST-0001", items);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Null(result.Error);
        Assert.Equal(16, result.Responses.Count);
        Assert.All(result.Responses, r => Assert.Equal(("ATTACHMENT_SIZE_MISMATCH", (int)StatusCode.InvalidArgument), (r.Rejection.Code, r.Rejection.Status)));
        Assert.True(allocated < 128L * 1024 * 1024, $"{allocated:N0} bytes allocated for 16 bytes of attachments");
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    private SignedProtocol Sign(params byte[][] scans) =>
        _checks.Station.Sign(StationSubmitter.WithAttachments(_checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision()), scans), scans);

    private SignedProtocol SignDeclared(params Domain.AttachmentDigest[] declared)
    {
        var protocol = _checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision()) with { Attachments = declared };
        return _checks.Station.Sign(protocol);
    }
}
