using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Transmission.Grpc.Internal;

/// <summary>
/// Reads and writes length-prefixed protobuf messages on pipes and streams. Shared by the
/// server (request body / response body) and the client (request content / response stream).
/// </summary>
internal static class MessageCodec
{
    public const string MessageTooLarge = "Received message exceeds the maximum configured message size.";
    public const string IncompleteMessage = "Incomplete message.";
    public const string InvalidFlag = "Invalid compressed flag.";
    public const string CompressedWithoutEncoding = "Request sent 'grpc-encoding' of 'identity' but message has compressed flag.";
    public const string DecompressedTooLarge = "Decompressed message exceeds the maximum configured message size.";
    public const string ParseFailed = "Failed to deserialize message.";

    /// <summary>
    /// Reads the next message from <paramref name="reader"/>; null at a clean end of stream.
    /// Failures are <see cref="RpcException"/>s carrying the status the spec asks for:
    /// RESOURCE_EXHAUSTED over the limit (decided from the prefix, before buffering),
    /// INTERNAL for a truncated frame, a bad flag or an unparsable message.
    /// </summary>
    public static async ValueTask<T?> ReadMessageAsync<T>(
        PipeReader reader,
        MessageParser<T> parser,
        int maxMessageSize,
        string? encoding,
        CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var outcome = MessageFraming.TryReadFrame(ref buffer, maxMessageSize, out var compressed, out var payload, out _);
            switch (outcome)
            {
                case FrameReadResult.Frame:
                    T message;
                    try
                    {
                        message = Parse(parser, payload, compressed, encoding, maxMessageSize);
                    }
                    finally
                    {
                        reader.AdvanceTo(buffer.Start);
                    }

                    return message;
                case FrameReadResult.TooLarge:
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    throw new RpcException(new Status(StatusCode.ResourceExhausted, MessageTooLarge));
                case FrameReadResult.InvalidFlag:
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    throw new RpcException(new Status(StatusCode.Internal, InvalidFlag));
                case FrameReadResult.NeedMoreData:
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected frame result {outcome}.");
            }

            if (result.IsCompleted)
            {
                var leftover = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (leftover == 0)
                {
                    return default;
                }

                throw new RpcException(new Status(StatusCode.Internal, IncompleteMessage));
            }

            if (result.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new OperationCanceledException(cancellationToken);
            }

            // Everything is examined, nothing consumed: wait for more bytes.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Writes one uncompressed message with its prefix and flushes.</summary>
    public static async ValueTask WriteMessageAsync(PipeWriter writer, IMessage message, CancellationToken cancellationToken)
    {
        WriteFrame(writer, message);
        var flush = await writer.FlushAsync(cancellationToken);
        if (flush.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>Writes one uncompressed message with its prefix into <paramref name="writer"/> without flushing.</summary>
    public static void WriteFrame(IBufferWriter<byte> writer, IMessage message)
    {
        var size = message.CalculateSize();
        var span = writer.GetSpan(MessageFraming.HeaderSize + size);
        MessageFraming.WriteHeader(span, compressed: false, size);
        message.WriteTo(span.Slice(MessageFraming.HeaderSize, size));
        writer.Advance(MessageFraming.HeaderSize + size);
    }

    /// <summary>Returns the framed bytes of <paramref name="message"/>.</summary>
    public static byte[] Frame(IMessage message)
    {
        var size = message.CalculateSize();
        var bytes = new byte[MessageFraming.HeaderSize + size];
        MessageFraming.WriteHeader(bytes, compressed: false, size);
        message.WriteTo(bytes.AsSpan(MessageFraming.HeaderSize));
        return bytes;
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload, bool compressed, string? encoding, int maxMessageSize)
        where T : IMessage<T>
    {
        if (compressed)
        {
            if (encoding is null || string.Equals(encoding, GrpcProtocolConstants.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
            {
                throw new RpcException(new Status(StatusCode.Internal, CompressedWithoutEncoding));
            }

            payload = new ReadOnlySequence<byte>(Decompress(payload, encoding, maxMessageSize));
        }

        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, ParseFailed), ex);
        }
    }

    private static byte[] Decompress(ReadOnlySequence<byte> payload, string encoding, int maxMessageSize)
    {
        if (!string.Equals(encoding, GrpcProtocolConstants.GzipEncoding, StringComparison.OrdinalIgnoreCase))
        {
            // Checked when the call starts; reaching here is a bug.
            throw new InvalidOperationException($"Unsupported grpc-encoding '{encoding}'.");
        }

        try
        {
            using var input = new MemoryStream(payload.ToArray(), writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = gzip.Read(chunk, 0, chunk.Length)) > 0)
            {
                // A small compressed message may inflate to any size: cap it as we go.
                if (output.Length + read > maxMessageSize)
                {
                    throw new RpcException(new Status(StatusCode.ResourceExhausted, DecompressedTooLarge));
                }

                output.Write(chunk, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to decompress message."), ex);
        }
    }
}
