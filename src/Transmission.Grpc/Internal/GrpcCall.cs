using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Transmission.Grpc.Internal;

/// <summary>
/// One client call on one HTTP/2 stream. Invariant: the status is set exactly once, by whichever
/// of these happens first: the trailers are read, the response is not gRPC, the transport
/// fails, a local check fails, the deadline timer fires, or the caller cancels or disposes.
/// Every end other than reading the trailers resets the HTTP/2 stream (RST_STREAM).
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : IClientCall
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public const string UserAgent = "grpc-dotnet-transmission/1.0";
    public const string CancelledDetail = "Call canceled by the client.";
    public const string DeadlineDetail = "Deadline Exceeded";
    public const string SendTooLarge = "Sending message exceeds the maximum configured message size.";

    /// <summary>The longest a System.Threading timer can wait; longer deadlines re-arm it.</summary>
    private static readonly TimeSpan MaxTimerDueTime = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>
    /// After a write fails, how long to wait for the response to explain why (a server that ended
    /// the call while the client was still writing) before reporting the transport error.
    /// </summary>
    private static readonly TimeSpan WriteFailureGrace = TimeSpan.FromSeconds(1);

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _callCts = new();
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly DateTime? _deadline;

    private Status? _status;
    private Metadata _trailers = Metadata.Empty;
    private Exception? _failure;
    private HttpResponseMessage? _response;
    private PipeReader? _reader;
    private string? _encoding;
    private Task _responseStarted = Task.CompletedTask;
    private StreamingRequestContent? _requestContent;
    private ITimer? _deadlineTimer;
    private CancellationTokenRegistration _cancellationRegistration;
    private bool _readInProgress;
    private bool _writeInProgress;
    private bool _requestCompleted;
    private bool _disposed;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            if (deadline.Kind != DateTimeKind.Utc && deadline != DateTime.MinValue)
            {
                throw new ArgumentException("The deadline must be a UTC time (DateTimeKind.Utc).", nameof(options));
            }

            _deadline = deadline;
        }

        foreach (var entry in options.Headers ?? Metadata.Empty)
        {
            if (GrpcProtocolConstants.IsReservedHeader(entry.Key)
                || string.Equals(entry.Key, GrpcProtocolConstants.UserAgentHeader, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{entry.Key}' is set by the gRPC client and cannot be sent as custom metadata.", nameof(options));
            }
        }
    }

    public Task<Metadata> ResponseHeadersAsync => _headers.Task;

    private bool IsFinished
    {
        get
        {
            lock (_lock)
            {
                return _status is not null;
            }
        }
    }

    /// <summary>Starts a call whose request is one message (unary and server streaming).</summary>
    public void StartUnary(TRequest request)
    {
        if (_channel.MaxSendMessageSize is { } max && request.CalculateSize() > max)
        {
            // Checked before anything is sent: the server never sees the call.
            Finish(new Status(StatusCode.ResourceExhausted, SendTooLarge), Metadata.Empty, failure: null);
            return;
        }

        Start(new UnaryRequestContent(MessageCodec.Frame(request)));
    }

    /// <summary>Starts a call with a request stream (client streaming and duplex).</summary>
    public IClientStreamWriter<TRequest> StartStreaming()
    {
        _requestContent = new StreamingRequestContent();
        Start(_requestContent);
        return new ClientStreamWriter<TRequest, TResponse>(this);
    }

    public Status GetStatus()
    {
        lock (_lock)
        {
            return _status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");
        }
    }

    public Metadata GetTrailers()
    {
        lock (_lock)
        {
            return _status is not null
                ? _trailers
                : throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (Finish(new Status(StatusCode.Cancelled, CancelledDetail), Metadata.Empty, failure: null))
        {
            ClientLog.CallCanceled(_channel.Logger, _method.FullName);
        }
    }

    /// <summary>
    /// The single response of a unary or client-streaming call: exactly one message, then an OK
    /// status; zero or two messages end the call with INTERNAL.
    /// </summary>
    public async Task<TResponse> GetUnaryResponseAsync()
    {
        var message = await ReadMessageAsync(CancellationToken.None);
        if (message is null)
        {
            FinishAtEndOfStream(expectsMessage: true);
            throw CreateException();
        }

        var extra = await ReadMessageAsync(CancellationToken.None);
        if (extra is not null)
        {
            Finish(new Status(StatusCode.Internal, ClientResponse.TooManyMessages), Metadata.Empty, failure: null);
            throw CreateException();
        }

        FinishAtEndOfStream(expectsMessage: false);
        ThrowIfFailed();
        return message;
    }

    /// <summary>
    /// Reads the next response message. Null means there is none: either the body ended (call
    /// <see cref="FinishAtEndOfStream"/>) or the call has already ended (see the status).
    /// </summary>
    public async Task<TResponse?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        await _responseStarted;
        PipeReader? reader;
        lock (_lock)
        {
            if (_status is not null || _reader is null)
            {
                return null;
            }

            if (_readInProgress)
            {
                throw new InvalidOperationException("Can't read the next message because the previous read is still in progress.");
            }

            _readInProgress = true;
            reader = _reader;
        }

        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(_callCts.Token, cancellationToken)
            : null;
        try
        {
            return await MessageCodec.ReadMessageAsync(
                reader, _method.ResponseParser, _channel.MaxReceiveMessageSize, _encoding, linked?.Token ?? _callCts.Token);
        }
        catch (RpcException ex)
        {
            // Over the receive limit, truncated or unparsable: the client ends the call and resets the stream.
            Finish(ex.Status, Metadata.Empty, ex.InnerException);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !IsFinished)
        {
            // Cancelling a read leaves the stream mid-message: the call cannot go on.
            Finish(new Status(StatusCode.Cancelled, CancelledDetail), Metadata.Empty, failure: null);
            return null;
        }
        catch (Exception) when (IsFinished)
        {
            // The call ended under the read (deadline, cancellation, Dispose): that status stands.
            return null;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            FinishWithTransportFailure(ex, responseStarted: true);
            return null;
        }
        finally
        {
            lock (_lock)
            {
                _readInProgress = false;
            }
        }
    }

    /// <summary>Ends the call with the status in the trailers, once the body has been read to its end.</summary>
    public void FinishAtEndOfStream(bool expectsMessage)
    {
        HttpResponseMessage? response;
        lock (_lock)
        {
            if (_status is not null)
            {
                return;
            }

            response = _response;
        }

        if (response is null)
        {
            return;
        }

        var status = ClientResponse.StatusFromTrailers(response.TrailingHeaders);
        var trailers = ClientResponse.ToMetadata(response.TrailingHeaders);
        if (expectsMessage && status.Code == StatusCode.OK)
        {
            status = new Status(StatusCode.Internal, ClientResponse.NoMessage);
        }

        Finish(status, trailers, failure: null);
    }

    /// <summary>Throws the call's <see cref="RpcException"/> if it ended with a status other than OK.</summary>
    public void ThrowIfFailed()
    {
        lock (_lock)
        {
            if (_status is { Code: StatusCode.OK })
            {
                return;
            }
        }

        throw CreateException();
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var content = _requestContent ?? throw new InvalidOperationException("This call has no request stream.");
        var failedBeforeWrite = false;
        lock (_lock)
        {
            if (_requestCompleted)
            {
                // Takes precedence over the call's end, as in grpc-dotnet's HttpContentClientStreamWriter.
                throw new InvalidOperationException("Can't write the message because the request stream has been completed.");
            }

            if (_status is { Code: StatusCode.OK })
            {
                throw new InvalidOperationException("Can't write the message because the call has ended with OK.");
            }

            if (_status is not null)
            {
                // As grpc-dotnet: a call that already failed (a deadline that passed before the first write, say)
                // reports its status, so the caller sees the same RpcException whether the write or the read
                // noticed the end first.
                failedBeforeWrite = true;
            }
            else if (_writeInProgress)
            {
                throw new InvalidOperationException("Can't write the message because the previous write is still in progress.");
            }
            else
            {
                _writeInProgress = true;
            }
        }

        if (failedBeforeWrite)
        {
            throw CreateException();
        }

        try
        {
            if (_channel.MaxSendMessageSize is { } max && message.CalculateSize() > max)
            {
                Finish(new Status(StatusCode.ResourceExhausted, SendTooLarge), Metadata.Empty, failure: null);
                throw CreateException();
            }

            var frame = MessageCodec.Frame(message);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_callCts.Token, cancellationToken);
            try
            {
                var stream = await content.GetStreamAsync().WaitAsync(linked.Token);
                await stream.WriteAsync(frame, linked.Token);
                await stream.FlushAsync(linked.Token);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
            {
                throw await WriteFailedAsync(ex, cancellationToken);
            }
        }
        finally
        {
            lock (_lock)
            {
                _writeInProgress = false;
            }
        }
    }

    public Task CompleteRequestAsync()
    {
        var content = _requestContent ?? throw new InvalidOperationException("This call has no request stream.");
        lock (_lock)
        {
            if (_status is not null || _requestCompleted)
            {
                return Task.CompletedTask;
            }

            if (_writeInProgress)
            {
                throw new InvalidOperationException("Can't complete the request stream while a write is still in progress.");
            }

            _requestCompleted = true;
        }

        content.Complete();
        return Task.CompletedTask;
    }

    private async Task<Exception> WriteFailedAsync(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested && !IsFinished)
        {
            // A write cancelled half way leaves a partial frame: the call cannot go on.
            Finish(new Status(StatusCode.Cancelled, CancelledDetail), Metadata.Empty, failure: null);
        }
        else if (!IsFinished)
        {
            // The server may have ended the call (its status is on the way) or the connection died
            // (the reader will fail too). Let the response side decide, within a short grace.
            try
            {
                // Real time, not the channel clock: this is a grace for I/O, not part of any deadline.
                await _finished.Task.WaitAsync(WriteFailureGrace, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                if (exception is ObjectDisposedException or OperationCanceledException or HttpProtocolException { ErrorCode: 0 })
                {
                    // SocketsHttpHandler closed the request side because the response ended (the
                    // server finished the call early, RST_STREAM NO_ERROR). Nobody is reading the
                    // response yet, so its status is still unread: point there, as grpc-go's
                    // SendMsg does with io.EOF.
                    return new InvalidOperationException(
                        "Can't write the message because the server has ended the call; read the response stream for its status.",
                        exception);
                }

                return new RpcException(TransportFailure.ToStatus(exception, responseStarted: true), exception);
            }
        }

        lock (_lock)
        {
            if (_status is { Code: StatusCode.OK })
            {
                return new InvalidOperationException("Can't write the message because the call has ended with OK.");
            }
        }

        return CreateException();
    }

    private void Start(HttpContent content)
    {
        string timeoutHeader;
        if (_deadline is { } deadline)
        {
            var remaining = deadline - _channel.TimeProvider.GetUtcNow().UtcDateTime;
            if (remaining <= TimeSpan.Zero)
            {
                // Already past: nothing is sent (PROTOCOL-HTTP2.md leaves this to the client).
                content.Dispose();
                Finish(new Status(StatusCode.DeadlineExceeded, DeadlineDetail), Metadata.Empty, failure: null);
                ClientLog.DeadlineExceeded(_channel.Logger, _method.FullName);
                return;
            }

            timeoutHeader = GrpcTimeout.Format(remaining);
            _deadlineTimer = _channel.TimeProvider.CreateTimer(
                static state => ((GrpcCall<TRequest, TResponse>)state!).OnDeadlineTimer(),
                this,
                Min(remaining, MaxTimerDueTime),
                Timeout.InfiniteTimeSpan);
        }
        else
        {
            timeoutHeader = "none";
        }

        if (_options.CancellationToken.CanBeCanceled)
        {
            _cancellationRegistration = _options.CancellationToken.Register(
                static state => ((GrpcCall<TRequest, TResponse>)state!).OnCallerCancelled(), this);
        }

        if (IsFinished)
        {
            content.Dispose();
            return;
        }

        var request = CreateRequest(content, _deadline is null ? null : timeoutHeader);
        ClientLog.StartingCall(_channel.Logger, _method.FullName, _channel.Address, timeoutHeader);
        _responseStarted = SendAsync(request);
    }

    private HttpRequestMessage CreateRequest(HttpContent content, string? timeoutHeader)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _channel.GetMethodUri(_method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };

        // te: trailers tells intermediaries the client reads trailers (PROTOCOL-HTTP2.md, "Requests").
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue(GrpcProtocolConstants.TeTrailers));
        request.Headers.TryAddWithoutValidation(GrpcProtocolConstants.UserAgentHeader, UserAgent);
        request.Headers.TryAddWithoutValidation(GrpcProtocolConstants.AcceptEncodingHeader, GrpcProtocolConstants.SupportedEncodings);
        if (timeoutHeader is not null)
        {
            request.Headers.TryAddWithoutValidation(GrpcProtocolConstants.TimeoutHeader, timeoutHeader);
        }

        foreach (var entry in _options.Headers ?? Metadata.Empty)
        {
            request.Headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? ClientResponse.EncodeBase64(entry.ValueBytes) : entry.Value);
        }

        return request;
    }

    private async Task SendAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response;
        try
        {
            response = await _channel.Invoker.SendAsync(request, _callCts.Token);
        }
        catch (Exception ex)
        {
            // A no-op when the call already ended (deadline, cancellation): that status stands.
            FinishWithTransportFailure(ex, responseStarted: false);
            return;
        }

        bool endedMeanwhile;
        lock (_lock)
        {
            endedMeanwhile = _status is not null;
            if (!endedMeanwhile)
            {
                _response = response;
            }
        }

        if (endedMeanwhile)
        {
            response.Dispose();
            return;
        }

        var outcome = ClientResponse.ReadHeaders(response);
        if (outcome.EndStatus is { } endStatus)
        {
            var trailers = Metadata.Empty;
            if (outcome.IsTrailersOnly)
            {
                // The only HEADERS frame carried the status: its metadata is both the headers and the trailers.
                _headers.TrySetResult(outcome.Headers);
                trailers = outcome.Headers;
                if (endStatus.Code == StatusCode.OK && _method.Type is MethodType.Unary or MethodType.ClientStreaming)
                {
                    endStatus = new Status(StatusCode.Internal, ClientResponse.NoMessage);
                }
            }

            Finish(endStatus, trailers, failure: null);
            return;
        }

        try
        {
            var body = await response.Content.ReadAsStreamAsync(_callCts.Token);
            _encoding = outcome.Encoding;
            _reader = PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: false));
        }
        catch (Exception ex)
        {
            FinishWithTransportFailure(ex, responseStarted: true);
            return;
        }

        _headers.TrySetResult(outcome.Headers);
    }

    private void FinishWithTransportFailure(Exception exception, bool responseStarted)
    {
        var status = TransportFailure.ToStatus(exception, responseStarted);
        if (Finish(status, Metadata.Empty, exception))
        {
            ClientLog.TransportFailure(_channel.Logger, _method.FullName, status.Code, status.Detail, exception);
        }
    }

    private void OnDeadlineTimer()
    {
        var remaining = _deadline!.Value - _channel.TimeProvider.GetUtcNow().UtcDateTime;
        if (remaining > TimeSpan.Zero)
        {
            // A deadline beyond the longest timer, or a timer that fired a little early: wait on.
            _deadlineTimer?.Change(Min(remaining, MaxTimerDueTime), Timeout.InfiniteTimeSpan);
            return;
        }

        if (Finish(new Status(StatusCode.DeadlineExceeded, DeadlineDetail), Metadata.Empty, failure: null))
        {
            ClientLog.DeadlineExceeded(_channel.Logger, _method.FullName);
        }
    }

    private void OnCallerCancelled()
    {
        if (Finish(new Status(StatusCode.Cancelled, CancelledDetail), Metadata.Empty, failure: null))
        {
            ClientLog.CallCanceled(_channel.Logger, _method.FullName);
        }
    }

    /// <summary>Sets the status if none is set yet and releases the call; false when it had already ended.</summary>
    private bool Finish(Status status, Metadata trailers, Exception? failure)
    {
        HttpResponseMessage? response;
        lock (_lock)
        {
            if (_status is not null)
            {
                return false;
            }

            _status = status;
            _trailers = trailers;
            _failure = failure;
            response = _response;
        }

        ClientLog.CallFinished(_channel.Logger, _method.FullName, status.Code, status.Detail);
        _deadlineTimer?.Dispose();
        _cancellationRegistration.Unregister();
        if (_headers.TrySetException(CreateException()))
        {
            // Observed here so a caller that never awaits the headers does not raise UnobservedTaskException.
            _ = _headers.Task.Exception;
        }

        // Ends whatever is still in flight: a pending SendAsync, a read or a write, and the request
        // stream. Over HTTP/2 that is RST_STREAM(CANCEL) unless both directions already ended.
        _requestContent?.Abort();
        _callCts.Cancel();
        response?.Dispose();
        _finished.TrySetResult();
        return true;
    }

    private RpcException CreateException()
    {
        lock (_lock)
        {
            var status = _status is { Code: not StatusCode.OK } failed
                ? failed
                : new Status(StatusCode.Internal, ClientResponse.NoMessage);
            return _failure is null ? new RpcException(status, _trailers) : new RpcException(status, _failure);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
