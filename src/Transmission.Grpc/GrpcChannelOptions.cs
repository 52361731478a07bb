using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Transmission.Grpc;

/// <summary>Settings for a <see cref="GrpcChannel"/>, checked once in <see cref="GrpcChannel.ForAddress"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// The handler that sends the HTTP/2 requests. If null (the default), the channel builds a
    /// <see cref="SocketsHttpHandler"/> from <see cref="ClientCertificate"/> and
    /// <see cref="TrustedRoots"/>; those two must then be null when a handler is given.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>
    /// The certificate, with its private key, presented to the server for mutual TLS.
    /// Defaults to null (no client certificate). Needs an https:// address.
    /// </summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>
    /// When set, the server certificate must chain to one of these roots and to nothing else:
    /// the operating system's store is not consulted, and the host name must still match.
    /// Defaults to null (the operating system's trust store). Needs an https:// address.
    /// </summary>
    public X509Certificate2Collection? TrustedRoots { get; set; }

    /// <summary>
    /// The TLS versions the channel offers. Defaults to <see cref="SslProtocols.None"/> (the operating system's
    /// choice). Only used when the channel builds its own handler.
    /// </summary>
    public SslProtocols EnabledSslProtocols { get; set; } = SslProtocols.None;

    /// <summary>
    /// The cipher suites the channel offers (Linux and macOS). Defaults to null (the operating system's choice). Only
    /// used when the channel builds its own handler.
    /// </summary>
    public CipherSuitesPolicy? CipherSuitesPolicy { get; set; }

    /// <summary>
    /// The largest response message accepted, in bytes; a larger one ends the call with
    /// RESOURCE_EXHAUSTED. Defaults to 4,194,304 (4 MB); null means unlimited.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The largest request message sent, in bytes; a larger one fails locally with
    /// RESOURCE_EXHAUSTED before anything is sent. Defaults to null (unlimited).
    /// </summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// Whether disposing the channel disposes <see cref="HttpHandler"/>. Defaults to false:
    /// whoever created the handler owns it. A handler the channel built itself is always disposed.
    /// </summary>
    public bool DisposeHttpClient { get; set; }

    /// <summary>
    /// How long a connection with active calls may go without receiving anything before the client sends an HTTP/2
    /// PING. With <see cref="KeepAlivePingTimeout"/> it bounds how long a call can hang on a half-open connection (a
    /// peer or network that silently stopped answering) when its deadline is long or absent. Defaults to 6 minutes:
    /// gRPC Core servers (Python grpcio among them) close a connection that pings more often than every 5 minutes
    /// without data (grpc/grpc doc/keepalive.md); a client that only talks to Kestrel, which has no such rule, can go
    /// much lower. At least 1 second. Only used when the channel builds its own handler.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>
    /// How long the client waits for the PING acknowledgement before it drops the connection; its calls then end with
    /// UNAVAILABLE. Defaults to 20 seconds (gRPC Core's default). At least 1 second. Only used when the channel builds its
    /// own handler.
    /// </summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The clock used for deadlines. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the channel logs (call start, end, failures). Defaults to null (no logging).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
