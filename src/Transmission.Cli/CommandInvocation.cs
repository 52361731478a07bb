using System.CommandLine;
using System.CommandLine.Invocation;

namespace Transmission.Cli;

/// <summary>How every Transmission command line (station, Central, verifier, auditor) runs a parsed command line.</summary>
public static class CommandInvocation
{
    /// <summary>
    /// Parses and runs <paramref name="args"/>. A command line that does not parse is one "error: ..." line per
    /// problem on stderr and exit 1 (<see cref="ExitCodes.Usage"/>), without the help text, so scripts and tests
    /// can rely on the exact line. A group of commands named without one of its commands (the program's name alone,
    /// <c>protocol</c>) shows that group's help on stdout instead and exits 1: nothing was done.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(configuration);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            var reached = parse.CommandResult.Command;
            if (reached.Action is null && reached.Subcommands.Count > 0 && parse.UnmatchedTokens.Count == 0 && parse.Errors.Count == 1)
            {
                // The one problem is the missing command: the list of commands says more than the error would.
                await root.Parse([.. args, "--help"]).InvokeAsync(configuration, cancellationToken);
                return ExitCodes.Usage;
            }

            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync(CommandActions.ErrorLine(error.Message));
            }

            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }
}
