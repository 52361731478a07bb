using System.CommandLine;
using System.Globalization;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Cli.Connection;
using Transmission.Verifier.Submissions;

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
        var envelope = new Argument<string>("envelope-sha256") { Description = "The SHA-256 of the envelope you reviewed (64 hex digits, from 'show' or 'list')." };
        envelope.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!EnvelopeDigest.TryParse(value, out _))
            {
                result.AddError(EnvelopeDigest.NotADigest(value));
            }
        });
        var decision = new Argument<string>("decision") { Description = "accept, reject or recount." };
        decision.CompletionSources.Add(ReviewVocabulary.Decisions.Keys.ToArray());
        decision.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!ReviewVocabulary.Decisions.ContainsKey(value ?? string.Empty))
            {
                result.AddError($"the decision must be {ReviewVocabulary.OneOf(ReviewVocabulary.Decisions.Keys)}; not '{value}'");
            }
        });
        var reason = new Option<string?>("--reason") { Description = $"Why (mandatory, at most {MaxReasonLength} characters). Kept forever with the decision and in the transparency log." };
        var command = new Command("decide", "Decide on one submission: accept (counts in the certified totals), reject, or ask the station for a recount. Final: a decision is never edited.\n" + ExitCodeHelp.Text)
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
                result.AddError("--reason is required: say in words why (it is kept with the decision for good)");
            }
            else if (text.Length > MaxReasonLength)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--reason is {text.Length} characters; at most {MaxReasonLength} are kept"));
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
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"decided: {EnvelopeDigest.Hex(digest!)} is now {ReviewVocabulary.Name(answer.State)} (log index {answer.LogIndex}, {ReviewVocabulary.Time(answer.DecidedAt)})"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
