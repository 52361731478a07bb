namespace Transmission.Central.Storage;

/// <summary>Bytes exactly as received (an envelope or an attachment), addressed by their SHA-256.</summary>
public sealed class Blob
{
    /// <summary>SHA-256 of <see cref="Bytes"/> (32 bytes): the primary key.</summary>
    public byte[] Sha256 { get; set; } = [];

    /// <summary>The bytes as received, never re-encoded.</summary>
    public byte[] Bytes { get; set; } = [];

    /// <summary>Length of <see cref="Bytes"/>.</summary>
    public long Size { get; set; }

    /// <summary>Media type the bytes were first stored with.</summary>
    public string MediaType { get; set; } = string.Empty;
}

/// <summary>Whether a stored submission counts or is kept only as evidence.</summary>
public enum SubmissionStatus
{
    /// <summary>Accepted into the log (it has a log index).</summary>
    Accepted = 0,

    /// <summary>
    /// A different payload for a station and revision that already had an accepted one: kept as evidence,
    /// never logged or tabulated.
    /// </summary>
    Conflict = 1,
}

/// <summary>One signed result protocol envelope as received by Central.</summary>
public sealed class Submission
{
    /// <summary>Database identity.</summary>
    public long Id { get; set; }

    /// <summary>The election the protocol is for.</summary>
    public string ElectionId { get; set; } = string.Empty;

    /// <summary>The polling station code.</summary>
    public string StationCode { get; set; } = string.Empty;

    /// <summary>The protocol's revision (1 for the first).</summary>
    public int Revision { get; set; }

    /// <summary>SHA-256 of the DSSE payload: the protocol's identity.</summary>
    public byte[] PayloadSha256 { get; set; } = [];

    /// <summary>SHA-256 of the envelope bytes as received (unique); the envelope is the blob with this key.</summary>
    public byte[] EnvelopeSha256 { get; set; } = [];

    /// <summary>When Central received it (Central's clock).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Accepted or Conflict.</summary>
    public SubmissionStatus Status { get; set; }

    /// <summary>
    /// Arithmetic rule codes that flagged the protocol for review, comma-separated in the order the
    /// validator gave them (e.g. "BALLOTS_NOT_BALANCED,CONTEST_SUM_MISMATCH"); empty when none.
    /// A compact string because flags are only shown and filtered on ("is it flagged?"), never joined.
    /// </summary>
    public string Flags { get; set; } = string.Empty;

    /// <summary>Number of committee co-signatures that verified.</summary>
    public int VerifiedCosignatures { get; set; }

    /// <summary>The transparency-log index; null for a Conflict.</summary>
    public long? LogIndex { get; set; }

    /// <summary>SHA-256 of the chair's signer certificate (DER).</summary>
    public byte[] SignerCertificateSha256 { get; set; } = [];

    /// <summary>
    /// The signed receipt issued when the submission was accepted (created inside the commit transaction, after the
    /// log index was assigned); a duplicate is answered with exactly these bytes. Null for a Conflict.
    /// </summary>
    public byte[]? ReceiptBytes { get; set; }

    /// <summary>The attachments named by the protocol.</summary>
    public List<SubmissionAttachment> Attachments { get; set; } = [];
}

/// <summary>An attachment of a submission; its bytes are the blob with <see cref="BlobSha256"/>.</summary>
public sealed class SubmissionAttachment
{
    /// <summary>The submission it belongs to.</summary>
    public long SubmissionId { get; set; }

    /// <summary>Position in the protocol's attachment list (0-based).</summary>
    public int Index { get; set; }

    /// <summary>File name given by the station.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Media type given by the station.</summary>
    public string MediaType { get; set; } = string.Empty;

    /// <summary>Size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>SHA-256 of the bytes (the blob key).</summary>
    public byte[] BlobSha256 { get; set; } = [];
}

/// <summary>What a transparency-log entry records.</summary>
public enum LogEntryKind
{
    /// <summary>An accepted submission's envelope.</summary>
    Submission = 0,

    /// <summary>A review decision.</summary>
    Decision = 1,

    /// <summary>A certificate revocation.</summary>
    Revocation = 2,
}

/// <summary>One entry of the append-only transparency log.</summary>
public sealed class LogEntry
{
    /// <summary>0-based position, assigned sequentially inside the commit transaction: no gaps.</summary>
    public long Index { get; set; }

    /// <summary>What the entry records.</summary>
    public LogEntryKind Kind { get; set; }

    /// <summary>
    /// The Merkle leaf hash of the entry (RFC 9162 §2.1.1: SHA-256(0x00 ‖ entry bytes)); for a submission
    /// the entry bytes are the envelope as received.
    /// </summary>
    public byte[] EntrySha256 { get; set; } = [];

    /// <summary>The submission for a <see cref="LogEntryKind.Submission"/> entry; null for other kinds.</summary>
    public long? SubmissionId { get; set; }

    /// <summary>The submission row for <see cref="SubmissionId"/> (set when appending, so the key is filled in on insert).</summary>
    public Submission? Submission { get; set; }

    /// <summary>What the entry refers to for other kinds (e.g. a decision id or certificate serial); null for submissions.</summary>
    public string? Reference { get; set; }

    /// <summary>When the entry was appended.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The review states a decision may set (design §6); stored by name.</summary>
public enum DecisionState
{
    /// <summary>The revision counts in the certified totals.</summary>
    Accepted = 1,

    /// <summary>The revision never counts as certified.</summary>
    Rejected = 2,

    /// <summary>The station must recount and send a new revision.</summary>
    RecountRequested = 3,
}

/// <summary>
/// A verifier's decision on one submission: append-only and at most one per submission (decisions are final per
/// revision, design §6). Never updated or deleted; a changed outcome needs a new revision with its own decision.
/// </summary>
public sealed class ReviewDecisionRow
{
    /// <summary>Database identity, in commit order.</summary>
    public long Id { get; set; }

