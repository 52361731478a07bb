using Google.Protobuf;

namespace Transmission.Grpc.Internal;

/// <summary>A stream of requests, one response.</summary>
internal sealed class ClientStreamingServerCallHandler<TService, TRequest, TResponse> : ServiceCallHandlerBase<TService, TRequest, TResponse>
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> _invoker;

    public ClientStreamingServerCallHandler(
        ServerCallHandlerSettings settings,
        Method<TRequest, TResponse> method,
        Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> invoker)
        : base(settings, method)
    {
        _invoker = invoker;
    }

    protected override async Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        var reader = new HttpContextStreamReader<TRequest>(call, Method.RequestParser);
        var response = await InvokeAsync(call, service => _invoker(service, reader, call));
        await WriteSingleResponseAsync(call, response);
    }
}
