using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Google.Protobuf;
using Transmission.Grpc.Internal;
using Transmission.Testing;

namespace Transmission.Grpc.Tests.Server;

/// <summary>
/// Hand-framed gRPC over a plain HttpClient: what goes on the wire is exactly what the test
/// wrote, and what comes back is read without any gRPC client in between.
/// </summary>
internal static class RawGrpc
{
    public static byte[] Frame(IMessage message) => MessageCodec.Frame(message);

    public static byte[] Frame(byte[] payload, byte flag = 0)
    {
        var bytes = new byte[MessageFraming.HeaderSize + payload.Length];
        bytes[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(bytes.AsSpan(MessageFraming.HeaderSize));
        return bytes;
    }

    public static HttpRequestMessage Request(string path, HttpContent content, string contentType = "application/grpc")
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    public static HttpRequestMessage Request(string path, params byte[][] frames) =>
        Request(path, new ByteArrayContent(frames.SelectMany(f => f).ToArray()));

    /// <summary>Sends <paramref name="request"/> and reads the whole response.</summary>
    public static async Task<RawGrpcResponse> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        return new RawGrpcResponse(response, body);
    }

    /// <summary>Reads one framed message from <paramref name="stream"/>; null at the end of the stream.</summary>
    public static async Task<byte[]?> ReadFrameAsync(Stream stream)
    {
        var header = new byte[MessageFraming.HeaderSize];
        var read = await ReadAtLeastAsync(stream, header);
        if (read == 0)
        {
            return null;
        }

        Assert.Equal(MessageFraming.HeaderSize, read);
        Assert.Equal(0, header[0]);
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
        Assert.Equal(payload.Length, await ReadAtLeastAsync(stream, payload));
        return payload;
    }

    private static async Task<int> ReadAtLeastAsync(Stream stream, byte[] buffer) =>
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false).AsTask().DefaultTimeout();
}

/// <summary>A finished raw response: messages, and status from the headers (Trailers-Only) or the trailers.</summary>
internal sealed class RawGrpcResponse
{
    public RawGrpcResponse(HttpResponseMessage response, byte[] body)
    {
        Response = response;
        Body = body;
        var messages = new List<byte[]>();
        var offset = 0;
        while (body.Length - offset >= MessageFraming.HeaderSize)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1));
            messages.Add(body.AsSpan(offset + MessageFraming.HeaderSize, length).ToArray());
            offset += MessageFraming.HeaderSize + length;
        }

        Assert.Equal(body.Length, offset);
        Messages = messages;
    }

    public HttpResponseMessage Response { get; }

    public byte[] Body { get; }

    public IReadOnlyList<byte[]> Messages { get; }

    /// <summary>True when grpc-status came in the response headers and there are no trailers.</summary>
    public bool IsTrailersOnly => Response.Headers.Contains("grpc-status") && !Response.TrailingHeaders.Any();

    public StatusCode StatusCode => (StatusCode)int.Parse(Single("grpc-status")!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The decoded grpc-message, or null when absent.</summary>
    public string? StatusMessage => Single("grpc-message") is { } raw ? PercentEncoding.Decode(raw) : null;

    public string? Header(string name) => Response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public string? Trailer(string name) => Response.TrailingHeaders.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public T Message<T>(MessageParser<T> parser, int index = 0)
        where T : IMessage<T> => parser.ParseFrom(Messages[index]);

    private string? Single(string name) => Header(name) ?? Trailer(name);
}

/// <summary>Request content that sends chunks as the test supplies them, for streaming and half-sent frames.</summary>
internal sealed class StreamingContent : HttpContent
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();

    public ValueTask WriteAsync(byte[] chunk) => _chunks.Writer.WriteAsync(chunk);

    public void Complete() => _chunks.Writer.TryComplete();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // SocketsHttpHandler may hold the HEADERS frame of an HTTP/2 request until the
        // content writes or flushes; a duplex call that sends nothing first would never start.
        await stream.FlushAsync(cancellationToken);
        await foreach (var chunk in _chunks.Reader.ReadAllAsync(cancellationToken))
        {
            await stream.WriteAsync(chunk, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
