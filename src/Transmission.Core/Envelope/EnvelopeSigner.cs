using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Core.Envelope;

/// <summary>
/// Creates signed envelopes: the chair's station signature first, then committee co-signatures, each
/// <c>ecdsa-p256-sha256</c> (IEEE P1363) over <see cref="Pae"/>(type, payload) and carrying its certificate.
/// </summary>
/// <remarks>
/// Signing with a key that does not belong to the certificate, or adding the same certificate twice, is a
/// programming error and throws; whether the certificate is trusted is the verifier's decision.
/// </remarks>
public static class EnvelopeSigner
{
    /// <summary>Signs <paramref name="payload"/> (the exact bytes that will be stored) as the envelope's first signer.</summary>
    /// <param name="payloadType">A well-formed payload type (<see cref="PayloadTypes.IsWellFormed"/>).</param>
    /// <param name="payload">The serialized payload.</param>
    /// <param name="key">The chair's signing private key (P-256).</param>
    /// <param name="certificate">The station signing certificate for <paramref name="key"/>.</param>
    public static SignedEnvelope Sign(string payloadType, ReadOnlyMemory<byte> payload, ECDsa key, X509Certificate2 certificate)
    {
        if (!PayloadTypes.IsWellFormed(payloadType))
        {
            throw new ArgumentException("The payload type must be 1-256 characters of visible ASCII.", nameof(payloadType));
        }

        var signature = CreateSignature(Pae.Encode(payloadType, payload.Span), key, certificate);
        return new SignedEnvelope(payloadType, payload, [signature]);
    }

    /// <summary>Adds a committee member's co-signature over the same PAE.</summary>
    public static SignedEnvelope AddCoSignature(SignedEnvelope envelope, ECDsa key, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Signatures.Count == 0)
        {
            throw new ArgumentException("Co-signatures follow the chair's signature; sign the envelope first.", nameof(envelope));
        }

        var signature = CreateSignature(Pae.Encode(envelope.PayloadType, envelope.Payload.Span), key, certificate);
        if (envelope.Signatures.Any(s => s.KeyId == signature.KeyId))
        {
            throw new ArgumentException("This certificate already signed the envelope.", nameof(certificate));
        }

        return envelope with { Signatures = [.. envelope.Signatures, signature] };
    }

    private static EnvelopeSignature CreateSignature(byte[] pae, ECDsa key, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(certificate);
        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(spki))
        {
            throw new ArgumentException("The key does not belong to the certificate.", nameof(key));
        }

        var der = certificate.RawData;
        return new EnvelopeSignature(
            EcdsaP256.AlgorithmName,
            EcdsaP256.Sign(key, pae),
            der,
            Convert.ToHexStringLower(SHA256.HashData(der)));
    }
}
