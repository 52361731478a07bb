using System.CommandLine;
using Serilog.Extensions.Logging;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Station.Election;
using Transmission.Station.Enrollment;
using Transmission.Station.Localization;

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
        var directory = new Option<string>("--dir") { Description = StationText.OptDir, Required = true };
        var central = new Option<string>("--central") { Description = StationText.OptCentral, Required = true };
        var maxWait = new Option<double>("--max-wait") { Description = StationText.OptMaxWait, DefaultValueFactory = _ => 600 };
        var timeout = new Option<double>("--timeout") { Description = StationText.OptTimeout, DefaultValueFactory = _ => 120 };
        var command = new Command(
            "send",
            StationText.SendDescription + " " + ExitCodes.HelpText)
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
                throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.CentralNotHttps, centralText));
            }

            if (pr.GetValue(maxWait) is var wait && (wait < 0 || double.IsNaN(wait) || wait > TimeSpan.MaxValue.TotalSeconds / 2))
            {
                throw new CommandFailureException(ExitCodes.Usage, StationText.MaxWaitInvalid);
            }

            if (pr.GetValue(timeout) is var callTimeout && (callTimeout <= 0 || double.IsNaN(callTimeout) || callTimeout > 86_400))
            {
                throw new CommandFailureException(ExitCodes.Usage, StationText.TimeoutInvalid);
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
                throw new CommandFailureException(ExitCodes.Unreachable, StationText.SendInterrupted);
            }

            switch (result.Outcome)
            {
                case SendOutcome.AllReceipted:
                    console.WriteLine(result.Items.Count == 0
                        ? StationText.SendNothing
                        : Localized.Format(StationText.SendDone, result.Receipted));
                    return ExitCodes.Ok;
                case SendOutcome.Refused:
                    throw new CommandFailureException(
                        ExitCodes.Refused,
                        Localized.Format(StationText.SendRefused, result.Stopped, result.Pending, result.Receipted));
                default:
                    throw new CommandFailureException(
                        ExitCodes.Unreachable,
                        Localized.Format(StationText.SendUnreachable, wait, result.Pending, result.Receipted));
            }
        });
        return command;
    }
}
