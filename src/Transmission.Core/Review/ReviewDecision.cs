namespace Transmission.Core.Review;

/// <summary>
/// A verifier's decision on one submission, as it is kept and appended to the log (design §6: "every revision and
/// decision is kept, with the verifier's identity and time"). The record holds what was asked for;
/// <see cref="ReviewStateMachine.Decide"/> says whether it is allowed.
/// </summary>
/// <param name="Submission">The submission decided on.</param>
/// <param name="Decision">The new state asked for: <see cref="ReviewState.Accepted"/>, <see cref="ReviewState.Rejected"/> or <see cref="ReviewState.RecountRequested"/>.</param>
/// <param name="Reason">Why; mandatory for every decision (trimmed non-empty, at most <see cref="MaxReasonLength"/> characters).</param>
/// <param name="Verifier">The verifier's identity URI (the SAN URI of their certificate).</param>
/// <param name="DecidedAt">When the verifier decided, from the caller's <see cref="TimeProvider"/>.</param>
public sealed record ReviewDecision(SubmissionKey Submission, ReviewState Decision, string Reason, Uri Verifier, DateTimeOffset DecidedAt)
{
    /// <summary>The longest reason accepted: 2,000 characters (after trimming).</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>A decision made now, by the clock of <paramref name="timeProvider"/>.</summary>
    public static ReviewDecision Create(SubmissionKey submission, ReviewState decision, string reason, Uri verifier, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new ReviewDecision(submission, decision, reason, verifier, timeProvider.GetUtcNow());
    }
}
