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

    /// <summary>
    /// Whether calls keep Kestrel's minimum request body data rate
    /// (<c>KestrelServerLimits.MinRequestBodyDataRate</c>). Defaults to false, as grpc-dotnet: a client or duplex
    /// stream may rightly pause between messages, so the rate is switched off for every call. A server whose
    /// request streams never pause (Central: a station writes its whole submission, then completes) sets true, so a
    /// client trickling a body is cut off by Kestrel instead of holding a stream for as long as it likes.
    /// </summary>
    public bool KeepMinRequestBodyDataRate { get; set; }
}
