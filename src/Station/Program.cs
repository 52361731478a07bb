using System.CommandLine;

namespace Transmission.Station;

/// <summary>Entry point of <c>transmission-station</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Transmission Station: sign and send the result protocol of a polling station.");
        root.Subcommands.Add(Enrollment.EnrollmentCommands.Create());
        return root.Parse(args).InvokeAsync();
    }
}
