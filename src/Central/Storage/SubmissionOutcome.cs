namespace Transmission.Central.Storage;

/// <summary>What happened to a <see cref="PendingSubmission"/>; every case is final for that attempt.</summary>
public abstract record SubmissionOutcome;

/// <summary>Newly stored and logged; the transaction has committed (durable).</summary>
/// <param name="LogIndex">The transparency-log index assigned.</param>
/// <param name="ReceivedAt">The receipt time stored.</param>
public sealed record SubmissionStored(long LogIndex, DateTimeOffset ReceivedAt) : SubmissionOutcome
{
    /// <summary>The receipt committed with the row (null when the store has no <see cref="ILogIssuer"/>).</summary>
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
/// Central's signing side of the transparency log, used by the single writer inside each commit transaction: it
/// signs the checkpoint of the tree the batch produced (only if it is consistent with the last one signed) and the
/// receipts that prove inclusion in it. It must be fast and must not do I/O.
/// </summary>
public interface ILogIssuer
{
    /// <summary>The log's origin line and checkpoint key name.</summary>
    public string Origin { get; }

    /// <summary>
    /// Signs <paramref name="next"/> if it is consistent with <paramref name="lastSigned"/> by
    /// <paramref name="consistencyProof"/> (see <see cref="Transmission.Core.Log.CheckpointSigner"/>); otherwise the
    /// result says why and nothing is signed.
    /// </summary>
    public Transmission.Core.Log.CheckpointResult SignCheckpoint(Transmission.Core.Log.Checkpoint next, Transmission.Core.Log.Checkpoint? lastSigned, IReadOnlyList<byte[]> consistencyProof);

    /// <summary>The signed receipt for <paramref name="submission"/> at <paramref name="logIndex"/>, carrying the checkpoint note and the inclusion proof.</summary>
    public byte[] IssueReceipt(PendingSubmission submission, long logIndex, string checkpointNote, IReadOnlyList<byte[]> inclusionProof);
}

/// <summary>
/// The writer's last check of a submission, called inside the commit transaction just before the submission is decided:
/// <see langword="null"/> lets it through, anything else is its outcome and nothing is stored. Central checks the chair
/// signer against the CRL in force at that moment, so no submission whose signer a CRL revoked is logged after that
/// CRL's revocation entries, even when it was verified before the CRL arrived. It must be fast and must not do I/O (it
/// runs on the single writer).
/// </summary>
/// <param name="submission">The submission about to be decided.</param>
public delegate SubmissionOutcome? SubmissionGate(PendingSubmission submission);
