namespace Transmission.Station.Outbox;

/// <summary>
/// Why the outbox refused an operation. Each value has a stable reason code (<see cref="OutboxFailureCodes.ToReasonCode"/>)
/// that the CLI turns into a message for the chair. Nothing was written when an operation is refused.
/// </summary>
internal enum OutboxFailure
{
    /// <summary><c>ALREADY_SIGNED</c>: a different envelope is already signed for this revision; the first one stays.</summary>
    AlreadySigned,

    /// <summary><c>REVISION_STALE</c>: a higher revision of this station is already signed; sign a correction above it instead.</summary>
    RevisionStale,

    /// <summary><c>NOT_FOUND</c>: no item for this revision (or envelope).</summary>
    NotFound,

    /// <summary><c>WRONG_STATE</c>: the item is not in a state that allows the operation (e.g. queueing a draft).</summary>
    WrongState,

    /// <summary><c>ALREADY_RECEIPTED</c>: a different receipt is already stored for this envelope; the first one stays.</summary>
    AlreadyReceipted,
}

/// <summary>Reason codes of <see cref="OutboxFailure"/>.</summary>
internal static class OutboxFailureCodes
{
    /// <summary>The stable reason code, e.g. <c>ALREADY_SIGNED</c>.</summary>
    public static string ToReasonCode(this OutboxFailure failure) => failure switch
    {
        OutboxFailure.AlreadySigned => "ALREADY_SIGNED",
        OutboxFailure.RevisionStale => "REVISION_STALE",
        OutboxFailure.NotFound => "NOT_FOUND",
        OutboxFailure.WrongState => "WRONG_STATE",
        OutboxFailure.AlreadyReceipted => "ALREADY_RECEIPTED",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}
