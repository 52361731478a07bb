using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Core.Pki;

/// <summary>
/// The kinds of end-entity certificate the election root issues (design §3). The CA, not the requester,
/// decides a certificate's extensions from its profile.
/// </summary>
public enum CertificateProfile
{
    /// <summary><c>central-tls</c>: Central's TLS server certificate. KU digitalSignature; EKU serverAuth; SAN DNS/IP + central URI.</summary>
    CentralTls,

    /// <summary><c>central-signing</c>: Central's receipt and checkpoint signing certificate. KU digitalSignature + nonRepudiation; EKU documentSigning.</summary>
    CentralSigning,

    /// <summary><c>station-tls</c>: a station's TLS client certificate. KU digitalSignature; EKU clientAuth.</summary>
    StationTls,

    /// <summary><c>station-signing</c>: a station's protocol signing certificate. KU digitalSignature + nonRepudiation; EKU documentSigning (never clientAuth).</summary>
    StationSigning,

    /// <summary><c>verifier</c>: a central verifier's TLS client certificate. KU digitalSignature; EKU clientAuth.</summary>
    Verifier,

    /// <summary><c>auditor</c>: an auditor's TLS client certificate. KU digitalSignature; EKU clientAuth.</summary>
    Auditor,
}

/// <summary>Names, roles and X.509 extensions of the <see cref="CertificateProfile"/>s.</summary>
/// <remarks>
/// Why these extensions:
/// <list type="bullet">
/// <item>ECDSA keys in TLS 1.2 (ECDHE) and 1.3 only ever sign, so TLS certificates carry only digitalSignature (RFC 8446 §4.4.2.2, RFC 5480 §3).</item>
/// <item>Signing certificates carry digitalSignature + nonRepudiation (contentCommitment): the signature is meant as a lasting commitment, as with e-ID signing keys.</item>
/// <item>Signing certificates carry the RFC 9336 documentSigning EKU rather than no EKU: with no EKU, RFC 5280 validators
/// treat a certificate as good for any purpose, including TLS, which would undo the key separation.
/// Station and Central signing certificates share the EKU; the URI role tells them apart.</item>
/// <item>Every end-entity certificate has basicConstraints cA=FALSE (critical), a critical keyUsage and a
/// non-critical extendedKeyUsage, a subjectKeyIdentifier and an authorityKeyIdentifier.</item>
/// </list>
/// </remarks>
public static class CertificateProfiles
{
    /// <summary>Every profile.</summary>
    public static IReadOnlyList<CertificateProfile> All { get; } = Enum.GetValues<CertificateProfile>();

    /// <summary>The command-line name, e.g. <c>station-tls</c>.</summary>
    public static string Name(CertificateProfile profile) => profile switch
    {
        CertificateProfile.CentralTls => "central-tls",
        CertificateProfile.CentralSigning => "central-signing",
        CertificateProfile.StationTls => "station-tls",
        CertificateProfile.StationSigning => "station-signing",
        CertificateProfile.Verifier => "verifier",
        CertificateProfile.Auditor => "auditor",
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, null),
    };

    /// <summary>Parses a command-line profile name (case-sensitive).</summary>
    public static bool TryParse(string name, out CertificateProfile profile)
    {
        foreach (var candidate in All)
        {
            if (Name(candidate) == name)
            {
                profile = candidate;
                return true;
            }
        }

        profile = default;
        return false;
    }

    /// <summary>The only role a certificate of this profile may name.</summary>
    public static Role RoleOf(CertificateProfile profile) => profile switch
    {
        CertificateProfile.CentralTls or CertificateProfile.CentralSigning => Role.Central,
        CertificateProfile.StationTls or CertificateProfile.StationSigning => Role.Station,
        CertificateProfile.Verifier => Role.Verifier,
        CertificateProfile.Auditor => Role.Auditor,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, null),
    };

    /// <summary>The purpose a certificate of this profile is for.</summary>
    public static CertificatePurpose PurposeOf(CertificateProfile profile) => profile switch
    {
        CertificateProfile.CentralTls => CertificatePurpose.TlsServer,
        CertificateProfile.CentralSigning or CertificateProfile.StationSigning => CertificatePurpose.Signing,
        CertificateProfile.StationTls or CertificateProfile.Verifier or CertificateProfile.Auditor => CertificatePurpose.TlsClient,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, null),
    };

    /// <summary>The key usage of a profile.</summary>
    public static X509KeyUsageFlags KeyUsage(CertificateProfile profile) => PurposeOf(profile) == CertificatePurpose.Signing
        ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation
        : X509KeyUsageFlags.DigitalSignature;

    /// <summary>The extended key usage OID of a profile.</summary>
    public static string ExtendedKeyUsage(CertificateProfile profile) => PurposeOf(profile) switch
    {
        CertificatePurpose.TlsServer => PkiOids.ServerAuth,
        CertificatePurpose.TlsClient => PkiOids.ClientAuth,
        CertificatePurpose.Signing => PkiOids.DocumentSigning,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, null),
    };

    /// <summary>The profile a certificate was issued under, judged from its role and extended key usage; <see langword="null"/> if none fits.</summary>
    public static CertificateProfile? Recognize(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var identity = CallerIdentity.FromCertificate(certificate);
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (!identity.IsSuccess || eku is null)
        {
            return null;
        }

        foreach (var profile in All)
        {
            if (RoleOf(profile) == identity.Value.Role
                && eku.EnhancedKeyUsages.Count == 1
                && eku.EnhancedKeyUsages[0].Value == ExtendedKeyUsage(profile))
            {
                return profile;
            }
        }

        return null;
    }

    /// <summary>Adds the profile's extensions (without the SAN and authority key identifier) to a request.</summary>
    internal static void AddExtensions(CertificateRequest request, CertificateProfile profile)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(KeyUsage(profile), critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ExtendedKeyUsage(profile))], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
    }
}
