using System.CommandLine;
using System.CommandLine.Invocation;
using Transmission.Cli;

namespace Transmission.Auditor;

/// <summary>Entry point of <c>transmission-audit</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static Task<int> Main(string[] args) => InvokeAsync(CreateRootCommand(), args, new InvocationConfiguration());

    /// <summary>The whole command tree (tests run it in-process with their own writers).</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "Transmission audit: re-verify an exported audit bundle offline, without trusting the central server: every " +
            "signature, certificate chain, revocation, the log's consistency with its checkpoint and your saved checkpoints, " +
            "the decisions and the published totals.\n" + AuditExitCodes.HelpText);
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(FetchCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/> (see <see cref="CommandInvocation.InvokeAsync"/>).</summary>
    public static Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration configuration, CancellationToken cancellationToken = default) =>
        CommandInvocation.InvokeAsync(root, args, configuration, cancellationToken);
}

/// <summary>The exit codes of <c>transmission-audit</c> (a subset of <see cref="ExitCodes"/> plus <see cref="Findings"/>).</summary>
public static class AuditExitCodes
{
    /// <summary>The bundle was verified and has at least one finding.</summary>
    public const int Findings = 8;

    /// <summary>The exit code table in every command's help.</summary>
    public const string HelpText =
        "Exit codes: 0 verified, no finding; 1 usage; 2 unusable input (no such bundle folder, unreadable file, --root or " +
        "--checkpoints unusable); 5 the JSON report could not be written; 8 verified, with findings (see the report); 70 internal error.";
}
