namespace Transmission.Central.Pki;

/// <summary>Exit codes of the <c>pki</c> commands (also listed in each command's help).</summary>
public static class PkiExitCodes
{
    /// <summary>Success (including "already done" on a safe re-run).</summary>
    public const int Ok = 0;

    /// <summary>Invalid command line or option value.</summary>
    public const int Usage = 1;

    /// <summary>An input file is missing, unreadable or not what it should be (PEM, certificate, key, CSR, CRL).</summary>
    public const int BadInput = 2;

    /// <summary>Refused: the operation would overwrite an existing key, CA or certificate.</summary>
    public const int WouldOverwrite = 3;

    /// <summary>Refused by policy: identity mismatch, bad CSR signature, wrong key type, not issued by this CA, ...</summary>
    public const int Refused = 4;

    /// <summary>Writing an output failed (permissions, disk full).</summary>
    public const int OutputFailed = 5;

    /// <summary>An unexpected internal error (a bug); the message says what.</summary>
    public const int Internal = 70;

    /// <summary>The exit code table appended to every command's description.</summary>
    public const string HelpText =
        "Exit codes: 0 ok; 1 usage; 2 bad or missing input; 3 would overwrite; 4 refused by policy; 5 output failed; 70 internal error.";
}

/// <summary>An expected command failure: printed as one line and turned into an exit code, never a stack trace.</summary>
internal sealed class CommandFailureException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
