using Google.Protobuf;

namespace Transmission.Grpc.Internal;

/// <summary>The response stream of a server-streaming or duplex call.</summary>
internal sealed class ResponseStreamReader<TRequest, TResponse> : IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcCall<TRequest, TResponse> _call;
    private TResponse? _current;

    public ResponseStreamReader(GrpcCall<TRequest, TResponse> call) => _call = call;

    public TResponse Current =>
        _current ?? throw new InvalidOperationException("There is no current message: call MoveNext and check that it returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var message = await _call.ReadMessageAsync(cancellationToken);
        if (message is not null)
        {
            _current = message;
            return true;
        }

        _current = null;
        _call.FinishAtEndOfStream(expectsMessage: false);
        _call.ThrowIfFailed();
        return false;
    }
}
