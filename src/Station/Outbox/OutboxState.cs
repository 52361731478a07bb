namespace Transmission.Station.Outbox;

/// <summary>
/// Where a protocol revision is in its life on the station (design §6): Draft → Signed → Queued → Sent → Receipted.
/// Stored by name, so the file reads plainly in any SQLite tool.
/// </summary>
internal enum OutboxState
{
    /// <summary>The chair's filled template, not signed yet; it may still change.</summary>
    Draft,

    /// <summary>The signed envelope and its attachments are on disk; it will never change for this revision.</summary>
    Signed,

    /// <summary>Waiting to be sent (first time, after a retryable failure, or stopped with an error until queued again).</summary>
    Queued,

    /// <summary>An attempt went out and no outcome was recorded yet (a crash mid-send leaves it here; it is sent again).</summary>
    Sent,

    /// <summary>Central's receipt was verified by the caller and stored. Final.</summary>
    Receipted,
}
