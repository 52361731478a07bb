using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Central.Pki;
using Transmission.Central.Storage;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Log;
using Transmission.Core.Pki;

namespace Transmission.Central.Submission;

/// <summary>
/// Signs checkpoints and receipts with Central's receipt/log signing key (profile central-signing). The store calls it
/// inside the commit transaction, once the batch's tree is complete, and stores the receipt bytes with the submission,
/// so a duplicate is answered with the very same bytes.
/// </summary>
public sealed class ReceiptIssuer : ILogIssuer, IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly ECDsa _key;
    private readonly CentralElection _election;

    private ReceiptIssuer(X509Certificate2 certificate, ECDsa key, CentralElection election)
    {
        _certificate = certificate;
        _key = key;
        _election = election;
        Origin = LogEntryTypes.Origin(election.Definition.ElectionId);
    }

    /// <inheritdoc/>
    public string Origin { get; }

    /// <summary>The signing certificate (public part) receipts carry.</summary>
    public X509Certificate2 Certificate => _certificate;

    /// <summary>
    /// Loads the PEM certificate and key and checks, at <paramref name="at"/>, that the certificate is a central-signing
    /// certificate of the election root. Throws <see cref="InvalidOperationException"/> with one line otherwise.
    /// </summary>
    public static ReceiptIssuer Load(string certificatePath, string keyPath, ElectionTrust trust, DateTimeOffset at, CentralElection election)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(election);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"Central:Pki:SigningCertificate/SigningKey '{certificatePath}', '{keyPath}' cannot be loaded: {e.Message}", e);
        }

        var check = trust.Validate(certificate, CertificatePurpose.Signing, at);
        if (!check.IsSuccess)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"The receipt signing certificate {certificatePath} is not usable: {check.ReasonCode}: {check.Detail}");
        }

        if (check.Value.Role != Role.Central)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"The receipt signing certificate {certificatePath} names {check.Value.Uri}, not a central identity (use the signing.cert.pem of 'pki issue-central').");
        }

        var key = certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"The receipt signing key {keyPath} is not an ECDSA key.");
        return new ReceiptIssuer(certificate, key, election);
    }

    /// <inheritdoc/>
    public CheckpointResult SignCheckpoint(Checkpoint next, Checkpoint? lastSigned, IReadOnlyList<byte[]> consistencyProof) =>
        new CheckpointSigner(Origin, _key, lastSigned).Sign(next, consistencyProof);

    /// <inheritdoc/>
    public byte[] IssueReceipt(PendingSubmission submission, long logIndex, string checkpointNote, IReadOnlyList<byte[]> inclusionProof)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(checkpointNote);
        ArgumentNullException.ThrowIfNull(inclusionProof);
        var body = new ReceiptBody
        {
            ElectionId = submission.ElectionId,
            Mode = (ElectionMode)(int)_election.Definition.Mode,
            EnvelopeSha256 = ByteString.CopyFrom(submission.EnvelopeSha256),
            PayloadSha256 = ByteString.CopyFrom(submission.PayloadSha256),
            StationCode = submission.StationCode,
            Revision = checked((uint)submission.Revision),
            LogIndex = checked((ulong)logIndex),
            ReceivedAt = Timestamp.FromDateTimeOffset(submission.ReceivedAt),
            VerifiedCosignatures = checked((uint)submission.VerifiedCosignatures),
            Checkpoint = ByteString.CopyFromUtf8(checkpointNote),
        };
        foreach (var hash in inclusionProof)
        {
            body.InclusionProof.Add(ByteString.CopyFrom(hash));
        }

        return Receipts.Issue(body, _key, _certificate);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _key.Dispose();
        _certificate.Dispose();
    }
}
