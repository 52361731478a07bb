namespace Transmission.Station.Outbox;

/// <summary>One item of the outbox as <see cref="Outbox.Status"/> lists it (no envelope or receipt bytes).</summary>
/// <param name="Id">The row id (creation order).</param>
/// <param name="StationCode">The station the protocol is for.</param>
/// <param name="Revision">The protocol revision (1, then corrections 2, 3...).</param>
/// <param name="State">Where the item is in its life.</param>
/// <param name="PayloadSha256">Lowercase hex SHA-256 of the signed payload (the protocol's identity), once signed.</param>
/// <param name="EnvelopeSha256">Lowercase hex SHA-256 of the envelope bytes (the envelope's identity), once signed.</param>
/// <param name="AttachmentCount">How many attachments were stored with the envelope.</param>
/// <param name="Attempts">How many times the envelope was sent.</param>
/// <param name="NextAttemptAt">When it is due again; <see langword="null"/> when nothing is scheduled (not queued, stopped or receipted).</param>
/// <param name="LastError">The last failure, for the chair; <see langword="null"/> if none.</param>
/// <param name="HasReceipt">Whether a verified receipt is stored.</param>
/// <param name="ReceiptVerifiedAt">When the receipt was stored after the caller verified it.</param>
/// <param name="CreatedAt">When the item was created.</param>
/// <param name="UpdatedAt">When the item last changed.</param>
internal sealed record OutboxEntry(
    long Id,
    string StationCode,
    long Revision,
    OutboxState State,
    string? PayloadSha256,
    string? EnvelopeSha256,
    int AttachmentCount,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    bool HasReceipt,
    DateTimeOffset? ReceiptVerifiedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Whether sending stopped on a failure that retrying does not fix, until the item is queued again.</summary>
    public bool IsStopped => State == OutboxState.Queued && NextAttemptAt is null && LastError is not null;
}

/// <summary>An attachment stored with a signed envelope, exactly as signed.</summary>
/// <param name="Name">The file name the protocol lists.</param>
/// <param name="MediaType">The media type (image/jpeg, image/png or application/pdf).</param>
/// <param name="Bytes">The file bytes.</param>
internal sealed record OutboxAttachment(string Name, string MediaType, byte[] Bytes);

/// <summary>What <see cref="Outbox.NextDue"/> hands to the sender: the item and the exact bytes to send.</summary>
/// <param name="Entry">The item.</param>
/// <param name="Envelope">The envelope bytes exactly as signed.</param>
/// <param name="Attachments">The attachments, in the order they were recorded.</param>
internal sealed record OutboxDelivery(OutboxEntry Entry, byte[] Envelope, IReadOnlyList<OutboxAttachment> Attachments);

/// <summary>A stored draft: the chair's filled template for a revision not signed yet.</summary>
/// <param name="Entry">The item.</param>
/// <param name="Json">The template JSON as last saved.</param>
internal sealed record OutboxDraft(OutboxEntry Entry, string Json);
