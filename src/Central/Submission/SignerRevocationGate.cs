using System.Globalization;
using Transmission.Central.Pki;
using Transmission.Central.Storage;
using Transmission.Core.Pki;

namespace Transmission.Central.Submission;

/// <summary>
/// The store's last check of a submission (<see cref="SubmissionGate"/>): the chair signer must not be revoked, at or
/// before the receive time, by the CRL in force when the writer comes to it. A CRL put in force while a protocol's
/// attachments were still arriving thus refuses it, and no submission of a revoked signer is logged after its
/// revocation entry. Only a dictionary lookup: it runs on the single writer.
/// </summary>
public static class SignerRevocationGate
{
    /// <summary>The gate over <paramref name="trust"/>'s CRL in force.</summary>
    public static SubmissionGate For(ReloadableElectionTrust trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        return pending =>
            pending.SignerSerialNumber is { } serial && trust.Current.Revocations.Find(serial) is { } entry && entry.RevokedAt <= pending.ReceivedAt
                ? new SubmissionSignerUntrusted(
                    PkiFailure.Revoked.ToReasonCode(),
                    string.Create(CultureInfo.InvariantCulture, $"serial {serial} revoked at {entry.RevokedAt.UtcDateTime:u} ({entry.Reason?.ToString() ?? "no reason"})"))
                : null;
    }
}
