using Microsoft.Extensions.Logging;

namespace Transmission.Grpc.Internal;

/// <summary>Client log messages; event ids are stable (100-199 belong to the client).</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 101, EventName = "StartingCall", Level = LogLevel.Debug,
        Message = "Starting gRPC call {Method} to {Address} (grpc-timeout {Timeout}).")]
    public static partial void StartingCall(ILogger logger, string method, Uri address, string timeout);

    [LoggerMessage(EventId = 102, EventName = "CallFinished", Level = LogLevel.Debug,
        Message = "gRPC call {Method} finished with {StatusCode} '{Detail}'.")]
    public static partial void CallFinished(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 103, EventName = "DeadlineExceeded", Level = LogLevel.Debug,
        Message = "gRPC call {Method} exceeded its deadline; cancelling the HTTP/2 stream.")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(EventId = 104, EventName = "CallCanceled", Level = LogLevel.Debug,
        Message = "gRPC call {Method} canceled by the client; cancelling the HTTP/2 stream.")]
    public static partial void CallCanceled(ILogger logger, string method);

    [LoggerMessage(EventId = 105, EventName = "TransportFailure", Level = LogLevel.Information,
        Message = "gRPC call {Method} failed in the HTTP/2 transport: {StatusCode} '{Detail}'.")]
    public static partial void TransportFailure(ILogger logger, string method, StatusCode statusCode, string detail, Exception exception);
}
