using System.CommandLine;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Station.Connection;
using Transmission.Station.Election;
using Transmission.Station.Localization;
using Transmission.Station.Protocol;
using Transmission.Station.Sending;

namespace Transmission.Station;

/// <summary>Entry point of <c>transmission-station</c>.</summary>
public static class Program
{
    /// <summary>
    /// Runs the command line in its language (<c>--lang</c>, else <c>LC_ALL</c> / <c>LANG</c>), chosen before the
    /// command tree is built so that help text and parse errors are in it too.
    /// </summary>
    public static Task<int> Main(string[] args)
    {
        if (CliLanguage.TryApplyForProcess(args) is { } failed)
        {
            return Task.FromResult(failed);
        }

        return CommandInvocation.InvokeAsync(CreateRootCommand(TimeProvider.System), args, new InvocationConfiguration());
    }

    /// <summary>
    /// The whole command tree. Tests and the election-night driver run it in-process with their own
    /// clock and writers: the same code a chair runs, without a process start per command.
    /// </summary>
    public static RootCommand CreateRootCommand(TimeProvider time)
    {
        // A shared option instance: its help text is set in the language of the tree being built.
        StationLog.Verbose.Description = StationText.OptVerbose;
        var root = new RootCommand(StationText.RootDescription)
        {
            StationLog.Verbose,
            CliLanguage.CreateOption(),
        };
        root.Subcommands.Add(Enrollment.EnrollmentCommands.Create(time));
        root.Subcommands.Add(HandshakeCommand.Create());
        root.Subcommands.Add(ElectionCommands.Create());
        root.Subcommands.Add(ProtocolCommands.Create(time));
        root.Subcommands.Add(SendCommand.Create(time));
        root.Subcommands.Add(StatusCommands.Status(time));
        root.Subcommands.Add(StatusCommands.Receipt(time));
        root.Subcommands.Add(WitnessCommand.Create(time));
        return root;
    }
}
