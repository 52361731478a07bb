namespace Transmission.Grpc;

/// <summary>Reads a stream of messages one at a time.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    public T Current { get; }

    /// <summary>Reads the next message; false at the end of the stream.</summary>
    public Task<bool> MoveNext(CancellationToken cancellationToken);
}
