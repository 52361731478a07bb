using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;

namespace Transmission.Core.Envelope;

/// <summary>
/// A signer certificate parsed once: the certificate, its lowercase hex SHA-256 (the keyid) and, when it is an
/// ECDSA P-256 key, the public key ready to verify.
/// </summary>
public sealed class SignerCertificate
{
    // .NET does not document ECDsa instances as safe for concurrent use, so calls on one key are serialized;
    // different signers still verify in parallel.
    private readonly Lock _gate = new();
    private readonly ECDsa? _publicKey;

    private SignerCertificate(string sha256, X509Certificate2 certificate, ECDsa? publicKey)
    {
        Sha256 = sha256;
        Certificate = certificate;
        _publicKey = publicKey;
    }

    /// <summary>Lowercase hex SHA-256 of the certificate's DER.</summary>
    public string Sha256 { get; }

    /// <summary>The parsed certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Whether the subject key is ECDSA on NIST P-256 (judged from its SubjectPublicKeyInfo).</summary>
    public bool IsP256 => _publicKey is not null;

    /// <summary>
    /// Parses <paramref name="der"/>. Fails (returns <see langword="false"/>) for anything that is not exactly one DER
    /// certificate: trailing bytes would give one certificate two digests and let it sign twice.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> der, [NotNullWhen(true)] out SignerCertificate? certificate)
    {
        certificate = null;
        X509Certificate2 parsed;
        try
        {
            parsed = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return false;
        }

        if (!parsed.RawDataMemory.Span.SequenceEqual(der))
        {
            parsed.Dispose();
            return false;
        }

        ECDsa? key = null;
        if (ElectionCa.IsP256(parsed.PublicKey))
        {
            try
            {
                key = parsed.GetECDsaPublicKey();
            }
            catch (CryptographicException)
            {
                key = null;
            }
        }

        certificate = new SignerCertificate(Convert.ToHexStringLower(SHA256.HashData(der)), parsed, key);
        return true;
    }

    /// <summary>Verifies an <c>ecdsa-p256-sha256</c> signature with this certificate's key (<see langword="false"/> if it is not P-256).</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (_publicKey is null)
        {
            return false;
        }

        lock (_gate)
        {
            return EcdsaP256.Verify(_publicKey, message, signature);
        }
    }
}

/// <summary>
/// Parsed signer certificates keyed by the SHA-256 of their DER, so a verification does not re-parse a certificate
/// or re-import its key. Bounded and thread-safe.
/// </summary>
/// <remarks>
/// Two generations: new entries go into the current one; when it holds half the capacity it becomes the previous
/// one and the older previous generation is dropped. A hit in the previous generation is copied forward, so
/// certificates in use survive and memory never exceeds the capacity (500,000 stations simply mean more misses,
/// each costing one parse). Dropped entries are not disposed (another thread may be using one); their native
/// handles are released by finalization.
/// Only time-independent parsing is cached here: trust decisions come from <see cref="ElectionTrust"/> on every
/// verification (it caches the chain outcome per certificate itself; validity, usage and revocation depend on the
/// time and CRL and must not be cached). Callers should add only certificates that chain to the election root,
/// so that a flood of foreign certificates cannot evict the stations' ones.
/// </remarks>
public sealed class SignerCertificateCache
{
    /// <summary>Entries kept at most. Defaults to 262,144 (roughly 1 GB at a few KB per parsed certificate and key).</summary>
    public const int DefaultCapacity = 262_144;

    private readonly Lock _gate = new();
    private readonly int _generationSize;
    private Generation _current = new();
    private Generation _previous = new();

    /// <summary>A cache of at most <paramref name="capacity"/> certificates (at least 2).</summary>
    public SignerCertificateCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        Capacity = capacity;
        _generationSize = capacity / 2;
    }

    /// <summary>The most entries held at once.</summary>
    public int Capacity { get; }

    /// <summary>Entries currently held (approximate while other threads add).</summary>
    public int Count => Volatile.Read(ref _current).Count + Volatile.Read(ref _previous).Count;

    /// <summary>The certificate whose DER has SHA-256 <paramref name="sha256"/> (lowercase hex), if cached.</summary>
    public bool TryGet(string sha256, [NotNullWhen(true)] out SignerCertificate? certificate)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (Volatile.Read(ref _current).Entries.TryGetValue(sha256, out certificate))
        {
            return true;
        }

        if (Volatile.Read(ref _previous).Entries.TryGetValue(sha256, out certificate))
        {
            Add(certificate);
            return true;
        }

        return false;
    }

    /// <summary>Adds (or keeps) <paramref name="certificate"/>.</summary>
    public void Add(SignerCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var generation = Volatile.Read(ref _current);
        if (generation.Entries.TryAdd(certificate.Sha256, certificate) && Interlocked.Increment(ref generation.Added) >= _generationSize)
        {
            lock (_gate)
            {
                if (ReferenceEquals(_current, generation))
                {
                    Volatile.Write(ref _previous, generation);
                    Volatile.Write(ref _current, new Generation());
                }
            }
        }
    }

    private sealed class Generation
    {
        public readonly ConcurrentDictionary<string, SignerCertificate> Entries = new(StringComparer.Ordinal);
        public int Added;

        public int Count => Volatile.Read(ref Added);
    }
}
