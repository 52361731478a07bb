using System.Globalization;
using Transmission.Cli;
using Transmission.Cli.Localization;
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
        // Central's own detail (its reason code and words) is passed through as it came: it is Central's text.
        return code switch
        {
            // Trying again does not fix a certificate: not "unreachable" but refused, and say which two causes it can be.
            StatusCode.Unavailable when detail.StartsWith(TlsHandshakeFailed, StringComparison.Ordinal) => new CommandFailureException(
                ExitCodes.Refused, Format(CliText.CallTlsRefused, settings.Central, settings.RootPath, settings.Role, detail)),
            StatusCode.Unavailable => new CommandFailureException(ExitCodes.Unreachable, Format(CliText.CallUnreachable, settings.Central, name, detail)),
            StatusCode.DeadlineExceeded => new CommandFailureException(
                ExitCodes.Unreachable, Format(CliText.CallDeadline, settings.Central, settings.Timeout.TotalSeconds)),
            StatusCode.Cancelled => new CommandFailureException(ExitCodes.Unreachable, Format(CliText.CallCancelled, name)),
            StatusCode.PermissionDenied or StatusCode.Unauthenticated => new CommandFailureException(
                ExitCodes.Refused, Format(CliText.CallIdentityRefused, name, detail)),
            StatusCode.Unimplemented => new CommandFailureException(
                ExitCodes.Refused, Format(CliText.CallNotServed, settings.Central, methodPath, name)),
            StatusCode.FailedPrecondition or StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists
                or StatusCode.OutOfRange or StatusCode.ResourceExhausted => new CommandFailureException(ExitCodes.Refused, Format(CliText.CallRefused, name, detail)),
            _ => new CommandFailureException(ExitCodes.Internal, Format(CliText.CallOther, name, detail)),
        };
    }

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
