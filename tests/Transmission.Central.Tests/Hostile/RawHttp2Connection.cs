using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Transmission.Cli;
using Transmission.Testing;

namespace Transmission.Central.Tests.Hostile;

/// <summary>HTTP/2 frame types (RFC 9113 §6).</summary>
internal enum FrameType : byte
{
    Data = 0x0,
    Headers = 0x1,
    RstStream = 0x3,
    Settings = 0x4,
    Ping = 0x6,
    GoAway = 0x7,
    WindowUpdate = 0x8,
    Continuation = 0x9,
}

/// <summary>HTTP/2 error codes (RFC 9113 §7).</summary>
internal enum Http2Error : uint
{
    NoError = 0x0,
    ProtocolError = 0x1,
    InternalError = 0x2,
    FlowControlError = 0x3,
    SettingsTimeout = 0x4,
    StreamClosed = 0x5,
    FrameSizeError = 0x6,
    RefusedStream = 0x7,
    Cancel = 0x8,
    CompressionError = 0x9,
    ConnectError = 0xa,
    EnhanceYourCalm = 0xb,
    InadequateSecurity = 0xc,
    Http11Required = 0xd,
}

/// <summary>One frame as received.</summary>
internal sealed record Frame(FrameType Type, byte Flags, int StreamId, byte[] Payload)
{
    public const byte EndStream = 0x1;
    public const byte Ack = 0x1;
    public const byte EndHeaders = 0x4;

    /// <summary>The error code of a RST_STREAM or GOAWAY.</summary>
    public Http2Error ErrorCode => Type switch
    {
        FrameType.RstStream => (Http2Error)BinaryPrimitives.ReadUInt32BigEndian(Payload),
        FrameType.GoAway => (Http2Error)BinaryPrimitives.ReadUInt32BigEndian(Payload.AsSpan(4)),
        _ => throw new InvalidOperationException($"{Type} has no error code."),
    };

    /// <summary>A GOAWAY's last stream id.</summary>
    public int LastStreamId => (int)(BinaryPrimitives.ReadUInt32BigEndian(Payload) & 0x7fffffff);

    public override string ToString() => Type is FrameType.RstStream or FrameType.GoAway
        ? $"{Type} stream {StreamId} {ErrorCode}"
        : $"{Type} stream {StreamId} flags 0x{Flags:x2} {Payload.Length} bytes";
}

