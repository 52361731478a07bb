using System.Net.Security;
using System.Security.Authentication;

namespace Transmission.Core.Pki;

/// <summary>
/// The TLS every election connection uses, server and client side: TLS 1.3 (chosen whenever both ends offer it) or
/// TLS 1.2, and only cipher suites with forward secrecy (ECDHE) and authenticated encryption (AEAD) for the election's
/// ECDSA P-256 certificates (BSI TR-02102-2 and RFC 9325 §4.2 recommend this set).
/// </summary>
public static class TlsPolicy
{
    /// <summary>TLS 1.2 and 1.3; SSL 3, TLS 1.0 and 1.1 are refused.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// The allowed suites, in order of preference: the three TLS 1.3 suites every implementation offers (all AEAD, all
    /// with (EC)DHE by construction), then the TLS 1.2 ECDHE-ECDSA AEAD suites. No RSA, CBC, SHA-1 or static key
    /// exchange.
    /// </summary>
    public static IReadOnlyList<TlsCipherSuite> CipherSuites { get; } =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>
    /// <see cref="CipherSuites"/> as a policy for SslStream, or <see langword="null"/> where the platform cannot restrict
    /// suites (Windows: there the operating system's own policy applies).
    /// </summary>
    public static CipherSuitesPolicy? CipherSuitesPolicy { get; } =
        OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? new CipherSuitesPolicy(CipherSuites) : null;
}