    /// <summary>The decided submission (unique: one decision per submission).</summary>
    public long SubmissionId { get; set; }

    /// <summary>The new state.</summary>
    public DecisionState State { get; set; }

    /// <summary>The verifier's reason, trimmed; never empty.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>The verifier's identity URI from their client certificate.</summary>
    public string VerifierUri { get; set; } = string.Empty;

    /// <summary>When the decision was recorded (Central's clock).</summary>
    public DateTimeOffset DecidedAt { get; set; }

    /// <summary>The transparency-log index of the decision's entry.</summary>
    public long LogIndex { get; set; }

    /// <summary>
    /// The log entry exactly as hashed into the log: PAE(<c>application/vnd.transmission.decision.v1+protobuf</c>,
    /// <c>transmission.v1.LoggedDecision</c>) (see docs/protocol.md).
    /// </summary>
    public byte[] EntryBytes { get; set; } = [];
}

/// <summary>Something security-relevant that happened (conflict, stale revision, refused caller...).</summary>
public sealed class SecurityEvent
{
    /// <summary>Database identity.</summary>
    public long Id { get; set; }

    /// <summary>When it happened (Central's clock).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Stable kind code, e.g. SUBMISSION_CONFLICT or SUBMISSION_STALE.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>The remote address, when known.</summary>
    public string? Peer { get; set; }

    /// <summary>The caller's identity URI from its certificate, when known.</summary>
    public string? CallerUri { get; set; }

    /// <summary>Human-readable detail; never payload bytes.</summary>
    public string Detail { get; set; } = string.Empty;
}

/// <summary>
/// A stored node of the log's Merkle tree: the root of the complete subtree over leaves
/// [Index·2^Level, (Index+1)·2^Level), for Level ≥ 1 (level 0 is <see cref="LogEntry.EntrySha256"/>). Written once,
/// in the transaction that completes the subtree; never rewritten (see <see cref="Transmission.Core.Log.IMerkleNodeReader"/>).
/// </summary>
public sealed class MerkleNode
{
    /// <summary>Height above the leaves (1 or more).</summary>
    public int Level { get; set; }

    /// <summary>Position among the nodes of <see cref="Level"/>.</summary>
    public long Index { get; set; }

    /// <summary>The 32-byte node hash (RFC 9162 §2.1.1).</summary>
    public byte[] Hash { get; set; } = [];
}

/// <summary>A checkpoint Central signed (append-only; the last one is what the next must be consistent with).</summary>
public sealed class CheckpointRow
{
    /// <summary>The tree size signed: the primary key, since Central never signs two checkpoints of one size.</summary>
    public long TreeSize { get; set; }

    /// <summary>The 32-byte root hash at <see cref="TreeSize"/>.</summary>
    public byte[] RootHash { get; set; } = [];

    /// <summary>The signed note exactly as issued (C2SP signed-note text, UTF-8).</summary>
    public string Note { get; set; } = string.Empty;

    /// <summary>When Central signed it (Central's clock).</summary>
    public DateTimeOffset SignedAt { get; set; }
}

/// <summary>
/// A CRL Central put in force (docs/protocol.md section 3), stored exactly as loaded: append-only, one row per cRLNumber.
/// The audit bundle exports each as <c>pki/crls/&lt;Number&gt;.crl.pem</c>.
/// </summary>
public sealed class RevocationListRow
{
    /// <summary>Database identity, in the order the lists were put in force.</summary>
    public long Id { get; set; }

    /// <summary>The cRLNumber (unique; only ever increases).</summary>
    public long Number { get; set; }

    /// <summary>SHA-256 of <see cref="Der"/> (unique).</summary>
    public byte[] Sha256 { get; set; } = [];

    /// <summary>The CRL's DER encoding exactly as loaded.</summary>
    public byte[] Der { get; set; } = [];

    /// <summary>The CRL's thisUpdate.</summary>
    public DateTimeOffset ThisUpdate { get; set; }

    /// <summary>When Central put it in force (Central's clock).</summary>
    public DateTimeOffset LoadedAt { get; set; }
}

/// <summary>
/// A certificate revocation Central appended to the log: one row per serial, for the first stored CRL that revoked it.
/// Append-only, never updated or deleted.
/// </summary>
public sealed class RevocationRow
{
    /// <summary>Database identity.</summary>
    public long Id { get; set; }

    /// <summary>The serial as canonical upper-case hex (leading zero bytes removed); unique.</summary>
    public string SerialNumber { get; set; } = string.Empty;

    /// <summary>The revocation date the CRL states.</summary>
    public DateTimeOffset RevokedAt { get; set; }

    /// <summary>The RFC 5280 CRLReason code (0 = unspecified or absent).</summary>
    public int Reason { get; set; }

    /// <summary>The certificate's identity URI when Central knew the certificate; empty otherwise.</summary>
    public string SubjectUri { get; set; } = string.Empty;

    /// <summary>The stored CRL that first carried the revocation.</summary>
    public long RevocationListId { get; set; }

    /// <summary>The row for <see cref="RevocationListId"/> (set when appending, so the key is filled in on insert).</summary>
    public RevocationListRow? RevocationList { get; set; }

    /// <summary>The transparency-log index of the revocation's entry (unique).</summary>
    public long LogIndex { get; set; }

    /// <summary>
    /// The log entry exactly as hashed into the log: PAE(<c>application/vnd.transmission.revocation.v1+protobuf</c>,
    /// <c>transmission.v1.LoggedRevocation</c>) (see docs/protocol.md section 3).
    /// </summary>
    public byte[] EntryBytes { get; set; } = [];
}
