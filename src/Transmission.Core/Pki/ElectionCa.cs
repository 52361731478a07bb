using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Core.Pki;

/// <summary>
/// The election root CA: creates the root certificate, issues end-entity certificates by profile (design §3)
/// and signs CRLs. Pure: keys and certificates come in and go out as objects; storing them is the caller's job.
/// </summary>
/// <remarks>
/// Issuing from a CSR, the CA keeps only the CSR's public key (after checking its self-signature, the
/// requester's proof of possession) and its requested identity, which must equal what the operator asked for.
/// Every other requested extension, the subject name and any validity wish are ignored: the profile decides.
/// </remarks>
public sealed class ElectionCa
{
    private const int SerialLength = 16;
    private const string OrganizationalUnitOid = "2.5.4.11";

    private readonly X509Certificate2 _certificate;
    private readonly TimeProvider _timeProvider;
    private readonly IssuancePolicy _policy;

    /// <summary>
    /// The organisational unit that marks a development root (<c>pki init-ca --development</c>, certs-dev/): Central
    /// refuses to serve a live election under such a root, whose key sits on an ordinary disk.
    /// </summary>
    public const string DevelopmentMarker = "DEVELOPMENT ONLY - NOT FOR A LIVE ELECTION";

    /// <summary>Whether <paramref name="root"/>'s subject carries <see cref="DevelopmentMarker"/> as an organisational unit.</summary>
    public static bool IsDevelopmentRoot(X509Certificate2 root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return root.SubjectName.EnumerateRelativeDistinguishedNames().Any(rdn =>
            rdn.GetSingleElementType().Value == OrganizationalUnitOid
            && string.Equals(rdn.GetSingleElementValue(), DevelopmentMarker, StringComparison.Ordinal));
    }

    /// <summary>A CA that signs with <paramref name="caCertificate"/>'s ECDSA private key.</summary>
    public ElectionCa(X509Certificate2 caCertificate, TimeProvider timeProvider, IssuancePolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(caCertificate);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!caCertificate.HasPrivateKey)
        {
            throw new ArgumentException("The CA certificate must carry its private key.", nameof(caCertificate));
        }

