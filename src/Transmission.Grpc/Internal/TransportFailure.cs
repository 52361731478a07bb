using System.Net.Sockets;
using System.Security.Authentication;

namespace Transmission.Grpc.Internal;

/// <summary>
/// Turns an exception from the HTTP/2 transport into the status the call ends with. The
/// status detail names the cause in one line; the exception itself stays the inner exception.
/// </summary>
internal static class TransportFailure
{
    public static Status ToStatus(Exception exception, bool responseStarted)
    {
        if (Find<HttpProtocolException>(exception) is { } protocol)
        {
            return IsKeepAliveTimeout(protocol)
                ? new Status(StatusCode.Unavailable, $"Connection lost: {protocol.Message}")
                : FromHttp2Error(protocol.ErrorCode, protocol.Message);
        }

        if (Find<AuthenticationException>(exception) is { } tls)
        {
            return new Status(StatusCode.Unavailable, "TLS handshake with the server failed: " + tls.Message);
        }

        if (exception is HttpRequestException or IOException or SocketException || Find<SocketException>(exception) is not null)
        {
            var what = responseStarted ? "Error reading the response" : "Error connecting to the server";
            return new Status(StatusCode.Unavailable, $"{what}: {Describe(exception)}");
        }

        return new Status(StatusCode.Internal, $"Error in the gRPC call: {exception.GetType().Name}: {exception.Message}");
    }

    /// <summary>
    /// The RST_STREAM / GOAWAY error code table of PROTOCOL-HTTP2.md, "Errors". STREAM_CLOSED
    /// has no mapping there; it and codes newer than the table are INTERNAL.
    /// </summary>
    public static Status FromHttp2Error(long errorCode, string message)
    {
        var code = errorCode switch
        {
            0x7 => StatusCode.Unavailable,          // REFUSED_STREAM: nothing was processed, safe to retry
            0x8 => StatusCode.Cancelled,            // CANCEL
            0xb => StatusCode.ResourceExhausted,    // ENHANCE_YOUR_CALM
            0xc => StatusCode.PermissionDenied,     // INADEQUATE_SECURITY
            _ => StatusCode.Internal,               // NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, ...
        };
        return new Status(code, message);
    }

    /// <summary>
    /// SocketsHttpHandler reports an unanswered keepalive PING (the server or the network silently went away) as an
    /// HttpProtocolException with PROTOCOL_ERROR, the same type and code as a PROTOCOL_ERROR received from the server;
    /// only its message ("... didn't respond to a ping request ...", dotnet/runtime SR.net_ping_request_timed_out) tells
    /// them apart. It is a lost connection, which gRPC reports as UNAVAILABLE (retryable), not INTERNAL.
    /// </summary>
    private static bool IsKeepAliveTimeout(HttpProtocolException protocol) =>
        protocol.ErrorCode == 0x1 && protocol.Message.Contains("ping", StringComparison.OrdinalIgnoreCase);

    /// <summary>The messages of the exception chain in one line, without stack traces or repeats.</summary>
    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null && parts.Count < 3; current = current.InnerException)
        {
            var message = current.Message.Replace(", see inner exception.", ".", StringComparison.Ordinal)
                .Replace(" See the inner exception for details.", string.Empty, StringComparison.Ordinal)
                .Trim();
            if (message.Length > 0 && !parts.Contains(message))
            {
                parts.Add(message);
            }
        }

        return string.Join(" ", parts);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
