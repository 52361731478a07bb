using System.Diagnostics.CodeAnalysis;

namespace Transmission.Core.Review;

/// <summary>
/// The review lifecycle of one submission (design §6). Pure: the caller loads the submission's state and the
/// station's latest revision, asks, and stores the decision only when it is allowed.
/// </summary>
/// <remarks>
/// Transitions (anything else is refused with a code of <see cref="ReviewRefusals"/>):
/// <list type="table">
/// <item><term>Pending → Accepted</term><description>the revision counts in the certified totals (it supersedes an earlier accepted one).</description></item>
/// <item><term>Pending → Rejected</term><description>the revision never counts as certified; an earlier accepted revision keeps counting.</description></item>
/// <item><term>Pending → RecountRequested</term><description>the station must recount and send a new revision; as for Rejected, nothing certified changes.</description></item>
/// <item><term>Accepted / Rejected / RecountRequested → anything</term><description>refused, <c>ALREADY_DECIDED</c>: decisions are final per revision.</description></item>
/// </list>
/// Checks run in this order, so a request that is wrong in several ways always gets the same code:
/// <c>UNKNOWN_DECISION</c>, <c>ALREADY_DECIDED</c>, <c>SUPERSEDED</c>, <c>REASON_REQUIRED</c>, <c>REASON_TOO_LONG</c>.
/// </remarks>
public static class ReviewStateMachine
{
    /// <summary>Decides whether <paramref name="decision"/> may be applied to a submission in <paramref name="currentState"/>.</summary>
    /// <param name="currentState">The submission's stored state.</param>
    /// <param name="decision">The decision asked for.</param>
    /// <param name="latestRevision">The station's highest stored revision; at least the decision's own revision.</param>
    public static ReviewTransition Decide(ReviewState currentState, ReviewDecision decision, int latestRevision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(decision.Submission);
        ArgumentNullException.ThrowIfNull(decision.Verifier);
        if (latestRevision < decision.Submission.Revision)
        {
            // The caller stores a submission before anyone can decide on it, so this is a bug, not bad input.
            throw new ArgumentOutOfRangeException(nameof(latestRevision), latestRevision, "The latest revision cannot be below the decided one.");
        }

        if (decision.Decision is not (ReviewState.Accepted or ReviewState.Rejected or ReviewState.RecountRequested))
        {
            return ReviewTransition.Refuse(currentState, ReviewRefusals.UnknownDecision);
        }

        if (currentState != ReviewState.Pending)
        {
            return ReviewTransition.Refuse(currentState, ReviewRefusals.AlreadyDecided);
        }

        if (latestRevision > decision.Submission.Revision)
        {
            return ReviewTransition.Refuse(currentState, ReviewRefusals.Superseded);
        }

        var reason = decision.Reason?.Trim() ?? string.Empty;
        if (reason.Length == 0)
        {
            return ReviewTransition.Refuse(currentState, ReviewRefusals.ReasonRequired);
        }

        if (reason.Length > ReviewDecision.MaxReasonLength)
        {
            return ReviewTransition.Refuse(currentState, ReviewRefusals.ReasonTooLong);
        }

        return ReviewTransition.Allow(decision.Decision, decision with { Reason = reason });
    }
}

/// <summary>
/// The outcome of <see cref="ReviewStateMachine.Decide"/>. Invariant: either allowed, with the new
/// <see cref="State"/> and the decision to store (reason trimmed) and no refusal code, or refused, with a code of
/// <see cref="ReviewRefusals"/>, no decision, and <see cref="State"/> unchanged.
/// </summary>
public sealed class ReviewTransition
{
    private ReviewTransition(ReviewState state, ReviewDecision? decision, string? refusal)
    {
        State = state;
        Decision = decision;
        Refusal = refusal;
    }

    /// <summary>The submission's state after the request: the new state if allowed, the unchanged one if refused.</summary>
    public ReviewState State { get; }

    /// <summary>The decision to store (reason trimmed), when <see cref="IsAllowed"/>.</summary>
    public ReviewDecision? Decision { get; }

    /// <summary>The refusal code (<see cref="ReviewRefusals"/>), when not <see cref="IsAllowed"/>.</summary>
    public string? Refusal { get; }

    /// <summary>Whether the decision may be stored.</summary>
    [MemberNotNullWhen(true, nameof(Decision))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsAllowed => Refusal is null;

    internal static ReviewTransition Allow(ReviewState state, ReviewDecision decision) => new(state, decision, null);

    internal static ReviewTransition Refuse(ReviewState state, string refusal) => new(state, null, refusal);

    /// <inheritdoc/>
    public override string ToString() => IsAllowed ? $"→ {State}" : $"refused {Refusal} (stays {State})";
}
