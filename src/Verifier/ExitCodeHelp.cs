using Transmission.Cli;

namespace Transmission.Verifier;

/// <summary>The exit codes the verifier's commands use (a subset of <see cref="ExitCodes"/>), for their help text.</summary>
internal static class ExitCodeHelp
{
    public const string Text =
        "Exit codes: 0 ok; 1 usage; 2 bad input, or what Central sent does not match what the station signed; 3 would overwrite; " +
        "4 refused by Central (wrong certificate role, decision refused, not found); 5 output failed; 6 Central unreachable (try again); 70 internal error.";
}
