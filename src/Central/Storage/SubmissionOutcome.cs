namespace Transmission.Central.Storage;

/// <summary>What happened to a <see cref="PendingSubmission"/>; every case is final for that attempt.</summary>
public abstract record SubmissionOutcome;

/// <summary>Newly stored and logged; the transaction has committed (durable).</summary>
/// <param name="LogIndex">The transparency-log index assigned.</param>
/// <param name="ReceivedAt">The receipt time stored.</param>
public sealed record SubmissionStored(long LogIndex, DateTimeOffset ReceivedAt) : SubmissionOutcome
{
    /// <summary>The receipt committed with the row (null when the store has no <see cref="ReceiptFactory"/>).</summary>
    public byte[]? Receipt { get; init; }
}

/// <summary>The same payload was already accepted for this station: nothing new stored; answer as before.</summary>
/// <param name="LogIndex">The existing log index.</param>
/// <param name="ReceivedAt">When the existing one was received.</param>
/// <param name="EnvelopeSha256">SHA-256 of the envelope stored the first time (may differ from the one just sent).</param>
public sealed record SubmissionDuplicate(long LogIndex, DateTimeOffset ReceivedAt, byte[] EnvelopeSha256) : SubmissionOutcome
{
    /// <summary>The receipt stored the first time, byte for byte (null if that row was stored without one).</summary>
    public byte[]? Receipt { get; init; }
}

/// <summary>
/// A different payload for a station and revision that already has an accepted one: the new envelope is
/// kept as evidence (status Conflict, no log entry) and a security event is recorded.
/// </summary>
/// <param name="ExistingEnvelopeSha256">SHA-256 of the accepted envelope for that revision.</param>
public sealed record SubmissionConflict(byte[] ExistingEnvelopeSha256) : SubmissionOutcome;

/// <summary>The revision is lower than the station's highest accepted one: nothing stored but a security event.</summary>
/// <param name="HighestRevision">The station's highest accepted revision.</param>
public sealed record SubmissionStale(int HighestRevision) : SubmissionOutcome;

/// <summary>
/// The <see cref="SubmissionGate"/> refused the submission when the writer came to it (its signer's certificate was
/// revoked by a CRL put in force after the envelope was verified): nothing stored.
/// </summary>
/// <param name="PkiReason">The PKI reason code, e.g. <c>REVOKED</c>.</param>
/// <param name="Detail">Readable detail (serial, revocation time).</param>
public sealed record SubmissionSignerUntrusted(string PkiReason, string Detail) : SubmissionOutcome;

/// <summary>
/// The database could not commit (locked, disk full, read-only, I/O error): nothing of the batch was
/// written; the caller should answer UNAVAILABLE and the station will send again.
/// </summary>
/// <param name="Reason">Short reason for logs (an SQLite error name or exception type), never payload data.</param>
public sealed record StorageUnavailable(string Reason) : SubmissionOutcome;

/// <summary>
/// Creates the receipt for a submission being stored. The writer calls it inside the commit transaction, after the
/// log index is assigned; the bytes are stored in the row, so a receipt exists exactly when its submission committed.
/// It must be fast and must not do I/O (it runs on the single writer).
/// </summary>
/// <param name="submission">The submission being accepted.</param>
/// <param name="logIndex">Its log index.</param>
/// <returns>The receipt bytes (a signed envelope).</returns>
public delegate byte[] ReceiptFactory(PendingSubmission submission, long logIndex);

/// <summary>
/// The writer's last check of a submission, called inside the commit transaction just before the submission is decided:
/// <see langword="null"/> lets it through, anything else is its outcome and nothing is stored. Central checks the chair
/// signer against the CRL in force at that moment, so no submission whose signer a CRL revoked (at or before the receive
/// time) is logged after that CRL's revocation entries, even when it was verified before the CRL arrived. It must be fast
/// and must not do I/O (it runs on the single writer).
/// </summary>
/// <param name="submission">The submission about to be decided.</param>
public delegate SubmissionOutcome? SubmissionGate(PendingSubmission submission);
