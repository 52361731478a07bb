namespace Transmission.Central.Pki;

/// <summary>Where Central's TLS material lives (all PEM). Validated when the trust is first loaded.</summary>
public sealed class ElectionTlsOptions
{
    /// <summary>The election root certificate: the only trust anchor for client certificates.</summary>
    public required string RootCertificatePath { get; init; }

    /// <summary>The CRL signed by the election root. Required: Central refuses to start without one.</summary>
    public required string CrlPath { get; init; }

    /// <summary>Central's TLS server certificate (profile central-tls).</summary>
    public required string ServerCertificatePath { get; init; }

    /// <summary>The PKCS #8 key of the TLS server certificate.</summary>
    public required string ServerKeyPath { get; init; }

    /// <summary>
    /// Certificates whose chain outcome the election trust caches: 1,000,000 by default (a TLS and a signing
    /// certificate for each of 500,000 stations), so a national election never re-validates chains under load.
    /// </summary>
    public int TrustCacheCapacity { get; init; } = 1_000_000;

    /// <summary>
    /// How often Central rereads <see cref="CrlPath"/> even without a file-change notification (watchers miss events,
    /// e.g. on network file systems). Defaults to 30 seconds.
    /// </summary>
    public TimeSpan CrlReloadInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a TLS handshake may take. Defaults to 10 seconds.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
