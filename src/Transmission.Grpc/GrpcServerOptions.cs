namespace Transmission.Grpc;

/// <summary>Options for the gRPC server, set with <c>services.AddGrpcServer(o =&gt; ...)</c>.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>
    /// The largest request message accepted, in bytes, checked from the length prefix
    /// before the message is buffered; larger messages end the call with RESOURCE_EXHAUSTED.
    /// Null means unlimited. Defaults to 4,194,304 (4 MB).
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The largest response message sent, in bytes; writing a larger one fails the call with
    /// RESOURCE_EXHAUSTED. Null means unlimited. Defaults to null (unlimited).
    /// </summary>
    public int? MaxSendMessageSize { get; set; }
}
