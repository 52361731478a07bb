using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Grpc.Internal;

/// <summary>Builds the <see cref="SocketsHttpHandler"/> a channel uses when none is given.</summary>
internal static class ChannelHttpHandler
{
    /// <summary>Bounds TCP connect plus TLS handshake, so a dead server fails fast with UNAVAILABLE.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static SocketsHttpHandler Create(GrpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // One HTTP/2 connection caps concurrent streams (SETTINGS_MAX_CONCURRENT_STREAMS, 100 on
            // Kestrel); more calls than that open another connection instead of queueing.
            EnableMultipleHttp2Connections = true,

            // Pings only while calls are active: a long server stream that is quiet for a long time
            // (election night) still detects a dead peer, and idle connections do not wake the server.
            // The delay stays above 5 minutes by default for gRPC Core servers' ping strikes (see the option).
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = ConnectTimeout,

            // gRPC compresses per message (grpc-encoding); HTTP content-encoding would break framing.
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            AllowAutoRedirect = false,
        };

        if (options.ClientCertificate is not null || options.TrustedRoots is not null
            || options.EnabledSslProtocols != SslProtocols.None || options.CipherSuitesPolicy is not null)
        {
            handler.SslOptions = CreateSslOptions(options);
        }

        return handler;
    }

    private static SslClientAuthenticationOptions CreateSslOptions(GrpcChannelOptions options)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = options.EnabledSslProtocols,
            CipherSuitesPolicy = options.CipherSuitesPolicy,
        };
        if (options.TrustedRoots is { } roots)
        {
            // SslStream builds the server chain with this policy, so SslPolicyErrors reflects our
            // roots only; with no RemoteCertificateValidationCallback any error (untrusted chain,
            // RemoteCertificateNameMismatch, no certificate) fails the handshake, and the
            // AuthenticationException says which one.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,

                // Offline PKI: no AIA fetches from a certificate the peer controls. Revocation of
                // Central's certificate is not checked here (no CRL distribution on the client side).
                DisableCertificateDownloads = true,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(roots);
            ssl.CertificateChainPolicy = policy;
        }

        if (options.ClientCertificate is { } certificate)
        {
            // A certificate context is always sent, whatever CA names the server lists in its
            // CertificateRequest (a ClientCertificates collection is filtered by them).
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        }

        return ssl;
    }
}
