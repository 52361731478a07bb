using System.CommandLine;
using System.CommandLine.Invocation;

namespace Transmission.Cli;

/// <summary>How the verifier's and auditor's command lines run a parsed command line.</summary>
public static class CommandInvocation
{
    /// <summary>
    /// Parses and runs <paramref name="args"/>. A command line that does not parse is one "error: ..." line per
    /// problem on stderr and exit 1 (<see cref="ExitCodes.Usage"/>), without the help text, so scripts and tests
    /// can rely on the exact line.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(configuration);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync(CommandActions.ErrorLine(error.Message));
            }

            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }
}