/// <summary>
/// A hand-written HTTP/2 client over mutual TLS that writes exactly the frames a test asks for, however badly they
/// behave, and records every frame the server sends. Request headers are HPACK literals without indexing (RFC 7541
/// §6.2.2), which any decoder must accept; response header blocks are not decoded (the tests judge the server by its
/// frames: RST_STREAM and GOAWAY codes, DATA, the connection closing).
/// </summary>
internal sealed class RawHttp2Connection : IAsyncDisposable
{
    public const int MaxFrameSize = 16_384;
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<Frame> _frames = Channel.CreateUnbounded<Frame>();
    private readonly List<Frame> _received = [];
    private readonly Lock _lock = new();
    private readonly Task _reader;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RawHttp2Connection(TcpClient tcp, SslStream tls, bool answerPings)
    {
        _tcp = tcp;
        _tls = tls;
        AnswerPings = answerPings;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Whether the client acknowledges the server's PINGs (a peer that has gone silent does not).</summary>
    public bool AnswerPings { get; set; }

    /// <summary>Completes when the server closed the connection (or it broke).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Every frame received so far.</summary>
    public IReadOnlyList<Frame> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>
    /// Connects over TLS with ALPN h2, presenting the TLS certificate and key in <paramref name="stationFolder"/>, and
    /// sends the preface with <paramref name="settings"/> (id, value).
    /// </summary>
    public static async Task<RawHttp2Connection> ConnectAsync(Uri central, string stationFolder, IEnumerable<(ushort Id, uint Value)>? settings = null, bool answerPings = true)
    {
        var certificate = KeyFiles.LoadTlsCertificate(Path.Combine(stationFolder, "tls.cert.pem"), Path.Combine(stationFolder, "tls.key.pem"));
        var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(stationFolder, "ca.cert.pem"));
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", central.Port).DefaultTimeout();
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            ClientCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
            CertificateChainPolicy = policy,
        }).DefaultTimeout();
        if (tls.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
        {
            throw new InvalidOperationException($"ALPN negotiated '{tls.NegotiatedApplicationProtocol}', not h2.");
        }

        await tls.WriteAsync(Preface).DefaultTimeout();
        var connection = new RawHttp2Connection(tcp, tls, answerPings);
        await connection.WriteSettingsAsync(settings ?? []);

        // The server's acknowledgement of our SETTINGS follows its own SETTINGS, which the reader acknowledged first:
        // from here on the client writes nothing the test did not ask for (an ACK inside a header block is an error).
        await connection.WaitForAsync(f => f.Type == FrameType.Settings && (f.Flags & Frame.Ack) != 0, TestTimeouts.Default);
        return connection;
    }

    /// <summary>The request headers of a gRPC call to <paramref name="path"/>, plus <paramref name="extra"/>.</summary>
    public static List<(string Name, string Value)> GrpcRequest(string path, params (string Name, string Value)[] extra) =>
    [
        (":method", "POST"),
        (":scheme", "https"),
        (":path", path),
        (":authority", "localhost"),
        ("content-type", "application/grpc"),
        ("te", "trailers"),
        .. extra,
    ];

    /// <summary>An HPACK header block of literal fields without indexing, new names, no Huffman coding.</summary>
    public static byte[] EncodeHeaders(IEnumerable<(string Name, string Value)> headers)
    {
        var block = new List<byte>();
        foreach (var (name, value) in headers)
        {
            block.Add(0x00);
            AddString(block, name);
            AddString(block, value);
        }

        return [.. block];
    }

    public Task WriteSettingsAsync(IEnumerable<(ushort Id, uint Value)> settings)
    {
        var payload = new List<byte>();
        foreach (var (id, value) in settings)
        {
            var entry = new byte[6];
            BinaryPrimitives.WriteUInt16BigEndian(entry, id);
            BinaryPrimitives.WriteUInt32BigEndian(entry.AsSpan(2), value);
            payload.AddRange(entry);
        }

        return WriteFrameAsync(FrameType.Settings, 0, 0, payload.ToArray());
    }

    /// <summary>HEADERS with the whole block in one frame (END_HEADERS), optionally ending the stream.</summary>
    public Task WriteHeadersAsync(int streamId, IEnumerable<(string Name, string Value)> headers, bool endStream) =>
        WriteFrameAsync(FrameType.Headers, (byte)(Frame.EndHeaders | (endStream ? Frame.EndStream : 0)), streamId, EncodeHeaders(headers));

    /// <summary>One gRPC message (5-byte prefix) in one DATA frame.</summary>
    public Task WriteGrpcMessageAsync(int streamId, byte[] message, bool endStream)
    {
        var payload = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(1), (uint)message.Length);
        message.CopyTo(payload, 5);
        return WriteFrameAsync(FrameType.Data, endStream ? Frame.EndStream : (byte)0, streamId, payload);
    }

    public Task WriteRstStreamAsync(int streamId, Http2Error error)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)error);
        return WriteFrameAsync(FrameType.RstStream, 0, streamId, payload);
    }

    /// <summary>Writes one frame; false when the connection is already gone (the server closed it).</summary>
    public async Task<bool> TryWriteFrameAsync(FrameType type, byte flags, int streamId, ReadOnlyMemory<byte> payload)
    {
        try
        {
            await WriteFrameAsync(type, flags, streamId, payload);
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            return false;
        }
    }

    public async Task WriteFrameAsync(FrameType type, byte flags, int streamId, ReadOnlyMemory<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)((payload.Length >> 16) & 0xff);
        frame[1] = (byte)((payload.Length >> 8) & 0xff);
        frame[2] = (byte)(payload.Length & 0xff);
        frame[3] = (byte)type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)streamId);
        payload.Span.CopyTo(frame.AsSpan(9));
        await _writeLock.WaitAsync().DefaultTimeout();
        try
        {
            await _tls.WriteAsync(frame).DefaultTimeout();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Waits for the first frame from now on that matches; null if the connection closed first.</summary>
    public async Task<Frame?> WaitForAsync(Func<Frame, bool> match, TimeSpan timeout)
    {
        using var bound = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync(bound.Token))
            {
                if (match(frame))
                {
                    return frame;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching frame within {timeout}; received: {string.Join(", ", Received.TakeLast(20))}");
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _tls.Dispose();
        _tcp.Dispose();
        try
        {
            await _reader.DefaultTimeout();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // Closed under the reader.
        }

        _writeLock.Dispose();
    }

    private static void AddString(List<byte> block, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);

        // 7-bit prefix integer (RFC 7541 §5.1), H bit clear.
        var length = bytes.Length;
        if (length < 127)
        {
            block.Add((byte)length);
        }
        else
        {
            block.Add(127);
            length -= 127;
            while (length >= 128)
            {
                block.Add((byte)((length % 128) + 128));
                length /= 128;
            }

            block.Add((byte)length);
        }

        block.AddRange(bytes);
    }

    private async Task ReadLoopAsync()
    {
        var header = new byte[9];
        try
        {
            while (true)
            {
                await _tls.ReadExactlyAsync(header);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var payload = new byte[length];
                await _tls.ReadExactlyAsync(payload);
                var frame = new Frame((FrameType)header[3], header[4], (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7fffffff), payload);
                lock (_lock)
                {
                    _received.Add(frame);
                }

                _frames.Writer.TryWrite(frame);
                if (frame.Type == FrameType.Settings && (frame.Flags & Frame.Ack) == 0)
                {
                    await TryWriteFrameAsync(FrameType.Settings, Frame.Ack, 0, Array.Empty<byte>());
                }
                else if (frame.Type == FrameType.Ping && (frame.Flags & Frame.Ack) == 0 && AnswerPings)
                {
                    await TryWriteFrameAsync(FrameType.Ping, Frame.Ack, 0, frame.Payload);
                }
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // The server closed the connection (or the test disposed it).
        }
        finally
        {
            _frames.Writer.TryComplete();
            _closed.TrySetResult();
        }
    }
}
