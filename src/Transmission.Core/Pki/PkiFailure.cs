namespace Transmission.Core.Pki;

/// <summary>
/// Why a PKI operation refused its input. Each value has a stable reason code
/// (<see cref="PkiFailureCodes.ToReasonCode(PkiFailure)"/>) that transports map to a status and CLIs to a message.
/// </summary>
public enum PkiFailure
{
    /// <summary><c>CERTIFICATE_MISSING</c>: no certificate was presented.</summary>
    CertificateMissing,

    /// <summary><c>UNTRUSTED_CHAIN</c>: the certificate is not issued directly by the election root (or is the root itself).</summary>
    UntrustedChain,

    /// <summary><c>EXPIRED</c>: the certificate (or the root) was no longer valid at the time checked.</summary>
    Expired,

    /// <summary><c>NOT_YET_VALID</c>: the certificate (or the root) was not yet valid at the time checked.</summary>
    NotYetValid,

    /// <summary><c>WRONG_KEY_USAGE</c>: key usage, extended key usage or basic constraints do not allow the purpose.</summary>
    WrongKeyUsage,

    /// <summary><c>REVOKED</c>: the certificate was revoked at or before the time checked.</summary>
    Revoked,

    /// <summary><c>IDENTITY_MISSING</c>: no subject alternative name URI.</summary>
    IdentityMissing,

    /// <summary><c>IDENTITY_MULTIPLE</c>: more than one subject alternative name URI (or more than one SAN extension).</summary>
    IdentityMultiple,

    /// <summary><c>IDENTITY_MALFORMED</c>: the URI is not <c>urn:transmission:&lt;role&gt;:&lt;id&gt;</c> with a safe id, or the SAN cannot be decoded.</summary>
    IdentityMalformed,

    /// <summary><c>IDENTITY_WRONG_ROLE</c>: the identity's role may not use the certificate for this purpose or profile.</summary>
    IdentityWrongRole,

    /// <summary><c>IDENTITY_MISMATCH</c>: the identity requested in a CSR is not the one the operator asked to issue.</summary>
    IdentityMismatch,

    /// <summary><c>CSR_MALFORMED</c>: the certificate signing request cannot be decoded.</summary>
    CsrMalformed,

    /// <summary><c>CSR_SIGNATURE_INVALID</c>: the CSR's self-signature does not verify (proof of possession failed).</summary>
    CsrSignatureInvalid,

    /// <summary><c>KEY_UNSUPPORTED</c>: the subject key is not ECDSA P-256.</summary>
    KeyUnsupported,

    /// <summary><c>SUBJECT_NAMES_REQUIRED</c>: a TLS server certificate needs at least one DNS name or IP address.</summary>
    SubjectNamesRequired,

    /// <summary><c>CA_NOT_VALID</c>: the CA certificate cannot issue now (expired, not yet valid or without its private key).</summary>
    CaNotValid,

    /// <summary><c>CRL_MALFORMED</c>: the certificate revocation list cannot be decoded.</summary>
    CrlMalformed,

    /// <summary><c>CRL_UNTRUSTED</c>: the CRL is not signed by the election root, or names another issuer.</summary>
    CrlUntrusted,
}

/// <summary>Stable reason codes for <see cref="PkiFailure"/>.</summary>
public static class PkiFailureCodes
{
    /// <summary>The SCREAMING_SNAKE reason code of a failure, e.g. <c>UNTRUSTED_CHAIN</c>.</summary>
    public static string ToReasonCode(this PkiFailure failure) => failure switch
    {
        PkiFailure.CertificateMissing => "CERTIFICATE_MISSING",
        PkiFailure.UntrustedChain => "UNTRUSTED_CHAIN",
        PkiFailure.Expired => "EXPIRED",
        PkiFailure.NotYetValid => "NOT_YET_VALID",
        PkiFailure.WrongKeyUsage => "WRONG_KEY_USAGE",
        PkiFailure.Revoked => "REVOKED",
        PkiFailure.IdentityMissing => "IDENTITY_MISSING",
        PkiFailure.IdentityMultiple => "IDENTITY_MULTIPLE",
        PkiFailure.IdentityMalformed => "IDENTITY_MALFORMED",
        PkiFailure.IdentityWrongRole => "IDENTITY_WRONG_ROLE",
        PkiFailure.IdentityMismatch => "IDENTITY_MISMATCH",
        PkiFailure.CsrMalformed => "CSR_MALFORMED",
        PkiFailure.CsrSignatureInvalid => "CSR_SIGNATURE_INVALID",
        PkiFailure.KeyUnsupported => "KEY_UNSUPPORTED",
        PkiFailure.SubjectNamesRequired => "SUBJECT_NAMES_REQUIRED",
        PkiFailure.CaNotValid => "CA_NOT_VALID",
        PkiFailure.CrlMalformed => "CRL_MALFORMED",
        PkiFailure.CrlUntrusted => "CRL_UNTRUSTED",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}
