namespace Transmission.Grpc;

/// <summary>Writes response messages of a server-streaming or duplex call.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IServerStreamWriter<in T>
{
    /// <summary>Writes and flushes one message. Writes must not overlap.</summary>
    public Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
