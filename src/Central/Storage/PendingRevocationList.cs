namespace Transmission.Central.Storage;

/// <summary>
/// A CRL Central has put in force, waiting to be stored with the log entries of its revocations. The store decides
/// inside its transaction which revocations are new (no earlier stored CRL revoked the serial) and appends only those.
/// </summary>
/// <param name="Number">The cRLNumber.</param>
/// <param name="Der">The CRL's DER encoding exactly as loaded.</param>
/// <param name="Sha256">SHA-256 of <paramref name="Der"/> (32 bytes).</param>
/// <param name="ThisUpdate">The CRL's thisUpdate.</param>
/// <param name="LoadedAt">When Central put it in force (Central's clock).</param>
/// <param name="Revocations">Every revocation the CRL carries, with its entry bytes built for this CRL, in log order.</param>
public sealed record PendingRevocationList(
    long Number,
    byte[] Der,
    byte[] Sha256,
    DateTimeOffset ThisUpdate,
    DateTimeOffset LoadedAt,
    IReadOnlyList<PendingRevocation> Revocations);

/// <summary>One revocation of a <see cref="PendingRevocationList"/>.</summary>
/// <param name="SerialNumber">Canonical serial hex (see <see cref="Transmission.Core.Pki.RevocationEntry.CanonicalSerial(string)"/>).</param>
/// <param name="RevokedAt">The revocation date the CRL states.</param>
/// <param name="Reason">The RFC 5280 CRLReason code (0 when absent).</param>
/// <param name="SubjectUri">The certificate's identity URI when Central knows it; empty otherwise.</param>
/// <param name="EntryBytes">The log entry: PAE(revocation type, LoggedRevocation) (see <see cref="RevocationRow.EntryBytes"/>).</param>
public sealed record PendingRevocation(string SerialNumber, DateTimeOffset RevokedAt, int Reason, string SubjectUri, byte[] EntryBytes);

/// <summary>What happened to a <see cref="PendingRevocationList"/>; every case is final for that attempt.</summary>
public abstract record RevocationListOutcome;

/// <summary>Stored with the log entries of its new revocations; the transaction has committed.</summary>
/// <param name="Appended">The log index of each revocation appended, by serial (empty when every serial was already logged).</param>
public sealed record RevocationListStored(IReadOnlyDictionary<string, long> Appended) : RevocationListOutcome;

/// <summary>The same CRL (same number, same bytes) is already stored: nothing written.</summary>
public sealed record RevocationListAlreadyStored : RevocationListOutcome;

/// <summary>
/// Not stored: its number is lower than a stored CRL's, or a stored CRL has its number or its bytes but not both.
/// Nothing written.
/// </summary>
/// <param name="Reason">Readable reason.</param>
public sealed record RevocationListRefused(string Reason) : RevocationListOutcome;

/// <summary>The database could not commit; nothing was written; try again later.</summary>
/// <param name="Reason">Short reason for logs.</param>
public sealed record RevocationListStorageUnavailable(string Reason) : RevocationListOutcome;
