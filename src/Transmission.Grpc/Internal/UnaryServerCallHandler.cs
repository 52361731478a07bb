using Google.Protobuf;

namespace Transmission.Grpc.Internal;

/// <summary>One request, one response.</summary>
internal sealed class UnaryServerCallHandler<TService, TRequest, TResponse> : ServiceCallHandlerBase<TService, TRequest, TResponse>
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TService, TRequest, ServerCallContext, Task<TResponse>> _invoker;

    public UnaryServerCallHandler(
        ServerCallHandlerSettings settings,
        Method<TRequest, TResponse> method,
        Func<TService, TRequest, ServerCallContext, Task<TResponse>> invoker)
        : base(settings, method)
    {
        _invoker = invoker;
    }

    protected override async Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        var request = await ReadSingleMessageAsync(call);
        var response = await InvokeAsync(call, service => _invoker(service, request, call));
        await WriteSingleResponseAsync(call, response);
    }
}
