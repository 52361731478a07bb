using Transmission.Grpc;
using Transmission.Station.Enrollment;

namespace Transmission.Station;

/// <summary>Exit codes of every station command (also listed in each command's help).</summary>
internal static class StationExitCodes
{
    public const int Ok = EnrollmentExitCodes.Ok;

    public const int Usage = EnrollmentExitCodes.Usage;

    public const int BadInput = EnrollmentExitCodes.BadInput;

    public const int WouldOverwrite = EnrollmentExitCodes.WouldOverwrite;

    /// <summary>Central refused the station (certificate not accepted, wrong role, permission denied).</summary>
    public const int Refused = EnrollmentExitCodes.Refused;

    public const int OutputFailed = EnrollmentExitCodes.OutputFailed;

    /// <summary>Central could not be reached or did not answer in time; try again.</summary>
    public const int Unreachable = 6;

    public const int Internal = EnrollmentExitCodes.Internal;

    public const string HelpText =
        "Exit codes: 0 ok; 1 usage; 2 bad or missing input; 3 would overwrite; 4 refused (by Central or the certificate checks); 5 output failed; 6 Central unreachable or no answer in time (try again); 70 internal error.";

    /// <summary>The exit code for a call that ended with <paramref name="code"/>.</summary>
    public static int FromStatus(StatusCode code) => code switch
    {
        StatusCode.OK => Ok,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled => Unreachable,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => Refused,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition => BadInput,
        _ => Internal,
    };
}
