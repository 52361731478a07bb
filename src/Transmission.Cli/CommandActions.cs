using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Transmission.Cli.Localization;

namespace Transmission.Cli;

/// <summary>Runs a command body and turns every failure into one line on stderr and an exit code (never a stack trace).</summary>
public static class CommandActions
{
    /// <summary>
    /// Sets <paramref name="body"/> as the command's action: a <see cref="CommandFailureException"/>, an I/O or a
    /// cryptographic failure becomes one "error: ..." line on stderr and its exit code; a bug becomes exit 70.
    /// </summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, TextWriter, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        command.SetGuardedAction((parseResult, output, _) => Task.FromResult(body(parseResult, output)));
    }

    /// <summary>
    /// The asynchronous form of <see cref="SetGuardedAction(Command, Func{ParseResult, TextWriter, int})"/>, for
    /// commands that talk to the network; <paramref name="body"/> gets the invocation's cancellation token (Ctrl+C).
    /// </summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, TextWriter, CancellationToken, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(body);
        command.SetAction(async (ParseResult parseResult, CancellationToken cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            int code;
            try
            {
                // The command's language (--lang, else LC_ALL / LANG) for this invocation only: it flows into the
                // body's awaits and does not leak out of this async lambda (CultureInfo.Current* are async-local).
                CliLanguage.Apply(CliLanguage.FromParseResult(parseResult, Environment.GetEnvironmentVariable));
                code = await body(parseResult, output, cancellationToken);
            }
            catch (CommandFailureException e)
            {
                error.WriteLine(ErrorLine(e.Message));
                code = e.ExitCode;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine(ErrorLine(e.Message));
                code = ExitCodes.OutputFailed;
            }
            catch (CryptographicException e)
            {
                error.WriteLine(ErrorLine(Format(CliText.CryptographicFailure, e.Message)));
                code = ExitCodes.BadInput;
            }
#pragma warning disable CA1031 // The CLI's contract is one line and an exit code, even for a bug.
            catch (Exception e)
#pragma warning restore CA1031
            {
                error.WriteLine(ErrorLine(Format(CliText.InternalError, e.GetType().Name, e.Message)));
                code = ExitCodes.Internal;
            }

            return code;
        });
    }

    /// <summary>The one line a failure prints: <c>error: …</c> in the current UI language.</summary>
    public static string ErrorLine(string message) => Format(CliText.ErrorLine, message);

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
