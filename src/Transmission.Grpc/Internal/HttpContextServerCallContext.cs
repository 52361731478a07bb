using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Transmission.Grpc.Internal;

/// <summary>
/// One server call on one HTTP/2 stream. Owns the call's completion state: the status is
/// sent exactly once, whoever gets there first (the handler returning, an exception, or
/// the deadline timer), and no message can be written after it.
/// </summary>
internal sealed class HttpContextServerCallContext : ServerCallContext, IAsyncDisposable
{
    /// <summary>
    /// The longest timer <see cref="TimeProvider.System"/> accepts (about 49.7 days); a
    /// longer timeout keeps its <see cref="Deadline"/> but never fires.
    /// </summary>
    private static readonly TimeSpan MaxTimerDueTime = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    // Set when reading the request body failed because the client reset the stream.
    private volatile bool _requestResetByClient;
    private readonly HttpContext _httpContext;
    private readonly ServerCallHandlerSettings _settings;
    private readonly string _method;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _sync = new();
    private readonly CancellationTokenSource _callCancellation;
    private ITimer? _deadlineTimer;
    private Task? _deadlineTask;
    private TimeSpan _timeout;
    private bool _disposed;
    private volatile bool _completed;
    private volatile bool _deadlineExceeded;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private Dictionary<object, object?>? _userState;
    private DateTime _deadline = DateTime.MaxValue;

