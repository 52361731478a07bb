using System.CommandLine;
using Transmission.Station.Connection;
using Transmission.Station.Election;
using Transmission.Station.Protocol;
using Transmission.Station.Sending;

namespace Transmission.Station;

/// <summary>Entry point of <c>transmission-station</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static Task<int> Main(string[] args) => CreateRootCommand(TimeProvider.System).Parse(args).InvokeAsync();

    /// <summary>
    /// The whole command tree. Tests and the election-night driver run it in-process with their own
    /// clock and writers: the same code a chair runs, without a process start per command.
    /// </summary>
    public static RootCommand CreateRootCommand(TimeProvider time)
    {
        var root = new RootCommand("Transmission Station: sign and send the result protocol of a polling station.")
        {
            StationLog.Verbose,
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
