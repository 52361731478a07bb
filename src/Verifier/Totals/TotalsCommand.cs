using System.CommandLine;
using Spectre.Console;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Cli.Connection;
using Transmission.Verifier.Terminal;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Totals;

/// <summary><c>totals</c>: provisional and certified totals, once or (<c>--watch</c>) at every change until Ctrl+C.</summary>
internal static class TotalsCommand
{
    public static Command Create(ConnectionOptions connection)
    {
        var municipality = new Option<string?>("--municipality") { Description = VerifierText.OptTotalsMunicipality };
        var watch = new Option<bool>("--watch") { Description = VerifierText.OptWatch };
        var command = new Command("totals", VerifierText.TotalsDescription + "\n" + ExitCodeHelp.Text)
        {
            municipality,
            watch,
        };
        command.SetGuardedAction(async (parse, output, cancellationToken) =>
        {
            var settings = connection.Read(parse);
            var request = new GetTotalsRequest { Municipality = parse.GetValue(municipality) ?? string.Empty };
            using var central = CentralConnection.Open(settings, parse.InvocationConfiguration.Error);
            var console = VerifierConsole.Create(output);
            if (!parse.GetValue(watch))
            {
                TotalsReport.Render(console, await central.CallAsync(ReviewMethods.GetTotals, request, cancellationToken));
                return ExitCodes.Ok;
            }

            var terminal = VerifierConsole.IsTerminal(output);
            var first = true;
            try
            {
                await central.ReadStreamAsync(
                    ReviewMethods.WatchTotals,
                    request,
                    bounded: false,
                    totals =>
                    {
                        if (terminal)
                        {
                            console.Clear(home: true);
                        }
                        else if (!first)
                        {
                            console.WriteLine();
                        }

                        first = false;
                        TotalsReport.Render(console, totals);
                        return output.FlushAsync(cancellationToken);
                    },
                    cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or CommandFailureException && cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how --watch ends.
                return ExitCodes.Ok;
            }

            throw new CommandFailureException(ExitCodes.Unreachable, VerifierText.WatchEnded);
        });
        return command;
    }
}
