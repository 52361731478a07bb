using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Transmission.Grpc;

/// <summary>
/// The server side of one call: its headers, deadline, cancellation, and the status and
/// trailers to send when the handler returns. Shaped like grpc-dotnet's type of the same name.
/// </summary>
public abstract class ServerCallContext
{
    /// <summary>The method path, for example <c>/pkg.Service/Method</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The peer address, for example <c>ipv4:127.0.0.1:5555</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>The call deadline in UTC; <see cref="DateTime.MaxValue"/> when the client set none.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>The custom request metadata: reserved headers removed, <c>-bin</c> values decoded from base64.</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Trailers sent with the status when the call ends.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>The status sent when the handler returns normally. Defaults to OK.</summary>
    public abstract Status Status { get; set; }

    /// <summary>Cancelled when the client resets the stream, the deadline passes, or the server shuts down.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>The certificate the client presented for mutual TLS, if any.</summary>
    public abstract X509Certificate2? ClientCertificate { get; }

    /// <summary>State for the call, for example the caller identity an authorizer established.</summary>
    public abstract IDictionary<object, object?> UserState { get; }

    /// <summary>
    /// Sends the response headers now, with <paramref name="responseHeaders"/> as custom metadata.
    /// Can be called once, before the first message is written.
    /// </summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);

    /// <summary>The underlying ASP.NET Core request.</summary>
    public abstract HttpContext GetHttpContext();
}
