namespace Transmission.Core.Envelope;

/// <summary>
/// A DSSE envelope: a payload, its type and one or more signatures over <see cref="Pae"/>(type, payload).
/// The first signature is the chair's station signature; any further ones are committee co-signatures.
/// </summary>
/// <param name="PayloadType">The payload type (see <see cref="PayloadTypes"/>); authenticated by every signature.</param>
/// <param name="Payload">The exact signed bytes. Never re-serialize a parsed payload to verify it.</param>
/// <param name="Signatures">The signatures, chair first.</param>
public sealed record SignedEnvelope(string PayloadType, ReadOnlyMemory<byte> Payload, IReadOnlyList<EnvelopeSignature> Signatures);

/// <summary>One signature entry of a <see cref="SignedEnvelope"/>.</summary>
/// <param name="Algorithm">The algorithm and encoding, e.g. <see cref="EcdsaP256.AlgorithmName"/>.</param>
/// <param name="Signature">The signature bytes in that encoding. ECDSA signatures are malleable: never index on them.</param>
/// <param name="CertificateDer">The signer's X.509 certificate, DER.</param>
/// <param name="KeyId">Lowercase hex SHA-256 of <paramref name="CertificateDer"/> (a hint; the verifier checks it matches).</param>
public sealed record EnvelopeSignature(string Algorithm, ReadOnlyMemory<byte> Signature, ReadOnlyMemory<byte> CertificateDer, string KeyId);
