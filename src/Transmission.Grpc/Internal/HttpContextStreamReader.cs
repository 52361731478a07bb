using Google.Protobuf;

namespace Transmission.Grpc.Internal;

/// <summary>Reads the request stream of a client-streaming or duplex call.</summary>
internal sealed class HttpContextStreamReader<T> : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private readonly HttpContextServerCallContext _call;
    private readonly MessageParser<T> _parser;
    private T? _current;
    private bool _ended;

    public HttpContextStreamReader(HttpContextServerCallContext call, MessageParser<T> parser)
    {
        _call = call;
        _parser = parser;
    }

    public T Current => _current ?? throw new InvalidOperationException("No message has been read yet.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_ended)
        {
            return false;
        }

        var message = await _call.ReadMessageAsync(_parser, cancellationToken);
        if (message is null)
        {
            _ended = true;
            return false;
        }

        _current = message;
        return true;
    }
}
