using Google.Protobuf;

namespace Transmission.Grpc.Internal;

/// <summary>One request, a stream of responses.</summary>
internal sealed class ServerStreamingServerCallHandler<TService, TRequest, TResponse> : ServiceCallHandlerBase<TService, TRequest, TResponse>
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> _invoker;

    public ServerStreamingServerCallHandler(
        ServerCallHandlerSettings settings,
        Method<TRequest, TResponse> method,
        Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker)
        : base(settings, method)
    {
        _invoker = invoker;
    }

    protected override async Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        var request = await ReadSingleMessageAsync(call);
        var writer = new HttpContextStreamWriter<TResponse>(call);
        await InvokeAsync(call, service => _invoker(service, request, writer, call));
    }
}
