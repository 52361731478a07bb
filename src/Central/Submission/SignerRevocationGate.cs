using System.Globalization;
using Transmission.Central.Pki;
using Transmission.Central.Storage;
using Transmission.Core.Pki;

namespace Transmission.Central.Submission;

/// <summary>
/// The store's last check of a submission (<see cref="SubmissionGate"/>): the chair signer must not be revoked, at or
/// before the moment the writer comes to it, by the CRL in force then. A CRL put in force while a protocol's attachments
/// were still arriving thus refuses it too (nothing of it was stored yet), and nothing signed with a revoked key is ever
/// appended to the log after that key's revocation entry (which an auditor checks). Only a dictionary lookup: it runs on
/// the single writer.
/// </summary>
public static class SignerRevocationGate
{
    /// <summary>The gate over <paramref name="trust"/>'s CRL in force, at <paramref name="time"/>'s now.</summary>
    public static SubmissionGate For(ReloadableElectionTrust trust, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(time);
        return pending =>
            pending.SignerSerialNumber is { } serial && trust.Current.Revocations.Find(serial) is { } entry && entry.RevokedAt <= time.GetUtcNow()
                ? new SubmissionSignerUntrusted(
                    PkiFailure.Revoked.ToReasonCode(),
                    string.Create(CultureInfo.InvariantCulture, $"serial {serial} revoked at {entry.RevokedAt.UtcDateTime:u} ({entry.Reason?.ToString() ?? "no reason"})"))
                : null;
    }
}
