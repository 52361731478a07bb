using Spectre.Console;

namespace Transmission.Verifier.Terminal;

/// <summary>
/// The Spectre.Console surface for one invocation's stdout. Colours, Unicode borders and the window width only
/// when stdout is this process's own terminal; redirected (a pipe, a file, a test's StringWriter) it is plain
/// ASCII without escape codes and wide enough that rows never wrap, because scripts and tests read it.
/// </summary>
internal static class VerifierConsole
{
    /// <summary>The width of redirected output: wide enough for a row with a full SHA-256 and a few flags.</summary>
    public const int RedirectedWidth = 240;

    public static IAnsiConsole Create(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var terminal = IsTerminal(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
            console.Profile.Capabilities.Unicode = false;
            console.Profile.Capabilities.Links = false;
        }

        return console;
    }

    /// <summary>A table with the given column headings: rounded box lines on a terminal, plain ASCII (+ - |) otherwise.</summary>
    public static Table NewTable(this IAnsiConsole console, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Border(console.Profile.Capabilities.Unicode ? TableBorder.Rounded : TableBorder.Ascii);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        return table;
    }

    /// <summary>Whether <paramref name="output"/> is the process's stdout and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
}
