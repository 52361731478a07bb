using System.Globalization;
using Transmission.Cli;
using Transmission.Grpc;

namespace Transmission.Cli.Connection;

/// <summary>How a call that Central ended with an error status is told to the verifier or auditor: one line and an exit code.</summary>
public static class CallFailures
{
    /// <summary>How Transmission.Grpc words a failed TLS handshake (TransportFailure).</summary>
    private const string TlsHandshakeFailed = "TLS handshake with the server failed";

    /// <summary>
    /// Unreachable or too slow → exit 6 (trying again may help); Central said no (wrong certificate role, a
    /// refused decision, an unknown submission, a bad request) → exit 4; anything else → exit 70.
    /// </summary>
    public static CommandFailureException For(RpcException exception, string methodPath, ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(methodPath);
        ArgumentNullException.ThrowIfNull(settings);
        var code = exception.StatusCode;
        var name = code.ToCanonicalName();
        var detail = CentralConnection.OneLine(exception.Status.Detail);
        return code switch
        {
            // Trying again does not fix a certificate: not "unreachable" but refused, and say which two causes it can be.
            StatusCode.Unavailable when detail.StartsWith(TlsHandshakeFailed, StringComparison.Ordinal) => new CommandFailureException(
                ExitCodes.Refused,
                $"no TLS connection to Central at {settings.Central}: its certificate does not chain to the election root {settings.RootPath}, or it does not accept this {settings.Role} certificate ({detail})"),
            StatusCode.Unavailable => new CommandFailureException(ExitCodes.Unreachable, $"cannot reach Central at {settings.Central} ({name}): {detail}"),
            StatusCode.DeadlineExceeded => new CommandFailureException(
                ExitCodes.Unreachable,
                string.Create(CultureInfo.InvariantCulture, $"Central at {settings.Central} did not answer within {settings.Timeout.TotalSeconds:0.###} s (--timeout)")),
            StatusCode.Cancelled => new CommandFailureException(ExitCodes.Unreachable, $"cancelled before Central answered ({name})"),
            StatusCode.PermissionDenied or StatusCode.Unauthenticated => new CommandFailureException(
                ExitCodes.Refused, $"Central refused this identity ({name}): {detail}"),
            StatusCode.Unimplemented => new CommandFailureException(
                ExitCodes.Refused, $"Central at {settings.Central} does not serve {methodPath} yet ({name})"),
            StatusCode.FailedPrecondition or StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists
                or StatusCode.OutOfRange or StatusCode.ResourceExhausted => new CommandFailureException(ExitCodes.Refused, $"refused by Central ({name}): {detail}"),
            _ => new CommandFailureException(ExitCodes.Internal, $"Central answered {name}: {detail}"),
        };
    }
}
