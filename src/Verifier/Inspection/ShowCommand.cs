using System.CommandLine;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Cli.Connection;
using Transmission.Verifier.Submissions;
using Transmission.Verifier.Terminal;

namespace Transmission.Verifier.Inspection;

/// <summary><c>show</c>: one submission in full, checked here against the election root.</summary>
internal static class ShowCommand
{
    public static Command Create(ConnectionOptions connection)
    {
        var target = new Argument<string>("station-or-envelope")
        {
            Description = "A station code (its latest submission) or an envelope SHA-256 (64 hex digits: exactly that submission).",
        };
        var save = new Option<string?>("--save-attachments")
        {
            Description = "Write each attachment (scanned form) into this folder, after checking its SHA-256 against the digest the station signed; a mismatch is not written and exits 2.",
        };
        var command = new Command("show", "One submission: the numbers, what Central checked, each flag in plain words, attachments and every revision with its decision. Checks here that the envelope, signature and numbers are the signed ones.\n" + ExitCodeHelp.Text)
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
                throw new CommandFailureException(ExitCodes.Usage, "give a station code or an envelope SHA-256");
            }

            var error = parse.InvocationConfiguration.Error;
            using var central = CentralConnection.Open(settings, error);
            var detail = await central.CallAsync(ReviewMethods.GetSubmission, request, cancellationToken);
            var copy = SignedCopyCheck.Check(detail, digest, central.Root);
            if (copy.Protocol is null)
            {
                // Nothing is shown: numbers that are not the signed ones must not be reviewed at all.
                throw new CommandFailureException(ExitCodes.BadInput, $"SECURITY: {copy.Problem}; do not decide on this submission, tell the election office");
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