        _certificate = caCertificate;
        _timeProvider = timeProvider;
        _policy = policy ?? IssuancePolicy.Default;
    }

    /// <summary>The CA certificate (with its private key).</summary>
    public X509Certificate2 Certificate => _certificate;

    /// <summary>
    /// Creates a self-signed election root: basicConstraints cA=TRUE pathLen=0 (critical: it issues end entities
    /// only), keyUsage keyCertSign + cRLSign (critical), subjectKeyIdentifier, random 16-byte serial. A
    /// <paramref name="development"/> root carries <see cref="DevelopmentMarker"/> as its OU.
    /// </summary>
    /// <returns>The root certificate, carrying <paramref name="key"/> as its private key.</returns>
    public static X509Certificate2 CreateRoot(ECDsa key, string commonName, TimeProvider timeProvider, IssuancePolicy? policy = null, bool development = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        ArgumentNullException.ThrowIfNull(timeProvider);
        policy ??= IssuancePolicy.Default;
        RequireP256(key);

        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(commonName);
        if (development)
        {
            name.AddOrganizationalUnitName(DevelopmentMarker);
        }

        name.AddOrganizationName("Transmission");

        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        var now = Truncate(timeProvider.GetUtcNow());
        using var certificate = request.Create(
            request.SubjectName,
            X509SignatureGenerator.CreateForECDsa(key),
            now - policy.Backdate,
            now + policy.RootLifetime,
            NewSerial());
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Issues a certificate of <paramref name="profile"/> for <paramref name="expected"/> from a PEM CSR.
    /// Fails with <c>CSR_MALFORMED</c>, <c>CSR_SIGNATURE_INVALID</c>, <c>KEY_UNSUPPORTED</c>, <c>IDENTITY_*</c>
    /// (the CSR's own identity is missing, multiple or malformed), <c>IDENTITY_MISMATCH</c>,
    /// <c>IDENTITY_WRONG_ROLE</c>, <c>SUBJECT_NAMES_REQUIRED</c> or <c>CA_NOT_VALID</c>.
    /// </summary>
    /// <param name="csrPem">A PEM <c>CERTIFICATE REQUEST</c>.</param>
    /// <param name="profile">The profile, chosen by the operator.</param>
    /// <param name="expected">The identity the operator means to certify; the CSR must request exactly this.</param>
    /// <param name="dnsNames">DNS names (TLS server profile only; taken from the operator, never from the CSR).</param>
    /// <param name="ipAddresses">IP addresses (TLS server profile only; taken from the operator, never from the CSR).</param>
    public PkiResult<X509Certificate2> IssueFromRequestPem(
        string csrPem,
        CertificateProfile profile,
        CallerIdentity expected,
        IReadOnlyCollection<string>? dnsNames = null,
        IReadOnlyCollection<IPAddress>? ipAddresses = null)
    {
        ArgumentNullException.ThrowIfNull(csrPem);
        ArgumentNullException.ThrowIfNull(expected);

        CertificateRequest request;
        try
        {
            // Decode once without the signature check, so a malformed CSR and a forged one get different reasons.
            CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.SkipSignatureValidation);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return PkiResult<X509Certificate2>.Fail(PkiFailure.CsrMalformed, "the certificate signing request cannot be decoded");
        }

        try
        {
            // UnsafeLoadCertificateExtensions only exposes what was requested; nothing of it is copied except the SAN URI, after checks.
            request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (CryptographicException)
        {
            return PkiResult<X509Certificate2>.Fail(PkiFailure.CsrSignatureInvalid, "the certificate signing request's signature does not verify");
        }

        var requested = CallerIdentity.FromExtensions(request.CertificateExtensions);
        if (!requested.IsSuccess)
        {
            return PkiResult<X509Certificate2>.Fail(requested.Failure!.Value, "CSR: " + requested.Detail);
        }

        if (requested.Value != expected)
        {
            return PkiResult<X509Certificate2>.Fail(PkiFailure.IdentityMismatch, $"the CSR requests {requested.Value.Uri}, not {expected.Uri}");
        }

        return Issue(request.PublicKey, profile, expected, dnsNames, ipAddresses);
    }

    /// <summary>
    /// Issues a certificate of <paramref name="profile"/> for <paramref name="identity"/> over a public key the
    /// caller vouches for (e.g. Central's own keys, generated next to the CA tool).
    /// </summary>
    public PkiResult<X509Certificate2> Issue(
        PublicKey subjectKey,
        CertificateProfile profile,
        CallerIdentity identity,
        IReadOnlyCollection<string>? dnsNames = null,
        IReadOnlyCollection<IPAddress>? ipAddresses = null)
    {
        ArgumentNullException.ThrowIfNull(subjectKey);
        ArgumentNullException.ThrowIfNull(identity);

        if (CertificateProfiles.RoleOf(profile) != identity.Role)
        {
            return PkiResult<X509Certificate2>.Fail(PkiFailure.IdentityWrongRole, $"profile {CertificateProfiles.Name(profile)} cannot certify {identity.Uri}");
        }

        if (!IsP256(subjectKey))
        {
            return PkiResult<X509Certificate2>.Fail(PkiFailure.KeyUnsupported, "the subject key is not ECDSA P-256");
        }

        var isServer = profile == CertificateProfile.CentralTls;
        var hasNames = (dnsNames?.Count ?? 0) + (ipAddresses?.Count ?? 0) > 0;
        if (isServer && !hasNames)
        {
            return PkiResult<X509Certificate2>.Fail(PkiFailure.SubjectNamesRequired, "a TLS server certificate needs at least one DNS name or IP address");
        }

        var now = Truncate(_timeProvider.GetUtcNow());
        var notBefore = now - _policy.Backdate;
        var notAfter = now + _policy.LeafLifetime;
        var caNotBefore = new DateTimeOffset(_certificate.NotBefore.ToUniversalTime());
        var caNotAfter = new DateTimeOffset(_certificate.NotAfter.ToUniversalTime());
        if (now < caNotBefore || now >= caNotAfter)
        {
            return PkiResult<X509Certificate2>.Fail(PkiFailure.CaNotValid, $"the CA certificate is valid from {caNotBefore:u} to {caNotAfter:u}");
        }

        notBefore = notBefore < caNotBefore ? caNotBefore : notBefore;
        notAfter = notAfter > caNotAfter ? caNotAfter : notAfter;

        var name = new X500DistinguishedNameBuilder();
        // The builder lists names most specific first, giving the conventional encoding O, OU, CN.
        name.AddCommonName(identity.Id);
        name.AddOrganizationalUnitName(CallerIdentity.RoleName(identity.Role));
        name.AddOrganizationName("Transmission");
        var request = new CertificateRequest(name.Build(), subjectKey, HashAlgorithmName.SHA256);
        CertificateProfiles.AddExtensions(request, profile);
        request.CertificateExtensions.Add(SubjectAlternativeNames.Build(identity.Uri, isServer ? dnsNames : null, isServer ? ipAddresses : null));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        return PkiResult<X509Certificate2>.Success(request.Create(_certificate, notBefore, notAfter, NewSerial()));
    }

    /// <summary>
    /// Signs a CRL (RFC 5280 §5) listing <paramref name="entries"/>, with cRLNumber <paramref name="number"/>,
    /// thisUpdate now and nextUpdate after <see cref="IssuancePolicy.CrlLifetime"/>.
    /// </summary>
    /// <returns>The DER encoding.</returns>
    public byte[] BuildRevocationList(IEnumerable<RevocationEntry> entries, BigInteger number)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (number.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(number), "CRL numbers are non-negative (RFC 5280 §5.2.3).");
        }

        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in entries)
        {
            // The CRL wants the minimal two's-complement encoding: the sign byte restored if the top bit is set.
            builder.AddEntry(RevocationEntry.SerialBytes(entry.SerialNumber), entry.RevokedAt, entry.Reason);
        }

        var now = Truncate(_timeProvider.GetUtcNow());
        return builder.Build(_certificate, number, now + _policy.CrlLifetime, HashAlgorithmName.SHA256, rsaSignaturePadding: null, thisUpdate: now);
    }

    /// <summary>Whether <paramref name="key"/> is an ECDSA P-256 public key (judged from its SubjectPublicKeyInfo).</summary>
    public static bool IsP256(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Oid.Value != PkiOids.EcPublicKey || key.EncodedParameters?.RawData is not { Length: > 0 } parameters)
        {
            return false;
        }

        try
        {
            var reader = new System.Formats.Asn1.AsnReader(parameters, System.Formats.Asn1.AsnEncodingRules.DER);
            return reader.ReadObjectIdentifier() == PkiOids.NistP256 && !reader.HasData;
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return false;
        }
    }

    private static void RequireP256(ECDsa key)
    {
        var request = new CertificateRequest("CN=probe", key, HashAlgorithmName.SHA256);
        if (!IsP256(request.PublicKey))
        {
            throw new ArgumentException("The election PKI uses ECDSA P-256 keys only.", nameof(key));
        }
    }

    private static byte[] NewSerial()
    {
        // 16 random bytes (RFC 5280 §4.1.2.2 allows up to 20 octets); top bit cleared so the INTEGER is positive
        // without a pad byte, first byte non-zero so the encoding stays 16 bytes.
        var serial = RandomNumberGenerator.GetBytes(SerialLength);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    // X.509 times have whole seconds; truncating keeps notBefore/notAfter comparisons exact.
    private static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
