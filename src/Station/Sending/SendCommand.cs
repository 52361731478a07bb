using System.CommandLine;
using Serilog.Extensions.Logging;
using Transmission.Cli;
using Transmission.Station.Election;
using Transmission.Station.Enrollment;

namespace Transmission.Station.Sending;

/// <summary>
/// <c>send</c>: sends every queued protocol of the outbox to Central with <see cref="StationSender"/>, shows a line
/// per protocol as it goes, and keeps trying on network failures until everything is receipted or the maximum wait
/// passes.
/// </summary>
internal static class SendCommand
{
    public static Command Create(TimeProvider time)
    {
        var directory = new Option<string>("--dir") { Description = "The station folder.", Required = true };
        var central = new Option<string>("--central") { Description = "Central's address, e.g. https://localhost:7443.", Required = true };
        var maxWait = new Option<double>("--max-wait") { Description = "Seconds to keep trying when Central cannot be reached. Defaults to 600.", DefaultValueFactory = _ => 600 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one call to Central may take. Defaults to 120.", DefaultValueFactory = _ => 120 };
        var command = new Command(
            "send",
            "Send the signed protocols in the outbox to Central and store its verified receipts. Retries by itself on network " +
            "failures. Exit 0 when everything is receipted, 4 when Central refused something (or a receipt did not verify), " +
            "6 when Central could not be reached within --max-wait (the protocols stay queued; run 'send' again). " +
            ExitCodes.HelpText)
        {
            directory,
            central,
            maxWait,
            timeout,
        };
        command.SetGuardedAction(async (pr, console, cancellationToken) =>
        {
            var centralText = pr.GetValue(central)!;
            if (!Uri.TryCreate(centralText, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttps)
            {
                throw new CommandFailureException(ExitCodes.BadInput, $"--central must be an https:// address such as https://localhost:7443, not '{centralText}'");
            }

            if (pr.GetValue(maxWait) is var wait && (wait < 0 || double.IsNaN(wait) || wait > TimeSpan.MaxValue.TotalSeconds / 2))
            {
                throw new CommandFailureException(ExitCodes.Usage, "--max-wait must be a number of seconds, 0 or more");
            }

            if (pr.GetValue(timeout) is var callTimeout && (callTimeout <= 0 || double.IsNaN(callTimeout) || callTimeout > 86_400))
            {
                throw new CommandFailureException(ExitCodes.Usage, "--timeout must be a positive number of seconds (at most a day)");
            }

            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            folder.ReadIdentity();
            var definition = InstalledElection.Load(folder.Path);
            console.WriteLine(InstalledElection.Banner(definition));

            await using var log = StationLog.Create(folder.Path, pr.GetValue(StationLog.Verbose));
            using var loggerFactory = new SerilogLoggerFactory(log);
            var options = new StationSenderOptions { MaxWait = TimeSpan.FromSeconds(wait), CallTimeout = TimeSpan.FromSeconds(callTimeout) };
            using var sender = StationSender.Open(folder.Path, address, options, time, Random.Shared, loggerFactory);
            SendResult result;
            try
            {
                result = await sender.SendAsync(e => console.WriteLine(e.ToLine()), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new CommandFailureException(ExitCodes.Unreachable, "interrupted; what was not receipted stays queued; run 'send' again");
            }

            switch (result.Outcome)
            {
                case SendOutcome.AllReceipted:
                    console.WriteLine(result.Items.Count == 0
                        ? "nothing to send: no signed protocol in the outbox"
                        : $"done: {result.Receipted} protocol(s) receipted by Central");
                    return ExitCodes.Ok;
                case SendOutcome.Refused:
                    throw new CommandFailureException(
                        ExitCodes.Refused,
                        $"{result.Stopped} protocol(s) refused or stopped, {result.Pending} still queued, {result.Receipted} receipted; see 'status' for the reasons");
                default:
                    throw new CommandFailureException(
                        ExitCodes.Unreachable,
                        $"Central could not be reached within {wait:0.#} s; {result.Pending} protocol(s) still queued ({result.Receipted} receipted); run 'send' again");
            }
        });
        return command;
    }
}
