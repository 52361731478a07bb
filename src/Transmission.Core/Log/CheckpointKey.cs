using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Transmission.Core.Envelope;

namespace Transmission.Core.Log;

/// <summary>
/// A log's public verification key for checkpoint notes: a C2SP signed-note key name, an ECDSA P-256 public key and
/// the 32-bit key ID derived from both.
/// </summary>
/// <remarks>
/// C2SP signed-note type <c>0x02</c> (ECDSA as in transparency-dev/witness) uses ASN.1 DER signatures and a key ID
/// without the key name; our envelope primitive is <see cref="EcdsaP256"/> (IEEE P1363). So, as the spec allows, we
/// use the unassigned-type byte <c>0xff</c> followed by the identifier <see cref="SignatureTypeIdentifier"/>:
/// <code>
/// key ID    = SHA-256(key name ‖ 0x0A ‖ 0xFF ‖ "transmission.ecdsa-p256-sha256-p1363" ‖ 0x0A ‖ SPKI DER of the public key)[:4], big-endian
/// signature = key ID (4 bytes) ‖ ECDSA-P256-SHA256(note text), IEEE P1363 r ‖ s (64 bytes)
/// </code>
/// See docs/protocol.md, section 10.5.3.
/// </remarks>
public sealed class CheckpointKey
{
    /// <summary>The signed-note signature type byte: <c>0xff</c>, "no identifier byte assigned", followed by <see cref="SignatureTypeIdentifier"/>.</summary>
    public const byte SignatureType = 0xff;

    /// <summary>The longer identifier that follows <see cref="SignatureType"/> in the key ID hash.</summary>
    public const string SignatureTypeIdentifier = "transmission.ecdsa-p256-sha256-p1363";

    /// <summary>A key from its name and P-256 public key (the caller keeps ownership of <paramref name="publicKey"/>).</summary>
    public CheckpointKey(string name, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!IsValidKeyName(name))
        {
            throw new ArgumentException("A key name is non-empty, without spaces, '+' or control characters.", nameof(name));
        }

        if (publicKey.KeySize != 256)
        {
            throw new ArgumentException("A checkpoint key is ECDSA P-256.", nameof(publicKey));
        }

        Name = name;
        PublicKey = publicKey;
        KeyId = ComputeKeyId(name, publicKey.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The key name, which is also the log's checkpoint origin.</summary>
    public string Name { get; }

    /// <summary>The P-256 public key.</summary>
    public ECDsa PublicKey { get; }

    /// <summary>The 32-bit key ID (see the remarks on <see cref="CheckpointKey"/>).</summary>
    public uint KeyId { get; }

    /// <summary>SHA-256(name ‖ 0x0A ‖ 0xFF ‖ identifier ‖ 0x0A ‖ <paramref name="subjectPublicKeyInfo"/>)[:4], big-endian.</summary>
    public static uint ComputeKeyId(string name, ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(name));
        sha.AppendData([0x0A, SignatureType]);
        sha.AppendData(Encoding.ASCII.GetBytes(SignatureTypeIdentifier));
        sha.AppendData([0x0A]);
        sha.AppendData(subjectPublicKeyInfo);
        return BinaryPrimitives.ReadUInt32BigEndian(sha.GetHashAndReset());
    }

    /// <summary>C2SP signed-note key names: non-empty, no Unicode spaces, no '+'; we also refuse control characters.</summary>
    public static bool IsValidKeyName(string name) =>
        !string.IsNullOrEmpty(name) && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '+');
}
