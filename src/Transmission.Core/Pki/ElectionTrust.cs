using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Core.Pki;

/// <summary>
/// Decides whether a certificate is trusted by this election for a purpose at a time: issued directly by the
/// election root (never the OS trust store), valid at that time, keyed for that purpose, naming a well-formed
/// identity of a role allowed that purpose, and not revoked at that time per the loaded CRL.
/// </summary>
/// <remarks>
/// The time is a parameter: for TLS it is now; for a signature it must be a time the verifier trusts (e.g. when
/// Central received and logged the envelope), never the signer's own claim. A certificate revoked after that time
/// still verifies, so submissions signed before a revocation stay verifiable (design §3).
/// Chain building and certificate parsing cost hundreds of microseconds, so their time-independent outcome is
/// cached per SHA-256 of the certificate's DER; validity, usage and revocation are checked on every call.
/// An instance is immutable and thread-safe; a new CRL is a new instance (<see cref="WithRevocations"/>).
/// </remarks>
public sealed class ElectionTrust
{
    /// <summary>Certificates whose chain outcome is cached before the cache is cleared: 200,000 (a TLS and a signing certificate for 100,000 stations).</summary>
    public const int DefaultCacheCapacity = 200_000;

    private readonly ConcurrentDictionary<string, CertificateFacts> _cache;
    private readonly int _cacheCapacity;
    private readonly DateTimeOffset _rootNotBefore;
    private readonly DateTimeOffset _rootNotAfter;

