using System.CommandLine;
using System.CommandLine.Invocation;
using Transmission.Cli;
using Transmission.Cli.Connection;
using Transmission.Verifier.Decisions;
using Transmission.Verifier.Export;
using Transmission.Verifier.Inspection;
using Transmission.Verifier.Listing;
using Transmission.Verifier.Totals;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier;

/// <summary>Entry point of <c>transmission-verifier</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line in its language (<c>--lang</c>, else <c>LC_ALL</c> / <c>LANG</c>), chosen before the tree is built so help is in it too.</summary>
    public static Task<int> Main(string[] args)
    {
        if (CliLanguage.TryApplyForProcess(args) is { } failed)
        {
            return Task.FromResult(failed);
        }

        return InvokeAsync(CreateRootCommand(Environment.GetEnvironmentVariable), args, new InvocationConfiguration());
    }

    /// <summary>
    /// The whole command tree. Tests run it in-process with their own writers and environment: the same code a
    /// verifier runs, without a process start per command.
    /// </summary>
    /// <param name="environment">Reads an environment variable (<c>TRANSMISSION_CENTRAL</c>); null when unset.</param>
    public static RootCommand CreateRootCommand(Func<string, string?> environment)
    {
        var connection = new ConnectionOptions(environment);
        var root = new RootCommand(VerifierText.RootDescription + "\n" + ExitCodeHelp.Text)
        {
            CliLanguage.CreateOption(),
        };
        foreach (var option in connection.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(ListCommand.Create(connection));
        root.Subcommands.Add(ShowCommand.Create(connection));
        root.Subcommands.Add(DecideCommand.Create(connection));
        root.Subcommands.Add(TotalsCommand.Create(connection));
        root.Subcommands.Add(ExportCommand.Create(connection));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/> (see <see cref="CommandInvocation.InvokeAsync"/>).</summary>
    public static Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration configuration, CancellationToken cancellationToken = default) =>
        CommandInvocation.InvokeAsync(root, args, configuration, cancellationToken);
}
