namespace Transmission.Core.Pki;

/// <summary>Object identifiers used by the election PKI.</summary>
public static class PkiOids
{
    /// <summary>id-kp-serverAuth (RFC 5280 §4.2.1.12).</summary>
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    /// <summary>id-kp-clientAuth (RFC 5280 §4.2.1.12).</summary>
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// id-kp-documentSigning (RFC 9336). Carried by every signing certificate (station protocols,
    /// Central receipts and checkpoints) so that an RFC 5280 validator never accepts a signing key for TLS.
    /// </summary>
    public const string DocumentSigning = "1.3.6.1.5.5.7.3.36";

    /// <summary>subjectAltName extension (RFC 5280 §4.2.1.6).</summary>
    public const string SubjectAlternativeName = "2.5.29.17";

    /// <summary>cRLNumber CRL extension (RFC 5280 §5.2.3).</summary>
    public const string CrlNumber = "2.5.29.20";

    /// <summary>reasonCode CRL entry extension (RFC 5280 §5.3.1).</summary>
    public const string CrlReason = "2.5.29.21";

    /// <summary>id-ecPublicKey (RFC 5480).</summary>
    public const string EcPublicKey = "1.2.840.10045.2.1";

    /// <summary>secp256r1 / prime256v1 / NIST P-256 (RFC 5480).</summary>
    public const string NistP256 = "1.2.840.10045.3.1.7";

    /// <summary>ecdsa-with-SHA256 (RFC 5758).</summary>
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
}
