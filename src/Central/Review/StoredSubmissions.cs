using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Central.Storage;
using Transmission.Contracts.Mapping;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Protocol;
using ContractProtocol = Transmission.Contracts.V1.ResultProtocol;

namespace Transmission.Central.Review;

/// <summary>The chair's signature as Central verified it: the signing certificate and the algorithm.</summary>
/// <param name="Algorithm">The signature entry's algorithm, e.g. <c>ecdsa-p256-sha256-p1363</c>.</param>
/// <param name="Uri">The station URI in the certificate (empty if it names none: Central would not have stored it).</param>
/// <param name="Subject">The certificate's subject.</param>
/// <param name="Serial">The certificate's serial number, lowercase hex.</param>
/// <param name="CertificateSha256">SHA-256 of the certificate's DER.</param>
/// <param name="NotBefore">Start of validity (UTC).</param>
/// <param name="NotAfter">End of validity (UTC).</param>
public sealed record SignerFacts(string Algorithm, string Uri, string Subject, string Serial, byte[] CertificateSha256, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>What Central checked about one stored revision, read back from the envelope it stored after verifying it.</summary>
/// <param name="PayloadType">The envelope's payload type.</param>
/// <param name="PayloadSha256">SHA-256 of the signed payload: the protocol's identity.</param>
/// <param name="Signer">The chair's signature, or <see langword="null"/> for an envelope without one (never stored).</param>
/// <param name="VerifiedCosignatures">Committee co-signatures that verified.</param>
/// <param name="RequiredCosignatures">Co-signatures the election requires.</param>
/// <param name="SignedAt">When the chair says it signed (from the payload).</param>
/// <param name="ReceivedAt">When Central received it (Central's clock).</param>
/// <param name="LogIndex">The envelope's position in the transparency log.</param>
/// <param name="DefinitionSha256">The election definition SHA-256 the protocol names.</param>
public sealed record SubmissionFacts(
    string PayloadType,
    byte[] PayloadSha256,
    SignerFacts? Signer,
    int VerifiedCosignatures,
    int RequiredCosignatures,
    DateTimeOffset? SignedAt,
    DateTimeOffset ReceivedAt,
    long LogIndex,
    byte[] DefinitionSha256);

/// <summary>One attachment of a stored submission, as stored (the bytes are a blob addressed by <paramref name="Sha256"/>).</summary>
/// <param name="Index">Position in the protocol's attachment list (0-based).</param>
/// <param name="Name">The file name the station gave.</param>
/// <param name="MediaType">The media type the station declared (one of <c>ProtocolRules.AttachmentMediaTypes</c>).</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">SHA-256 of the bytes.</param>
public sealed record StoredAttachment(int Index, string Name, string MediaType, long Size, byte[] Sha256);

/// <summary>One revision read back in full: the envelope exactly as stored, its protocol, what Central checked, the attachments.</summary>
/// <param name="EnvelopeBytes">The stored envelope bytes.</param>
/// <param name="Protocol">The signed protocol, decoded from the stored envelope.</param>
/// <param name="Facts">What was verified.</param>
/// <param name="Attachments">The attachments by index.</param>
public sealed record StoredRevision(byte[] EnvelopeBytes, ResultProtocol Protocol, SubmissionFacts Facts, IReadOnlyList<StoredAttachment> Attachments);

/// <summary>
/// Reads a revision the <see cref="ReviewBoard"/> shows back from storage for a verifier, the same way for every front
/// end (the gRPC <see cref="ReviewService"/> and the dashboard): the stored envelope, its verification facts and its
/// attachments.
/// </summary>
public sealed class StoredSubmissions(SubmissionQueries queries, ReviewOptions options)
{
    /// <summary>
    /// The stored envelope, facts and attachments of <paramref name="revision"/>, or <see langword="null"/> when storage
    /// no longer gives them back (the board only shows what it read from storage, so that is broken infrastructure).
    /// </summary>
    public async Task<StoredRevision?> ReadAsync(RevisionView revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var sha = Convert.FromHexString(revision.EnvelopeSha256Hex);
        var stored = await queries.FindByEnvelopeAsync(sha, cancellationToken);
        var envelopeBytes = await queries.GetBlobAsync(sha, cancellationToken);
        if (stored is null
            || envelopeBytes is null
            || EnvelopeMapping.Parse(envelopeBytes) is not { IsSuccess: true } parsed
            || DecodeProtocol(parsed.Envelope) is not { } protocol)
        {
            return null;
        }

        var attachments = stored.Attachments.OrderBy(a => a.Index).Select(ToStored).ToArray();
        return new StoredRevision(envelopeBytes, protocol, Facts(parsed.Envelope, protocol, revision, options.Anomalies.RequiredCosignatures), attachments);
    }

    /// <summary>
    /// The protocol signed in <paramref name="envelope"/>, or <see langword="null"/> when its payload does not decode
    /// (Central verified every stored envelope first, so for a stored one that means the stored bytes changed).
    /// </summary>
    public static ResultProtocol? DecodeProtocol(SignedEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        try
        {
            var mapped = ContractProtocol.Parser.ParseFrom(envelope.Payload.Span).ToDomain();
            return mapped.IsSuccess ? mapped.Value : null;
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>
    /// Attachment <paramref name="index"/> of the stored (accepted) submission whose envelope has SHA-256
    /// <paramref name="envelopeSha256"/>, or <see langword="null"/> when there is none.
    /// </summary>
    public async Task<StoredAttachment?> FindAttachmentAsync(byte[] envelopeSha256, int index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelopeSha256);
        var stored = await queries.FindByEnvelopeAsync(envelopeSha256, cancellationToken);
        var attachment = stored?.Status == SubmissionStatus.Accepted
            ? stored.Attachments.SingleOrDefault(a => a.Index == index)
            : null;
        return attachment is null ? null : ToStored(attachment);
    }

    /// <summary>The bytes of <paramref name="attachment"/> exactly as stored, or <see langword="null"/> when storage lost them.</summary>
    public Task<byte[]?> ReadContentAsync(StoredAttachment attachment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return queries.GetBlobAsync(attachment.Sha256, cancellationToken);
    }

    /// <summary>What Central checked, read back from the stored envelope (it was verified before it was stored).</summary>
    public static SubmissionFacts Facts(SignedEnvelope envelope, ResultProtocol protocol, RevisionView revision, int requiredCosignatures)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(revision);
        SignerFacts? signer = null;
        if (envelope.Signatures.Count > 0)
        {
            var chair = envelope.Signatures[0];
            using var certificate = X509CertificateLoader.LoadCertificate(chair.CertificateDer.Span);
            signer = new SignerFacts(
                chair.Algorithm,
                CallerIdentity.FromCertificate(certificate).Value?.Uri ?? string.Empty,
                certificate.Subject,
                certificate.SerialNumber.ToLowerInvariant(),
                SHA256.HashData(chair.CertificateDer.Span),
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        }

        return new SubmissionFacts(
            envelope.PayloadType,
            SHA256.HashData(envelope.Payload.Span),
            signer,
            revision.VerifiedCosignatures,
            requiredCosignatures,
            protocol.SignedAt,
            revision.ReceivedAt,
            revision.LogIndex,
            protocol.DefinitionSha256.ToArray());
    }

    private static StoredAttachment ToStored(SubmissionAttachment attachment) =>
        new(attachment.Index, attachment.Name, attachment.MediaType, attachment.Size, attachment.BlobSha256);
}
