namespace Transmission.Central.Storage;

/// <summary>An attachment's bytes as received, with the name and media type the protocol gives.</summary>
public sealed record PendingAttachment(string Name, string MediaType, byte[] Bytes);

/// <summary>
/// A verified envelope waiting to be stored. Everything here has already been checked by the caller
/// (signature, signer, payload binding); the store applies only the duplicate/conflict/stale rules.
/// </summary>
/// <param name="ElectionId">The election the protocol is for.</param>
/// <param name="StationCode">The station (already matched against the caller's certificate).</param>
/// <param name="Revision">The protocol's revision (1 or more).</param>
/// <param name="PayloadSha256">SHA-256 of the DSSE payload (32 bytes).</param>
/// <param name="EnvelopeBytes">The envelope exactly as received.</param>
/// <param name="EnvelopeSha256">SHA-256 of <paramref name="EnvelopeBytes"/> (32 bytes).</param>
/// <param name="SignerCertificateSha256">SHA-256 of the chair's certificate DER (32 bytes).</param>
/// <param name="Flags">Arithmetic rule codes that flagged the protocol (may be empty).</param>
/// <param name="VerifiedCosignatures">How many committee co-signatures verified.</param>
/// <param name="Attachments">The attachments, in protocol order.</param>
/// <param name="ReceivedAt">When Central received it (from its TimeProvider).</param>
public sealed record PendingSubmission(
    string ElectionId,
    string StationCode,
    int Revision,
    byte[] PayloadSha256,
    byte[] EnvelopeBytes,
    byte[] EnvelopeSha256,
    byte[] SignerCertificateSha256,
    IReadOnlyList<string> Flags,
    int VerifiedCosignatures,
    IReadOnlyList<PendingAttachment> Attachments,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The caller's remote address, recorded with a security event. Optional.</summary>
    public string? Peer { get; init; }

    /// <summary>The caller's identity URI, recorded with a security event. Optional.</summary>
    public string? CallerUri { get; init; }

    /// <summary>The chair signer certificate's serial (canonical hex), for the writer's <see cref="SubmissionGate"/>. Optional.</summary>
    public string? SignerSerialNumber { get; init; }
}
