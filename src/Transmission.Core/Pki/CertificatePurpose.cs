namespace Transmission.Core.Pki;

/// <summary>What a certificate is being checked for by <see cref="ElectionTrust"/>.</summary>
public enum CertificatePurpose
{
    /// <summary>A TLS client (station, verifier or auditor): clientAuth EKU, digitalSignature.</summary>
    TlsClient,

    /// <summary>Central's TLS server: serverAuth EKU, digitalSignature, central role.</summary>
    TlsServer,

    /// <summary>A signature on a protocol, receipt or checkpoint: documentSigning EKU, digitalSignature + nonRepudiation, no TLS EKU.</summary>
    Signing,
}
