using System.CommandLine;
using Transmission.Central.Hosting;
using Transmission.Cli;

namespace Transmission.Central;

/// <summary>Entry point of <c>transmission-central</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Transmission Central: receives, verifies and stores signed result protocols.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(Pki.PkiCommands.Create());
        root.Subcommands.Add(Reporting.ReportCommand.Create());
        root.Subcommands.Add(Election.ElectionCommands.Create());
        return CommandInvocation.InvokeAsync(root, args, new InvocationConfiguration());
    }
}