    /// <summary>A trust decision maker for one election root and CRL.</summary>
    /// <param name="root">The election root certificate (self-signed CA).</param>
    /// <param name="revocations">The CRL, already checked against <paramref name="root"/>; <see langword="null"/> means nothing is revoked.</param>
    /// <param name="cacheCapacity">See <see cref="DefaultCacheCapacity"/>.</param>
    public ElectionTrust(X509Certificate2 root, RevocationList? revocations = null, int cacheCapacity = DefaultCacheCapacity)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheCapacity, 1);
        var constraints = root.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true } || root.SubjectName.RawData.AsSpan().SequenceEqual(root.IssuerName.RawData) is false)
        {
            throw new ArgumentException("The election root must be a self-signed CA certificate.", nameof(root));
        }

        revocations ??= RevocationList.Empty(root);
        if (revocations.IssuerThumbprint != RevocationList.Thumbprint(root))
        {
            throw new ArgumentException("The CRL was checked against another root.", nameof(revocations));
        }

        Root = root;
        Revocations = revocations;
        _cache = new ConcurrentDictionary<string, CertificateFacts>(StringComparer.Ordinal);
        _cacheCapacity = cacheCapacity;
        _rootNotBefore = new DateTimeOffset(root.NotBefore.ToUniversalTime());
        _rootNotAfter = new DateTimeOffset(root.NotAfter.ToUniversalTime());
    }

    private ElectionTrust(ElectionTrust previous, RevocationList revocations)
    {
        Root = previous.Root;
        Revocations = revocations;
        // The cache holds only what does not depend on the CRL (chain, usage, identity, serial): sharing it is safe,
        // and it spares every connected station a chain rebuild after each new CRL.
        _cache = previous._cache;
        _cacheCapacity = previous._cacheCapacity;
        _rootNotBefore = previous._rootNotBefore;
        _rootNotAfter = previous._rootNotAfter;
    }

    /// <summary>The election root.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The CRL in force (empty if none was loaded).</summary>
    public RevocationList Revocations { get; }

    /// <summary>
    /// The same root with another CRL in force. No verdict carries over: revocation is looked up on every
    /// <see cref="Validate"/>; only the CRL-independent facts cache is shared.
    /// </summary>
    /// <param name="revocations">The new CRL, already checked against <see cref="Root"/>.</param>
    /// <exception cref="ArgumentException">The CRL was checked against another root.</exception>
    public ElectionTrust WithRevocations(RevocationList revocations)
    {
        ArgumentNullException.ThrowIfNull(revocations);
        if (revocations.IssuerThumbprint != RevocationList.Thumbprint(Root))
        {
            throw new ArgumentException("The CRL was checked against another root.", nameof(revocations));
        }

        return new ElectionTrust(this, revocations);
    }

    /// <summary>Roles allowed to use a certificate for a purpose.</summary>
    public static bool IsRoleAllowed(Role role, CertificatePurpose purpose) => purpose switch
    {
        CertificatePurpose.TlsClient => role is Role.Station or Role.Verifier or Role.Auditor,
        CertificatePurpose.TlsServer => role is Role.Central,
        CertificatePurpose.Signing => role is Role.Station or Role.Central,
        _ => false,
    };

    /// <summary>
    /// Validates <paramref name="certificate"/> for <paramref name="purpose"/> at <paramref name="at"/>.
    /// Returns the identity, or the first failure in this order: <c>CERTIFICATE_MISSING</c>, <c>UNTRUSTED_CHAIN</c>,
    /// <c>NOT_YET_VALID</c>, <c>EXPIRED</c>, <c>WRONG_KEY_USAGE</c>, <c>IDENTITY_*</c>, <c>REVOKED</c>.
    /// </summary>
    public PkiResult<CallerIdentity> Validate(X509Certificate2? certificate, CertificatePurpose purpose, DateTimeOffset at)
    {
        if (certificate is null)
        {
            return Fail(PkiFailure.CertificateMissing, "no certificate");
        }

        var facts = GetFacts(certificate);
        if (facts.ChainFailure is not null)
        {
            return Fail(PkiFailure.UntrustedChain, facts.ChainFailure);
        }

        if (at < facts.NotBefore || at < _rootNotBefore)
        {
            return Fail(PkiFailure.NotYetValid, $"valid from {Max(facts.NotBefore, _rootNotBefore):u}, checked at {at.UtcDateTime:u}");
        }

        if (at > facts.NotAfter || at > _rootNotAfter)
        {
            return Fail(PkiFailure.Expired, $"valid until {Min(facts.NotAfter, _rootNotAfter):u}, checked at {at.UtcDateTime:u}");
        }

        if (UsageProblem(facts, purpose) is { } problem)
        {
            return Fail(PkiFailure.WrongKeyUsage, problem);
        }

        if (!facts.Identity.IsSuccess)
        {
            return facts.Identity;
        }

        if (!IsRoleAllowed(facts.Identity.Value.Role, purpose))
        {
            return Fail(PkiFailure.IdentityWrongRole, $"{facts.Identity.Value.Uri} may not be used for {purpose}");
        }

        if (Revocations.Find(facts.SerialNumber) is { } entry && entry.RevokedAt <= at)
        {
            return Fail(PkiFailure.Revoked, $"serial {facts.SerialNumber} revoked at {entry.RevokedAt.UtcDateTime:u} ({entry.Reason?.ToString() ?? "no reason"})");
        }

        return facts.Identity;
    }

    private static string? UsageProblem(CertificateFacts facts, CertificatePurpose purpose)
    {
        if (facts.IsCa)
        {
            return "the certificate is a CA certificate";
        }

        if (facts.KeyUsage is not { } keyUsage || facts.ExtendedKeyUsages is not { } eku)
        {
            return "keyUsage and extendedKeyUsage are required";
        }

        var (needKu, needEku, forbiddenEku) = purpose switch
        {
            CertificatePurpose.TlsClient => (X509KeyUsageFlags.DigitalSignature, PkiOids.ClientAuth, new[] { PkiOids.DocumentSigning }),
            CertificatePurpose.TlsServer => (X509KeyUsageFlags.DigitalSignature, PkiOids.ServerAuth, new[] { PkiOids.DocumentSigning }),
            CertificatePurpose.Signing => (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, PkiOids.DocumentSigning, new[] { PkiOids.ClientAuth, PkiOids.ServerAuth }),
            _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
        };

        if ((keyUsage & needKu) != needKu)
        {
            return $"keyUsage {keyUsage} lacks {needKu} for {purpose}";
        }

        if (!eku.Contains(needEku))
        {
            return $"extendedKeyUsage lacks {needEku} for {purpose}";
        }

        // Key separation: a signing key never authenticates TLS, a TLS key never signs.
        var forbidden = forbiddenEku.FirstOrDefault(eku.Contains);
        return forbidden is null ? null : $"extendedKeyUsage {forbidden} is not allowed for {purpose}";
    }

    private CertificateFacts GetFacts(X509Certificate2 certificate)
    {
        var thumbprint = RevocationList.Thumbprint(certificate);
        if (_cache.TryGetValue(thumbprint, out var facts))
        {
            return facts;
        }

        facts = ComputeFacts(certificate);
        if (_cache.Count >= _cacheCapacity)
        {
            // Crude but bounded: a flood of distinct certificates cannot grow memory without limit.
            _cache.Clear();
        }

        _cache[thumbprint] = facts;
        return facts;
    }

    private CertificateFacts ComputeFacts(X509Certificate2 certificate)
    {
        try
        {
            return DecodeFacts(certificate);
        }
        catch (CryptographicException e)
        {
            // A certificate that loads may still hold a validity date or an extension that does not decode; .NET
            // throws only when it is read. Such a certificate is untrusted (its issuer never signed it), not a crash.
            var problem = $"the certificate cannot be decoded ({e.Message})";
            return new CertificateFacts(problem, PkiResult<CallerIdentity>.Fail(PkiFailure.IdentityMalformed, problem), null, null, false, DateTimeOffset.MinValue, DateTimeOffset.MinValue, RevocationEntry.CanonicalSerial(certificate));
        }
    }

    private CertificateFacts DecodeFacts(X509Certificate2 certificate)
    {
        var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault()?.KeyUsages;
        var ekuExtension = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var eku = ekuExtension?.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority ?? false;
        return new CertificateFacts(
            ChainProblem(certificate),
            CallerIdentity.FromCertificate(certificate),
            keyUsage,
            eku,
            isCa,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
            RevocationEntry.CanonicalSerial(certificate));
    }

    private string? ChainProblem(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        // Time is checked per call against the caller's time; the cached chain outcome must not depend on it.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        try
        {
            bool built;
            try
            {
                built = chain.Build(certificate);
            }
            catch (CryptographicException e)
            {
                // OpenSSL's chain builder throws ("x509 certificate routines::internal error") for some certificates
                // that decode but are broken, e.g. a public key that is not a point on its curve. Untrusted, not a crash.
                return $"the chain cannot be built ({e.Message})";
            }

            var elements = chain.ChainElements;
            if (!built)
            {
                var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
                return $"the chain does not end at the election root ({status})";
            }

            // The election root issues end entities directly (pathLen 0): exactly leaf -> root.
            if (elements.Count != 2 || !elements[1].Certificate.RawDataMemory.Span.SequenceEqual(Root.RawDataMemory.Span))
            {
                return "the certificate is not issued directly by the election root";
            }

            return null;
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, certificate) && !ReferenceEquals(element.Certificate, Root))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }

    private static PkiResult<CallerIdentity> Fail(PkiFailure failure, string detail) => PkiResult<CallerIdentity>.Fail(failure, detail);

    private static DateTime Max(DateTimeOffset a, DateTimeOffset b) => (a > b ? a : b).UtcDateTime;

    private static DateTime Min(DateTimeOffset a, DateTimeOffset b) => (a < b ? a : b).UtcDateTime;

    // Everything about a certificate that does not depend on the time or the CRL.
    private sealed record CertificateFacts(
        string? ChainFailure,
        PkiResult<CallerIdentity> Identity,
        X509KeyUsageFlags? KeyUsage,
        HashSet<string>? ExtendedKeyUsages,
        bool IsCa,
        DateTimeOffset NotBefore,
        DateTimeOffset NotAfter,
        string SerialNumber);
}
