using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Central.Storage;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;

namespace Transmission.Central.Pki;

/// <summary>
/// The transparency-log entry of a certificate revocation Central put in force: PAE(<see cref="SubmissionStore.RevocationEntryType"/>,
/// <c>transmission.v1.LoggedRevocation</c>) (docs/protocol.md section 3). The PAE frame names the type, so the entry
/// cannot be read as an envelope or a decision.
/// </summary>
public static class RevocationEntries
{
    /// <summary>The entry bytes for <paramref name="entry"/> of <paramref name="crl"/>, first put in force at <paramref name="observedAt"/>.</summary>
    /// <param name="electionId">The election Central serves.</param>
    /// <param name="entry">The revoked certificate as the CRL lists it.</param>
    /// <param name="subjectUri">The certificate's identity when Central knows it; empty otherwise.</param>
    /// <param name="crl">The CRL (its number; <see cref="RevocationList.RawData"/> is hashed).</param>
    /// <param name="observedAt">When Central put the CRL in force (its clock).</param>
    public static byte[] Create(string electionId, RevocationEntry entry, string subjectUri, RevocationList crl, DateTimeOffset observedAt)
    {
        ArgumentNullException.ThrowIfNull(electionId);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(subjectUri);
        ArgumentNullException.ThrowIfNull(crl);
        var logged = new LoggedRevocation
        {
            ElectionId = electionId,
            SerialNumber = ByteString.CopyFrom(RevocationEntry.SerialBytes(entry.SerialNumber)),
            SubjectUri = subjectUri,
            RevokedAt = Timestamp.FromDateTimeOffset(entry.RevokedAt),
            Reason = ReasonCode(entry),
            CrlNumber = checked((ulong)crl.Number),
            CrlSha256 = ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(crl.RawData.Span)),
            ObservedAt = Timestamp.FromDateTimeOffset(observedAt),
        };
        return Pae.Encode(SubmissionStore.RevocationEntryType, logged.ToByteArray());
    }

    /// <summary>The RFC 5280 CRLReason code of <paramref name="entry"/> (0, unspecified, when the CRL gives none).</summary>
    public static uint ReasonCode(RevocationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Reason is { } reason ? (uint)(int)reason : 0;
    }
}
