namespace Transmission.Core.Review;

/// <summary>
/// Where one submission (one revision of one station) stands in review (design §6 "Review: Pending → Accepted /
/// Rejected (reason) / Recount requested"). Every state but <see cref="Pending"/> is final for that revision.
/// </summary>
public enum ReviewState
{
    /// <summary>Verified and stored, not decided yet. The only state a decision may leave.</summary>
    Pending = 0,

    /// <summary>A verifier accepted the revision: it counts in the certified totals.</summary>
    Accepted = 1,

    /// <summary>A verifier rejected the revision (with a reason): it never counts in the certified totals.</summary>
    Rejected = 2,

    /// <summary>A verifier asked for a recount: the station must send a new revision; this one is not certified.</summary>
    RecountRequested = 3,
}
