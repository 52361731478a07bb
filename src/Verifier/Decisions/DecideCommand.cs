using System.CommandLine;
using System.Globalization;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Cli.Connection;
using Transmission.Verifier.Submissions;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Decisions;

/// <summary>
/// <c>decide</c>: accept, reject or ask for a recount of exactly one envelope, with a reason. It takes the envelope's
/// SHA-256, never a station code, so a verifier never decides on bytes they did not look at.
/// </summary>
internal static class DecideCommand
{
    /// <summary>The longest reason Central keeps (DecideRequest.reason).</summary>
    public const int MaxReasonLength = 2000;

    public static Command Create(ConnectionOptions connection)
    {
        var envelope = new Argument<string>("envelope-sha256") { Description = VerifierText.ArgEnvelope };
        envelope.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!EnvelopeDigest.TryParse(value, out _))
            {
                result.AddError(EnvelopeDigest.NotADigest(value));
            }
        });
        var decision = new Argument<string>("decision") { Description = VerifierText.ArgDecision };
        decision.CompletionSources.Add(ReviewVocabulary.Decisions.Keys.ToArray());
        decision.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!ReviewVocabulary.Decisions.ContainsKey(value ?? string.Empty))
            {
                result.AddError(Localized.Format(VerifierText.DecisionInvalid, ReviewVocabulary.OneOf(ReviewVocabulary.Decisions.Keys), value));
            }
        });
        var reason = new Option<string?>("--reason") { Description = Localized.Format(VerifierText.OptReason, MaxReasonLength) };
        var command = new Command("decide", VerifierText.DecideDescription + "\n" + ExitCodeHelp.Text)
        {
            envelope,
            decision,
            reason,
        };
        command.Validators.Add(result =>
        {
            var text = result.GetValue(reason)?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                result.AddError(VerifierText.ReasonRequired);
            }
            else if (text.Length > MaxReasonLength)
            {
                result.AddError(Localized.Format(VerifierText.ReasonTooLong, text.Length, MaxReasonLength));
            }
        });

        command.SetGuardedAction(async (parse, output, cancellationToken) =>
        {
            var settings = connection.Read(parse);
            EnvelopeDigest.TryParse(parse.GetValue(envelope), out var digest);
            var request = new DecideRequest
            {
                EnvelopeSha256 = digest!,
                Decision = ReviewVocabulary.Decisions[parse.GetValue(decision)!],
                Reason = parse.GetValue(reason)!.Trim(),
            };
            using var central = CentralConnection.Open(settings, parse.InvocationConfiguration.Error);
            var answer = await central.CallAsync(ReviewMethods.Decide, request, cancellationToken);
            await output.WriteLineAsync(Localized.Format(
                VerifierText.Decided, EnvelopeDigest.Hex(digest!), ReviewVocabulary.DisplayName(answer.State), answer.LogIndex, ReviewVocabulary.Time(answer.DecidedAt)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
