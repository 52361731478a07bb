using Google.Protobuf;

namespace Transmission.Grpc.Internal;

/// <summary>The request stream of a client-streaming or duplex call.</summary>
internal sealed class ClientStreamWriter<TRequest, TResponse> : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcCall<TRequest, TResponse> _call;

    public ClientStreamWriter(GrpcCall<TRequest, TResponse> call) => _call = call;

    public Task WriteAsync(TRequest message, CancellationToken cancellationToken = default) => _call.WriteAsync(message, cancellationToken);

    public Task CompleteAsync() => _call.CompleteRequestAsync();
}
