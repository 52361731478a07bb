namespace Transmission.Grpc;

/// <summary>The request stream of a client-streaming or duplex call.</summary>
/// <typeparam name="T">The request message type.</typeparam>
public interface IClientStreamWriter<in T>
{
    /// <summary>
    /// Sends one message. Only one write may be in progress at a time. Throws
    /// <see cref="InvalidOperationException"/> after <see cref="CompleteAsync"/> or once the call
    /// has ended, and <see cref="RpcException"/> (RESOURCE_EXHAUSTED) for a message over the
    /// channel's send limit, which also ends the call.
    /// </summary>
    public Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the request stream (HTTP/2 END_STREAM); the response can still be read.
    /// Calling it again, or after the call ended, does nothing.
    /// </summary>
    public Task CompleteAsync();
}
