using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Transmission.Grpc.Internal;

/// <summary>
/// The HTTP side of every gRPC call: rejects what is not gRPC (405, 426, 415), runs the
/// authorizer and the call, and sends every exception to one place that maps it to a
/// grpc-status. Subclasses only run the call itself.
/// </summary>
internal abstract class ServerCallHandlerBase
{
    /// <summary>The status detail for an exception that is not an <see cref="RpcException"/>; never the exception text.</summary>
    public const string HandlerExceptionDetail = "Exception was thrown by handler.";

    protected ServerCallHandlerBase(ServerCallHandlerSettings settings, string method)
    {
        Settings = settings;
        MethodPath = method;
    }

    protected ServerCallHandlerSettings Settings { get; }

    protected string MethodPath { get; }

    protected ILogger Logger => Settings.Logger;

    /// <summary>The ASP.NET Core request delegate for this method's route.</summary>
    public async Task HandleCallAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            GrpcServerLog.UnsupportedHttpMethod(Logger, request.Method);
            httpContext.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            httpContext.Response.Headers.Allow = HttpMethods.Post;
            return;
        }

        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            GrpcServerLog.UnsupportedRequestProtocol(Logger, request.Protocol);
            httpContext.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }

        if (!GrpcProtocolConstants.IsGrpcProtoContentType(request.ContentType))
        {
            GrpcServerLog.UnsupportedRequestContentType(Logger, request.ContentType);
            httpContext.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        var call = new HttpContextServerCallContext(httpContext, Settings, MethodPath);
        try
        {
            call.Initialize();
            if (Settings.Authorize is { } authorize)
            {
                var refusal = await authorize(call);
                if (refusal is { Code: not StatusCode.OK } status)
                {
                    GrpcServerLog.CallNotAuthorized(Logger, MethodPath, status.Code);
                    await call.EndCallAsync(status, call.ResponseTrailers);
                    return;
                }
            }

            if (!call.IsCompleted)
            {
                await HandleCallCoreAsync(call);
                await call.EndCallAsync(call.Status, call.ResponseTrailers);
            }
        }
        catch (Exception ex)
        {
            await ProcessHandlerErrorAsync(call, ex);
        }
        finally
        {
            await call.DisposeAsync();
        }
    }

    /// <summary>Runs the call; returning normally sends <see cref="ServerCallContext.Status"/>.</summary>
    protected abstract Task HandleCallCoreAsync(HttpContextServerCallContext call);

    /// <summary>The one place where an exception becomes a grpc-status.</summary>
    private async Task ProcessHandlerErrorAsync(HttpContextServerCallContext call, Exception ex)
    {
        if (call.IsDeadlineExceeded)
        {
            // The timer already sent (or is sending) DEADLINE_EXCEEDED; the handler's
            // exception is most likely the cancellation it caused.
            GrpcServerLog.ErrorAfterCallCompleted(Logger, MethodPath, ex);
            await call.EndCallAsync(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), Metadata.Empty);
            return;
        }

        if (call.IsAbortedByClient)
        {
            // RST_STREAM from the client: the stream is gone, and this is not a server error.
            GrpcServerLog.CallCancelledByClient(Logger, MethodPath);
            call.MarkAborted();
            return;
        }

        if (call.IsCompleted)
        {
            GrpcServerLog.ErrorAfterCallCompleted(Logger, MethodPath, ex);
            return;
        }

        Status status;
        switch (ex)
        {
            case RpcException rpc:
                status = rpc.Status;
                foreach (var entry in rpc.Trailers)
                {
                    call.ResponseTrailers.Add(entry);
                }

                GrpcServerLog.RpcStatus(Logger, MethodPath, status.Code, status.Detail);
                break;
            case OperationCanceledException when call.IsServerStopping:
                status = new Status(StatusCode.Unavailable, "Server is shutting down.");
                GrpcServerLog.ServerShuttingDown(Logger, MethodPath);
                break;
            default:
                status = new Status(StatusCode.Unknown, HandlerExceptionDetail);
                GrpcServerLog.ErrorExecutingServiceMethod(Logger, MethodPath, ex);
                break;
        }

        await call.EndCallAsync(status, call.ResponseTrailers);
    }
}
