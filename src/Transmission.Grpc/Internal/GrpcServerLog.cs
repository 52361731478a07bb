using Microsoft.Extensions.Logging;

namespace Transmission.Grpc.Internal;

/// <summary>
/// Server log messages. Event ids are stable: dashboards and tests key on them.
/// Nothing here logs message payloads.
/// </summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(1, LogLevel.Debug, "Request method '{HttpMethod}' is not supported for gRPC; answering 405.", EventName = "UnsupportedHttpMethod")]
    public static partial void UnsupportedHttpMethod(ILogger logger, string httpMethod);

    [LoggerMessage(2, LogLevel.Debug, "Request protocol '{Protocol}' is not supported for gRPC; answering 426.", EventName = "UnsupportedRequestProtocol")]
    public static partial void UnsupportedRequestProtocol(ILogger logger, string protocol);

    [LoggerMessage(3, LogLevel.Debug, "Request content type '{ContentType}' is not supported for gRPC; answering 415.", EventName = "UnsupportedRequestContentType")]
    public static partial void UnsupportedRequestContentType(ILogger logger, string? contentType);

    [LoggerMessage(4, LogLevel.Debug, "Invalid grpc-timeout header value '{Timeout}' has been ignored.", EventName = "InvalidTimeoutIgnored")]
    public static partial void InvalidTimeoutIgnored(ILogger logger, string timeout);

    [LoggerMessage(5, LogLevel.Debug, "Call {Method} exceeded its deadline of {Timeout}.", EventName = "DeadlineExceeded")]
    public static partial void DeadlineExceeded(ILogger logger, string method, TimeSpan timeout);

    [LoggerMessage(6, LogLevel.Debug, "Call {Method} was cancelled by the client.", EventName = "CallCancelledByClient")]
    public static partial void CallCancelledByClient(ILogger logger, string method);

    [LoggerMessage(7, LogLevel.Information, "Call {Method} ended with status {StatusCode}: {Detail}", EventName = "RpcStatus")]
    public static partial void RpcStatus(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(8, LogLevel.Error, "Error when executing service method {Method}.", EventName = "ErrorExecutingServiceMethod")]
    public static partial void ErrorExecutingServiceMethod(ILogger logger, string method, Exception exception);

    [LoggerMessage(9, LogLevel.Debug, "Call {Method} threw after it had already completed.", EventName = "ErrorAfterCallCompleted")]
    public static partial void ErrorAfterCallCompleted(ILogger logger, string method, Exception exception);

    [LoggerMessage(10, LogLevel.Debug, "No gRPC method is mapped for {Path}; answering UNIMPLEMENTED.", EventName = "UnimplementedPath")]
    public static partial void UnimplementedPath(ILogger logger, string path);

    [LoggerMessage(11, LogLevel.Debug, "Request header '{Header}' is not valid metadata and has been ignored.", EventName = "InvalidRequestHeaderIgnored")]
    public static partial void InvalidRequestHeaderIgnored(ILogger logger, string header);

    [LoggerMessage(12, LogLevel.Debug, "Call {Method} started from {Peer}.", EventName = "CallStarted")]
    public static partial void CallStarted(ILogger logger, string method, string peer);

    [LoggerMessage(13, LogLevel.Debug, "Call {Method} completed with status {StatusCode}.", EventName = "CallCompleted")]
    public static partial void CallCompleted(ILogger logger, string method, StatusCode statusCode);

    [LoggerMessage(14, LogLevel.Information, "Call {Method} was refused by the authorizer with status {StatusCode}.", EventName = "CallNotAuthorized")]
    public static partial void CallNotAuthorized(ILogger logger, string method, StatusCode statusCode);

    [LoggerMessage(15, LogLevel.Debug, "Could not send the status of call {Method}; the stream is gone.", EventName = "StatusNotSent")]
    public static partial void StatusNotSent(ILogger logger, string method, Exception exception);

    [LoggerMessage(16, LogLevel.Information, "Call {Method} sent unsupported grpc-encoding '{Encoding}'.", EventName = "UnsupportedEncoding")]
    public static partial void UnsupportedEncoding(ILogger logger, string method, string encoding);

    [LoggerMessage(17, LogLevel.Debug, "Call {Method} was stopped because the server is shutting down.", EventName = "ServerShuttingDown")]
    public static partial void ServerShuttingDown(ILogger logger, string method);
}