    public HttpContextServerCallContext(HttpContext httpContext, ServerCallHandlerSettings settings, string method)
    {
        _httpContext = httpContext;
        _settings = settings;
        _method = method;
        _callCancellation = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, settings.ServerStopping);
    }

    public override string Method => _method;

    public override string Peer =>
        MetadataHeaders.FormatPeer(_httpContext.Connection.RemoteIpAddress, _httpContext.Connection.RemotePort);

    public override DateTime Deadline => _deadline;

    public override Metadata RequestHeaders =>
        _requestHeaders ??= MetadataHeaders.FromRequestHeaders(_httpContext.Request.Headers, _settings.Logger);

    public override Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override CancellationToken CancellationToken => _callCancellation.Token;

    public override X509Certificate2? ClientCertificate => _httpContext.Connection.ClientCertificate;

    public override IDictionary<object, object?> UserState => _userState ??= [];

    /// <summary>The request's grpc-encoding, or null for identity.</summary>
    public string? RequestEncoding { get; private set; }

    /// <summary>True once the status has been sent (or the stream is gone).</summary>
    public bool IsCompleted => _completed;

    /// <summary>True once the deadline timer fired.</summary>
    public bool IsDeadlineExceeded => _deadlineExceeded;

    /// <summary>True when the client reset the stream or the connection went away.</summary>
    public bool IsAbortedByClient => _requestResetByClient || _httpContext.RequestAborted.IsCancellationRequested;

    /// <summary>True when the server is shutting down.</summary>
    public bool IsServerStopping => _settings.ServerStopping.IsCancellationRequested;

    private ILogger Logger => _settings.Logger;

    public override HttpContext GetHttpContext() => _httpContext;

    /// <summary>
    /// Prepares the HTTP exchange for gRPC and reads the call headers. Throws
    /// <see cref="RpcException"/> UNIMPLEMENTED for an unsupported grpc-encoding.
    /// </summary>
    public void Initialize()
    {
        var features = _httpContext.Features;

        // Kestrel's 30 MB request body limit would cut a long-lived stream; the per-message
        // limit is what protects us. Same for the minimum data rate (a stream may idle), unless the server keeps it.
        if (features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxBodySize)
        {
            maxBodySize.MaxRequestBodySize = null;
        }

        if (!_settings.Options.KeepMinRequestBodyDataRate && features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minDataRate)
        {
            minDataRate.MinDataRate = null;
        }

        features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var response = _httpContext.Response;
        response.ContentType = GrpcProtocolConstants.ContentType;
        response.Headers[GrpcProtocolConstants.AcceptEncodingHeader] = GrpcProtocolConstants.SupportedEncodings;

        if (Logger.IsEnabled(LogLevel.Debug))
        {
            GrpcServerLog.CallStarted(Logger, _method, Peer);
        }
        StartDeadline();

        var encoding = _httpContext.Request.Headers[GrpcProtocolConstants.EncodingHeader].ToString();
        if (encoding.Length == 0 || string.Equals(encoding, GrpcProtocolConstants.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            RequestEncoding = null;
        }
        else if (string.Equals(encoding, GrpcProtocolConstants.GzipEncoding, StringComparison.OrdinalIgnoreCase))
        {
            RequestEncoding = GrpcProtocolConstants.GzipEncoding;
        }
        else
        {
            // PROTOCOL-HTTP2.md: an unsupported encoding is UNIMPLEMENTED, and
            // grpc-accept-encoding (already in the headers) tells the client what works.
            GrpcServerLog.UnsupportedEncoding(Logger, _method, encoding);
            throw new RpcException(new Status(
                StatusCode.Unimplemented,
                $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {GrpcProtocolConstants.SupportedEncodings}"));
        }
    }

    private void StartDeadline()
    {
        var header = _httpContext.Request.Headers[GrpcProtocolConstants.TimeoutHeader].ToString();
        if (header.Length == 0)
        {
            return;
        }

        // A malformed grpc-timeout is ignored and the call runs without a deadline, as
        // grpc-dotnet (InvalidTimeoutIgnored) and grpc core's chttp2 parser ("ignoring bad
        // timeout value") do: the header is advisory and failing the call would punish a
        // client for a value it cannot fix at run time. A zero timeout is well formed and
        // means the deadline has already passed.
        if (!GrpcTimeout.TryParse(header, out var timeout))
        {
            GrpcServerLog.InvalidTimeoutIgnored(Logger, header);
            return;
        }

        _timeout = timeout;
        var now = _settings.TimeProvider.GetUtcNow().UtcDateTime;
        _deadline = timeout >= DateTime.MaxValue - now ? DateTime.MaxValue : now + timeout;
        if (timeout <= MaxTimerDueTime)
        {
            _deadlineTimer = _settings.TimeProvider.CreateTimer(OnDeadline, null, timeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDeadline(object? state)
    {
        lock (_sync)
        {
            if (_disposed || _deadlineTask is not null)
            {
                return;
            }

            _deadlineExceeded = true;
            _deadlineTask = DeadlineExceededAsync();
        }
    }

    private async Task DeadlineExceededAsync()
    {
        await Task.Yield();
        try
        {
            GrpcServerLog.DeadlineExceeded(Logger, _method, _timeout);

            // Cancel first: a write blocked on flow control holds the write lock and must
            // give it up before the status can be sent. The handler's resulting exception is
            // recognised as the deadline (IsDeadlineExceeded), so both paths send the same status.
            await _callCancellation.CancelAsync();
            await EndCallAsync(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), Metadata.Empty);
        }
        catch (Exception ex)
        {
            GrpcServerLog.StatusNotSent(Logger, _method, ex);
        }
    }

    public override async Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        await _writeLock.WaitAsync(CancellationToken);
        try
        {
            ThrowIfCompleted();
            var response = _httpContext.Response;
            if (response.HasStarted)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call.");
            }

            MetadataHeaders.Write(responseHeaders, (key, value) => response.Headers.Append(key, value));
            await response.BodyWriter.FlushAsync(CancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Reads the next request message; null at the end of the request stream.</summary>
    public async ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        using var linked = Link(cancellationToken, out var token);
        try
        {
            return await MessageCodec.ReadMessageAsync(
                _httpContext.Request.BodyReader,
                parser,
                _settings.Options.MaxReceiveMessageSize ?? int.MaxValue,
                RequestEncoding,
                token);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            // Kestrel surfaces the client's RST_STREAM (or a dropped connection) as an IOException
            // from the body reader, sometimes before RequestAborted is signalled: record it here so
            // the call is treated as cancelled by the client, not as a server error.
            _requestResetByClient = true;
            throw;
        }
    }

    /// <summary>Writes and flushes one response message, unless the call has already completed.</summary>
    public async Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_settings.Options.MaxSendMessageSize is { } maxSend && message.CalculateSize() > maxSend)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size."));
        }

        using var linked = Link(cancellationToken, out var token);
        await _writeLock.WaitAsync(token);
        try
        {
            ThrowIfCompleted();
            await MessageCodec.WriteMessageAsync(_httpContext.Response.BodyWriter, message, token);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Sends <paramref name="status"/> and <paramref name="trailers"/> and completes the
    /// response, unless the call already completed. Trailers-Only (status in the HEADERS
    /// frame with END_STREAM) when nothing was sent yet, otherwise real trailers.
    /// Never throws for a stream that is gone.
    /// </summary>
    /// <returns>True when this call sent the status.</returns>
    public async Task<bool> EndCallAsync(Status status, Metadata trailers)
    {
        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            if (_completed)
            {
                return false;
            }

            _completed = true;
            if (IsAbortedByClient)
            {
                // RST_STREAM already ended the stream: nothing can be sent.
                return false;
            }

            var response = _httpContext.Response;
            if (!response.HasStarted)
            {
                // Trailers-Only: Kestrel sends a response that completes with no body and
                // no trailers as one HEADERS frame with END_STREAM.
                WriteStatus(status, trailers, (key, value) => response.Headers.Append(key, value));
            }
            else
            {
                WriteStatus(status, trailers, (key, value) => response.AppendTrailer(key, value));
            }

            await response.CompleteAsync();
            GrpcServerLog.CallCompleted(Logger, _method, status.Code);
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            GrpcServerLog.StatusNotSent(Logger, _method, ex);
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Marks the call complete without sending anything (the client reset the stream).</summary>
    public void MarkAborted() => _completed = true;

    private static void WriteStatus(Status status, Metadata trailers, Action<string, string> add)
    {
        add(GrpcProtocolConstants.StatusTrailer, ((int)status.Code).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(status.Detail))
        {
            add(GrpcProtocolConstants.MessageTrailer, PercentEncoding.Encode(status.Detail));
        }

        MetadataHeaders.Write(trailers, add);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("Can't write the message because the call is complete.");
        }
    }

    private CancellationTokenSource? Link(CancellationToken cancellationToken, out CancellationToken token)
    {
        if (!cancellationToken.CanBeCanceled || cancellationToken == CancellationToken)
        {
            token = CancellationToken;
            return null;
        }

        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, CancellationToken);
        token = linked.Token;
        return linked;
    }

    public async ValueTask DisposeAsync()
    {
        Task? deadlineTask;
        lock (_sync)
        {
            _disposed = true;
            deadlineTask = _deadlineTask;
        }

        if (_deadlineTimer is not null)
        {
            await _deadlineTimer.DisposeAsync();
        }

        if (deadlineTask is not null)
        {
            await deadlineTask;
        }

        _callCancellation.Dispose();
        _writeLock.Dispose();
    }
}
