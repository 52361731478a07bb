using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;
using Grpc.Testing;
using Transmission.Grpc.Internal;
using Transmission.Testing;

namespace Transmission.Grpc.Tests.Internal;

public sealed class MessageFramingTests
{
    [Fact]
    public void TryReadFrame_WholeFrame_ReturnsPayloadAndAdvances()
    {
        var bytes = new byte[] { 0, 0, 0, 0, 3, 1, 2, 3, 9 };
        var buffer = new ReadOnlySequence<byte>(bytes);

        var result = MessageFraming.TryReadFrame(ref buffer, 100, out var compressed, out var message, out var length);

        Assert.Equal(FrameReadResult.Frame, result);
        Assert.False(compressed);
        Assert.Equal(3, length);
        Assert.Equal(new byte[] { 1, 2, 3 }, message.ToArray());
        Assert.Equal(new byte[] { 9 }, buffer.ToArray());
    }

    [Fact]
    public void TryReadFrame_FrameSplitAcrossSegments_ReturnsPayload()
    {
        // Prefix split 2+3, then the message split across three segments.
        var buffer = Segments([0, 0], [0, 0, 5], [10, 11], [12], [13, 14, 0]);

        var result = MessageFraming.TryReadFrame(ref buffer, 100, out _, out var message, out _);

        Assert.Equal(FrameReadResult.Frame, result);
        Assert.Equal(new byte[] { 10, 11, 12, 13, 14 }, message.ToArray());
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void TryReadFrame_PrefixOnly_NeedsMoreDataAndLeavesBuffer()
    {
        var buffer = new ReadOnlySequence<byte>([0, 0, 0, 0, 10]);

        var result = MessageFraming.TryReadFrame(ref buffer, 100, out _, out _, out var length);

        Assert.Equal(FrameReadResult.NeedMoreData, result);
        Assert.Equal(10, length);
        Assert.Equal(5, buffer.Length);
    }

    [Fact]
    public void TryReadFrame_PartialPrefix_NeedsMoreData()
    {
        var buffer = Segments([0, 0], [0]);

        Assert.Equal(FrameReadResult.NeedMoreData, MessageFraming.TryReadFrame(ref buffer, 100, out _, out _, out _));
    }

    [Fact]
    public void TryReadFrame_PrefixOverLimit_TooLargeWithoutTheBody()
    {
        var buffer = new ReadOnlySequence<byte>([0, 0, 0x4C, 0x4B, 0x40]); // 5,000,000

        var result = MessageFraming.TryReadFrame(ref buffer, GrpcProtocolConstants.DefaultMaxReceiveMessageSize, out _, out _, out var length);

        Assert.Equal(FrameReadResult.TooLarge, result);
        Assert.Equal(5_000_000, length);
    }

    [Fact]
    public void TryReadFrame_LengthAtLimit_IsAccepted()
    {
        var buffer = new ReadOnlySequence<byte>([0, 0, 0, 0, 2, 7, 7]);

        Assert.Equal(FrameReadResult.Frame, MessageFraming.TryReadFrame(ref buffer, 2, out _, out _, out _));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void TryReadFrame_BadFlag_InvalidFlag(byte flag)
    {
        var buffer = new ReadOnlySequence<byte>([flag, 0, 0, 0, 0]);

        Assert.Equal(FrameReadResult.InvalidFlag, MessageFraming.TryReadFrame(ref buffer, 100, out _, out _, out _));
    }

    [Fact]
    public void TryReadFrame_CompressedFlag_Reported()
    {
        var buffer = new ReadOnlySequence<byte>([1, 0, 0, 0, 0]);

        Assert.Equal(FrameReadResult.Frame, MessageFraming.TryReadFrame(ref buffer, 100, out var compressed, out _, out _));
        Assert.True(compressed);
    }

    [Fact]
    public void WriteHeader_Length_BigEndian()
    {
        var header = new byte[5];

        MessageFraming.WriteHeader(header, compressed: true, 0x01020304);

        Assert.Equal(new byte[] { 1, 1, 2, 3, 4 }, header);
    }

    [Fact]
    public async Task ReadMessageAsync_FrameArrivesInPieces_ReturnsMessageThenNullAtEnd()
    {
        var pipe = new Pipe();
        var frame = MessageCodec.Frame(new SimpleRequest { ResponseSize = 42 });
        var read = MessageCodec.ReadMessageAsync(pipe.Reader, SimpleRequest.Parser, 100, null, CancellationToken.None).AsTask();
        foreach (var b in frame)
        {
            await pipe.Writer.WriteAsync(new[] { b });
        }

        Assert.Equal(42, (await read.DefaultTimeout())!.ResponseSize);
        await pipe.Writer.CompleteAsync();
        Assert.Null(await MessageCodec.ReadMessageAsync(pipe.Reader, SimpleRequest.Parser, 100, null, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task ReadMessageAsync_PrefixOverLimit_ThrowsResourceExhaustedBeforeBody()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 1, 0 });

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            MessageCodec.ReadMessageAsync(pipe.Reader, SimpleRequest.Parser, 255, null, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(MessageCodec.MessageTooLarge, ex.Status.Detail);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 4, 1 })]
    public async Task ReadMessageAsync_TruncatedAtEnd_ThrowsInternal(byte[] bytes)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            MessageCodec.ReadMessageAsync(pipe.Reader, SimpleRequest.Parser, 100, null, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal(MessageCodec.IncompleteMessage, ex.Status.Detail);
    }

    [Fact]
    public async Task ReadMessageAsync_Garbage_ThrowsInternal()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 2, 0xFF, 0xFF });

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            MessageCodec.ReadMessageAsync(pipe.Reader, SimpleRequest.Parser, 100, null, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal(MessageCodec.ParseFailed, ex.Status.Detail);
    }

    [Fact]
    public async Task ReadMessageAsync_CompressedFlagWithoutEncoding_ThrowsInternal()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 1, 0, 0, 0, 0 });

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            MessageCodec.ReadMessageAsync(pipe.Reader, SimpleRequest.Parser, 100, null, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_GzipInflatesOverLimit_ThrowsResourceExhausted()
    {
        var message = new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[100_000]) } };
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            message.WriteTo(gzip);
        }

        var payload = compressed.ToArray();
        var frame = new byte[5 + payload.Length];
        MessageFraming.WriteHeader(frame, compressed: true, payload.Length);
        payload.CopyTo(frame, 5);
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(frame);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            MessageCodec.ReadMessageAsync(pipe.Reader, SimpleRequest.Parser, 10_000, "gzip", CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.True(payload.Length < 10_000);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(MessageCodec.DecompressedTooLarge, ex.Status.Detail);
    }

    private static ReadOnlySequence<byte> Segments(params byte[][] parts) => SequenceSegments.Of(parts);
}
