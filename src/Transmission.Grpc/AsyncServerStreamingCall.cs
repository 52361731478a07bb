using Transmission.Grpc.Internal;

namespace Transmission.Grpc;

/// <summary>A call with one request and a stream of responses.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly IClientCall _call;

    internal AsyncServerStreamingCall(IClientCall call, IAsyncStreamReader<TResponse> responseStream)
    {
        _call = call;
        ResponseStream = responseStream;
    }

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
