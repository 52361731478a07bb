using Transmission.Grpc.Internal;

namespace Transmission.Grpc;

/// <summary>A call with streams both ways; requests and responses may interleave (full duplex).</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly IClientCall _call;

    internal AsyncDuplexStreamingCall(IClientCall call, IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream)
    {
        _call = call;
        RequestStream = requestStream;
        ResponseStream = responseStream;
    }

    /// <summary>Where requests are written; <see cref="IClientStreamWriter{T}.CompleteAsync"/> ends the stream.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>
    /// The responses. <see cref="IAsyncStreamReader{T}.MoveNext"/> returns false after the last one
    /// when the status is OK and throws <see cref="RpcException"/> otherwise.
    /// </summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The custom response headers; faults with <see cref="RpcException"/> if the call failed before they arrived.</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>The final status; throws <see cref="InvalidOperationException"/> before the call has ended.</summary>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailers; throws <see cref="InvalidOperationException"/> before the call has ended.</summary>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Cancels the call if it is still running (CANCELLED, HTTP/2 RST_STREAM) and releases it.</summary>
    public void Dispose() => _call.Dispose();
}
