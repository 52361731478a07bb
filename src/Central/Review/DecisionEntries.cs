using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Central.Storage;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Review;
using CoreReviewState = Transmission.Core.Review.ReviewState;

namespace Transmission.Central.Review;

/// <summary>
/// The transparency-log entry of a review decision: PAE(<see cref="SubmissionStore.DecisionEntryType"/>,
/// <c>transmission.v1.LoggedDecision</c>). The PAE frame names the entry's type, so a decision entry can never be
/// read as an envelope or anything else appended to the log.
/// </summary>
public static class DecisionEntries
{
    /// <summary>The entry bytes for <paramref name="decision"/> in <paramref name="electionId"/>.</summary>
    public static byte[] Create(string electionId, ReviewDecision decision)
    {
        ArgumentNullException.ThrowIfNull(electionId);
        ArgumentNullException.ThrowIfNull(decision);
        var logged = new LoggedDecision
        {
            ElectionId = electionId,
            StationCode = decision.Submission.StationCode,
            Revision = checked((uint)decision.Submission.Revision),
            EnvelopeSha256 = ByteString.CopyFrom(Convert.FromHexString(decision.Submission.EnvelopeSha256Hex)),
            Decision = ToContract(decision.Decision),
            Reason = decision.Reason,
            VerifierUri = decision.Verifier.OriginalString,
            DecidedAt = Timestamp.FromDateTimeOffset(decision.DecidedAt),
        };
        return Pae.Encode(SubmissionStore.DecisionEntryType, logged.ToByteArray());
    }

    /// <summary>The contract's decision for a target state.</summary>
    public static Decision ToContract(CoreReviewState state) => state switch
    {
        CoreReviewState.Accepted => Decision.Accept,
        CoreReviewState.Rejected => Decision.Reject,
        CoreReviewState.RecountRequested => Decision.RequestRecount,
        _ => Decision.Unspecified,
    };

    /// <summary>The target state of a contract decision; <see cref="CoreReviewState.Pending"/> for an unknown one (the state machine refuses it).</summary>
    public static CoreReviewState ToState(Decision decision) => decision switch
    {
        Decision.Accept => CoreReviewState.Accepted,
        Decision.Reject => CoreReviewState.Rejected,
        Decision.RequestRecount => CoreReviewState.RecountRequested,
        _ => CoreReviewState.Pending,
    };
}
