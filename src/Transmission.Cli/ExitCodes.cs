using Transmission.Cli.Localization;

namespace Transmission.Cli;

/// <summary>Exit codes of every Central and Station command (also listed in each command's help).</summary>
public static class ExitCodes
{
    /// <summary>Success (including "already done" on a safe re-run).</summary>
    public const int Ok = 0;

    /// <summary>Invalid command line or option value.</summary>
    public const int Usage = 1;

    /// <summary>An input file or value is missing, unreadable or not what it should be.</summary>
    public const int BadInput = 2;

    /// <summary>Refused: the operation would overwrite an existing key, CA or certificate.</summary>
    public const int WouldOverwrite = 3;

    /// <summary>
    /// Refused: by policy (identity mismatch, bad CSR signature, certificates that do not match the keys,
    /// the root or the profile) or by Central (certificate not accepted, wrong role).
    /// </summary>
    public const int Refused = 4;

    /// <summary>Writing an output failed (permissions, disk full).</summary>
    public const int OutputFailed = 5;

    /// <summary>Central could not be reached or did not answer in time; trying again may succeed.</summary>
    public const int Unreachable = 6;

    /// <summary>
    /// The result protocol breaks a counting rule (design §5: a Flag, not a Reject); it can be signed only with a
    /// written explanation (<c>protocol sign --explain</c>).
    /// </summary>
    public const int RulesBroken = 7;

    /// <summary>An unexpected internal error (a bug); the message says what.</summary>
    public const int Internal = 70;

    /// <summary>The exit code table appended to every command's description, in the current UI language.</summary>
    public static string HelpText => CliText.ExitCodesHelp;
}

/// <summary>An expected command failure: printed as one line and turned into an exit code, never a stack trace.</summary>
/// <param name="exitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="message">The line shown to the user, after "error: ".</param>
public sealed class CommandFailureException(int exitCode, string message) : Exception(message)
{
    /// <summary>The exit code to return.</summary>
    public int ExitCode { get; } = exitCode;
}
