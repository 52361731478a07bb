using System.CommandLine;
using System.CommandLine.Invocation;
using Transmission.Auditor.Localization;
using Transmission.Cli;
using Transmission.Cli.Localization;

namespace Transmission.Auditor;

/// <summary>Entry point of <c>transmission-audit</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line in its language (<c>--lang</c>, else <c>LC_ALL</c> / <c>LANG</c>), chosen before the tree is built so help is in it too.</summary>
    public static Task<int> Main(string[] args)
    {
        if (CliLanguage.TryApplyForProcess(args) is { } failed)
        {
            return Task.FromResult(failed);
        }

        return InvokeAsync(CreateRootCommand(), args, new InvocationConfiguration());
    }

    /// <summary>The whole command tree (tests run it in-process with their own writers).</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(AuditText.RootDescription + "\n" + AuditExitCodes.HelpText)
        {
            CliLanguage.CreateOption(),
        };
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

    /// <summary>The exit code table in every command's help, in the current UI language.</summary>
    public static string HelpText => AuditText.ExitCodesHelp;
}
