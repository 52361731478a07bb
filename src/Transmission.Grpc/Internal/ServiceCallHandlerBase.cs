using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace Transmission.Grpc.Internal;

/// <summary>
/// A handler bound to a method of <typeparamref name="TService"/>: creates the service
/// for each call (from DI, or with its constructor when not registered) and reads requests.
/// </summary>
internal abstract class ServiceCallHandlerBase<TService, TRequest, TResponse> : ServerCallHandlerBase
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    /// <summary>The detail when a unary or server-streaming request has no message.</summary>
    public const string RequestMissing = "Request message not received.";

    /// <summary>The detail when a unary or server-streaming request has more than one message.</summary>
    public const string RequestExtraData = "Additional data after the message received.";

    // Built once: creating the service per call must not reflect.
    private static readonly ObjectFactory ServiceFactory = ActivatorUtilities.CreateFactory(typeof(TService), Type.EmptyTypes);

    protected ServiceCallHandlerBase(ServerCallHandlerSettings settings, Method<TRequest, TResponse> method)
        : base(settings, method.FullName)
    {
        Method = method;
    }

    protected Method<TRequest, TResponse> Method { get; }

    /// <summary>Runs <paramref name="invoke"/> on a service instance, disposing it afterwards if we created it.</summary>
    protected async Task<TResult> InvokeAsync<TResult>(HttpContextServerCallContext call, Func<TService, Task<TResult>> invoke)
    {
        var services = call.GetHttpContext().RequestServices;
        var service = services.GetService<TService>();
        var created = service is null;
        service ??= (TService)ServiceFactory(services, null);
        try
        {
            return await invoke(service);
        }
        finally
        {
            if (created)
            {
                if (service is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync();
                }
                else if (service is IDisposable disposable)
                {
                    disposable.Dispose();
                }
            }
        }
    }

    /// <summary>Runs <paramref name="invoke"/> on a service instance.</summary>
    protected Task InvokeAsync(HttpContextServerCallContext call, Func<TService, Task> invoke) =>
        InvokeAsync(call, async service =>
        {
            await invoke(service);
            return true;
        });

    /// <summary>Reads the one request message of a unary or server-streaming call, and the end of the request stream.</summary>
    protected async Task<TRequest> ReadSingleMessageAsync(HttpContextServerCallContext call)
    {
        var request = await call.ReadMessageAsync(Method.RequestParser, call.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Internal, RequestMissing));
        if (await call.ReadMessageAsync(Method.RequestParser, call.CancellationToken) is not null)
        {
            throw new RpcException(new Status(StatusCode.Internal, RequestExtraData));
        }

        return request;
    }

    /// <summary>Writes the single response of a unary or client-streaming call.</summary>
    protected static Task WriteSingleResponseAsync(HttpContextServerCallContext call, TResponse? response)
    {
        if (response is null)
        {
            throw new InvalidOperationException("The handler returned a null response message.");
        }

        return call.WriteMessageAsync(response, call.CancellationToken);
    }
}
