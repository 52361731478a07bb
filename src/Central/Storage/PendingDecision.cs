using Transmission.Core.Review;

namespace Transmission.Central.Storage;

/// <summary>
/// A verifier's decision waiting to be stored. The store checks it against the stored state with
/// <see cref="ReviewStateMachine"/> inside its transaction, so two verifiers deciding at once cannot both win.
/// </summary>
/// <param name="ElectionId">The election.</param>
/// <param name="Decision">What the verifier decided, on which envelope, when, and why.</param>
/// <param name="EntryBytes">The log entry for the decision (see <see cref="ReviewDecisionRow.EntryBytes"/>), built by the caller from <paramref name="Decision"/>.</param>
public sealed record PendingDecision(string ElectionId, ReviewDecision Decision, byte[] EntryBytes);

/// <summary>What happened to a <see cref="PendingDecision"/>; every case is final for that attempt.</summary>
public abstract record DecisionOutcome;

/// <summary>Stored and appended to the log; the transaction has committed.</summary>
/// <param name="State">The submission's new state.</param>
/// <param name="DecisionId">The stored decision's id.</param>
/// <param name="LogIndex">The decision's log index.</param>
/// <param name="DecidedAt">The decision time stored.</param>
public sealed record DecisionStored(ReviewState State, long DecisionId, long LogIndex, DateTimeOffset DecidedAt) : DecisionOutcome;

/// <summary>The state machine refused it; nothing was stored.</summary>
/// <param name="Refusal">A code of <see cref="ReviewRefusals"/>.</param>
/// <param name="State">The submission's unchanged state.</param>
public sealed record DecisionRefused(string Refusal, ReviewState State) : DecisionOutcome;

/// <summary>No stored (non-conflict) submission of the election has that envelope; nothing was stored.</summary>
public sealed record DecisionSubmissionNotFound : DecisionOutcome;

/// <summary>The database could not commit; nothing was stored; the verifier may try again.</summary>
/// <param name="Reason">Short reason for logs.</param>
public sealed record DecisionStorageUnavailable(string Reason) : DecisionOutcome;
