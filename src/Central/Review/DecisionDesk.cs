using Microsoft.Extensions.Logging;
using Transmission.Central.Storage;
using Transmission.Core.Review;

namespace Transmission.Central.Review;

/// <summary>
/// Records verifiers' decisions for every front end (the gRPC service and the dashboard): finds the exact envelope on
/// the board, builds the log entry, lets the store's single writer check and append it, and brings the board up to
/// date so the verifier's next read shows the decision.
/// </summary>
public sealed class DecisionDesk(ReviewBoard board, SubmissionStore store, TimeProvider timeProvider, ILogger<DecisionDesk> logger)
{
    /// <summary>Decides on the envelope with SHA-256 <paramref name="envelopeSha256Hex"/> (lowercase hex).</summary>
    /// <param name="envelopeSha256Hex">The exact envelope the verifier looked at.</param>
    /// <param name="decision">Accepted, Rejected or RecountRequested (anything else is refused as UNKNOWN_DECISION).</param>
    /// <param name="reason">The verifier's reason (trimmed here).</param>
    /// <param name="verifierUri">The verifier's identity URI from their certificate.</param>
    /// <param name="cancellationToken">Stops waiting (the write may still happen; deciding again then gets ALREADY_DECIDED).</param>
    public async Task<DecisionOutcome> DecideAsync(string envelopeSha256Hex, ReviewState decision, string reason, string verifierUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelopeSha256Hex);
        ArgumentNullException.ThrowIfNull(verifierUri);
        await board.RefreshAsync(cancellationToken);
        if (board.FindByEnvelope(envelopeSha256Hex) is not { } found)
        {
            return new DecisionSubmissionNotFound();
        }

        var revision = found.Revision;
        var request = new ReviewDecision(
            new SubmissionKey(found.Station.Station.Code, revision.Revision, envelopeSha256Hex),
            decision,
            (reason ?? string.Empty).Trim(),
            new Uri(verifierUri),
            timeProvider.GetUtcNow());
        var electionId = board.Definition.ElectionId;
        var outcome = await store.DecideAsync(new PendingDecision(electionId, request, DecisionEntries.Create(electionId, request)), cancellationToken);
        switch (outcome)
        {
            case DecisionStored stored:
                ReviewLog.Decided(logger, request.Submission.StationCode, request.Submission.Revision, stored.State.ToString(), verifierUri, stored.LogIndex);
                await board.RefreshAsync(cancellationToken);
                break;
            case DecisionRefused refused:
                ReviewLog.DecisionRefused(logger, request.Submission.StationCode, request.Submission.Revision, refused.Refusal, verifierUri);
                break;
            default:
                break;
        }

        return outcome;
    }

    /// <summary>The refusal in plain words (after its code), as the gRPC message and the dashboard show it.</summary>
    public static string Explain(DecisionRefused refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var words = refused.Refusal switch
        {
            ReviewRefusals.AlreadyDecided => $"this revision was already decided ({refused.State}); decisions are final. A change needs a new revision from the station.",
            ReviewRefusals.Superseded => "the station has sent a later revision; decide on the latest one.",
            ReviewRefusals.ReasonRequired => "every decision needs a reason.",
            ReviewRefusals.ReasonTooLong => $"the reason is longer than {ReviewDecision.MaxReasonLength} characters.",
            ReviewRefusals.UnknownDecision => "decision must be ACCEPT, REJECT or REQUEST_RECOUNT.",
            _ => "the decision was refused.",
        };
        return $"{refused.Refusal}: {words}";
    }
}
