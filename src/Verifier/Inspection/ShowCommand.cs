using System.CommandLine;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Cli.Connection;
using Transmission.Verifier.Submissions;
using Transmission.Verifier.Terminal;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Inspection;

/// <summary><c>show</c>: one submission in full, checked here against the election root.</summary>
internal static class ShowCommand
{
    public static Command Create(ConnectionOptions connection)
    {
        var target = new Argument<string>("station-or-envelope")
        {
            Description = VerifierText.ArgStationOrEnvelope,
        };
        var save = new Option<string?>("--save-attachments")
        {
            Description = VerifierText.OptSaveAttachments,
        };
        var command = new Command("show", VerifierText.ShowDescription + "\n" + ExitCodeHelp.Text)
        {
            target,
            save,
        };
        command.SetGuardedAction(async (parse, output, cancellationToken) =>
        {
            var settings = connection.Read(parse);
            var what = parse.GetValue(target)!.Trim();
            var request = EnvelopeDigest.TryParse(what, out var digest)
                ? new GetSubmissionRequest { EnvelopeSha256 = digest }
                : new GetSubmissionRequest { StationCode = what };
            if (what.Length == 0)
            {
                throw new CommandFailureException(ExitCodes.Usage, VerifierText.GiveStationOrEnvelope);
            }

            var error = parse.InvocationConfiguration.Error;
            using var central = CentralConnection.Open(settings, error);
            var detail = await central.CallAsync(ReviewMethods.GetSubmission, request, cancellationToken);
            var copy = SignedCopyCheck.Check(detail, digest, central.Root);
            if (copy.Protocol is null)
            {
                // Nothing is shown: numbers that are not the signed ones must not be reviewed at all.
                throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(VerifierText.SecurityDoNotDecide, copy.Problem));
            }

            SubmissionReport.Render(VerifierConsole.Create(output), detail, copy);

            if (parse.GetValue(save) is { Length: > 0 } directory)
            {
                var mismatches = await AttachmentSaver.SaveAsync(central, detail, copy.Protocol, directory, output, error, cancellationToken);
                if (mismatches > 0)
                {
                    return ExitCodes.BadInput;
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
