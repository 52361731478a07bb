using System.Security.Cryptography;

namespace Transmission.Core.Envelope;

/// <summary>
/// The <c>ecdsa-p256-sha256</c> signature primitive: ECDSA over NIST P-256 with SHA-256 of the message, signature
/// encoded as IEEE P1363 (r || s, each a 32-byte big-endian integer, 64 bytes in all), through
/// System.Security.Cryptography (OpenSSL on Linux). Tested with the Wycheproof ecdsa_secp256r1_sha256_p1363 vectors.
/// </summary>
public static class EcdsaP256
{
    /// <summary>The algorithm name carried in each envelope signature entry.</summary>
    public const string AlgorithmName = "ecdsa-p256-sha256";

    /// <summary>The size of an IEEE P1363 P-256 signature: 64 bytes.</summary>
    public const int SignatureSize = 64;

    /// <summary>Signs SHA-256(<paramref name="message"/>) with a P-256 private key; returns 64 bytes.</summary>
    public static byte[] Sign(ECDsa privateKey, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.KeySize != 256)
        {
            throw new ArgumentException("ecdsa-p256-sha256 needs a P-256 key.", nameof(privateKey));
        }

        return privateKey.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is a valid IEEE P1363 signature of SHA-256(<paramref name="message"/>) under
    /// <paramref name="publicKey"/>. Anything but exactly 64 bytes is refused before any arithmetic (no short or padded
    /// encodings); r and s outside [1, n-1] are refused by the library. Never throws for bad input.
    /// </summary>
    /// <remarks>The caller must have checked that the key is on P-256 (see <see cref="SignerCertificateCache"/>); only the size is checked here.</remarks>
    public static bool Verify(ECDsa publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (signature.Length != SignatureSize || publicKey.KeySize != 256)
        {
            return false;
        }

        try
        {
            return publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
