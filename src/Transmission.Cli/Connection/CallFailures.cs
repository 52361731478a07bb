using System.Globalization;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Grpc;

namespace Transmission.Cli.Connection;

/// <summary>How a call that Central ended with an error status is told to the verifier or auditor: one line and an exit code.</summary>
public static class CallFailures
{
    /// <summary>Resource prefix of what a reason code at the start of Central's detail means (<c>Central_REASON_REQUIRED</c>).</summary>
    public const string CentralMeaningPrefix = "Central_";

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
        var words = CentralWords(detail);
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
                ExitCodes.Refused, Format(CliText.CallIdentityRefused, name, words)),
            StatusCode.Unimplemented => new CommandFailureException(
                ExitCodes.Refused, Format(CliText.CallNotServed, settings.Central, methodPath, name)),
            StatusCode.FailedPrecondition or StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists
                or StatusCode.OutOfRange or StatusCode.ResourceExhausted => new CommandFailureException(ExitCodes.Refused, Format(CliText.CallRefused, name, words)),
            _ => new CommandFailureException(ExitCodes.Internal, Format(CliText.CallOther, name, words)),
        };
    }

    /// <summary>
    /// Central's detail for the user: in English as it came (Central's text, the most specific); in another language,
    /// when it starts with a reason code Central's review refusals use (<c>REASON_REQUIRED: …</c>), the code and what it
    /// means in that language, then Central's English words marked as such; any other detail marked as English.
    /// </summary>
    public static string CentralWords(string detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        if (detail.Length == 0 || CliLanguage.IsEnglish(CultureInfo.CurrentUICulture))
        {
            return detail;
        }

        var marked = Format(CliText.CallInEnglish, detail);
        var colon = detail.IndexOf(": ", StringComparison.Ordinal);
        var code = colon > 0 ? detail[..colon] : string.Empty;
        var meaning = code.Length > 0 && code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')
            ? CliText.ResourceManager.GetString(CentralMeaningPrefix + code, CultureInfo.CurrentUICulture)
            : null;
        return meaning is null ? marked : $"{code}: {meaning} {marked}";
    }

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
