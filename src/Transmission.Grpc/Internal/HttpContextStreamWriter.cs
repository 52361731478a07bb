using Google.Protobuf;

namespace Transmission.Grpc.Internal;

/// <summary>Writes the response stream of a server-streaming or duplex call.</summary>
internal sealed class HttpContextStreamWriter<T> : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    private readonly HttpContextServerCallContext _call;

    public HttpContextStreamWriter(HttpContextServerCallContext call)
    {
        _call = call;
    }

    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _call.WriteMessageAsync(message, cancellationToken);
    }
}
