namespace Transmission.Core.Review;

/// <summary>
/// The stable reason codes of <see cref="ReviewStateMachine"/>. Part of the contract (dashboard, CLI, log); never
/// rename one.
/// </summary>
public static class ReviewRefusals
{
    /// <summary>The reason is missing or only white space: every decision carries a reason (design §2, §6).</summary>
    public const string ReasonRequired = "REASON_REQUIRED";

    /// <summary>The trimmed reason is longer than <see cref="ReviewDecision.MaxReasonLength"/> characters.</summary>
    public const string ReasonTooLong = "REASON_TOO_LONG";

    /// <summary>
    /// The submission was already decided. A decision is never edited (design §6 "every revision and decision is
    /// kept"); to change the outcome the station sends a new revision, which gets its own decision.
    /// </summary>
    public const string AlreadyDecided = "ALREADY_DECIDED";

    /// <summary>A later revision of the station exists: only the latest revision can be decided.</summary>
    public const string Superseded = "SUPERSEDED";

    /// <summary>The decision asked for is not Accepted, Rejected or RecountRequested (Pending or an undefined value).</summary>
    public const string UnknownDecision = "UNKNOWN_DECISION";
}
