using Google.Protobuf;

namespace Transmission.Grpc.Internal;

/// <summary>Streams both ways.</summary>
internal sealed class DuplexStreamingServerCallHandler<TService, TRequest, TResponse> : ServiceCallHandlerBase<TService, TRequest, TResponse>
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> _invoker;

    public DuplexStreamingServerCallHandler(
        ServerCallHandlerSettings settings,
        Method<TRequest, TResponse> method,
        Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker)
        : base(settings, method)
    {
        _invoker = invoker;
    }

    protected override async Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        var reader = new HttpContextStreamReader<TRequest>(call, Method.RequestParser);
        var writer = new HttpContextStreamWriter<TResponse>(call);
        await InvokeAsync(call, service => _invoker(service, reader, writer, call));
    }
}
