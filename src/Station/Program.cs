using System.CommandLine;
using Transmission.Station.Connection;

namespace Transmission.Station;

/// <summary>Entry point of <c>transmission-station</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Transmission Station: sign and send the result protocol of a polling station.")
        {
            StationLog.Verbose,
        };
        root.Subcommands.Add(Enrollment.EnrollmentCommands.Create());
        root.Subcommands.Add(HandshakeCommand.Create());
        return root.Parse(args).InvokeAsync();
    }
}
