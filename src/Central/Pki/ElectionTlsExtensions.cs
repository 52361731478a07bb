using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Transmission.Cli;
using Transmission.Core.Pki;

namespace Transmission.Central.Pki;

/// <summary>Wires the election PKI into Kestrel: mutual TLS with election client certificates, HTTP/1.1 and HTTP/2.</summary>
public static class ElectionTlsExtensions
{
    /// <summary>
    /// Registers <see cref="ElectionTlsOptions"/>, <see cref="ReloadableElectionTrust"/> (loads root and CRL when first
    /// resolved), <see cref="KnownCertificates"/>, <see cref="ClientCertificateValidator"/> and, if none is registered,
    /// <see cref="TimeProvider.System"/>.
    /// </summary>
    public static IServiceCollection AddElectionTrust(this IServiceCollection services, ElectionTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReloadableElectionTrust>();
        services.TryAddSingleton<KnownCertificates>(_ => new KnownCertificates());
        services.TryAddSingleton<ClientCertificateValidator>();
        return services;
    }

    /// <summary>
    /// Configures an endpoint for the election: HTTP/1.1 and HTTP/2 chosen by ALPN (gRPC needs HTTP/2 and answers
    /// HTTP/1.1 with 426; browsers on the verifiers' dashboard may use either), TLS 1.2 or 1.3 with ECDHE AEAD suites only
    /// (<see cref="TlsPolicy"/>; 1.3 is chosen whenever the client offers it),
    /// the server certificate from <see cref="ElectionTlsOptions"/>, a client certificate required and checked by
    /// <see cref="ClientCertificateValidator"/>. Throws at start-up if the server certificate is not a valid central-tls
    /// certificate of the election root.
    /// </summary>
    public static ListenOptions UseElectionMutualTls(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var services = listenOptions.ApplicationServices;
        var options = services.GetRequiredService<ElectionTlsOptions>();
        var trust = services.GetRequiredService<ReloadableElectionTrust>();
        var time = services.GetRequiredService<TimeProvider>();
        var serverCertificate = KeyFiles.LoadTlsCertificate(options.ServerCertificatePath, options.ServerKeyPath);
        var check = trust.Current.Validate(serverCertificate, CertificatePurpose.TlsServer, time.GetUtcNow());
        if (!check.IsSuccess)
        {
            throw new InvalidOperationException($"The server certificate {options.ServerCertificatePath} is not usable: {check.ReasonCode}: {check.Detail}");
        }

        return listenOptions.UseElectionMutualTls(serverCertificate, services.GetRequiredService<ClientCertificateValidator>(), options.HandshakeTimeout, trust.Current.Root);
    }

    /// <summary>As <see cref="UseElectionMutualTls(ListenOptions)"/>, with an explicit server certificate (with its private key) and validator.</summary>
    /// <param name="listenOptions">The endpoint.</param>
    /// <param name="serverCertificate">Central's TLS server certificate with its private key.</param>
    /// <param name="validator">The election's client-certificate check, which decides.</param>
    /// <param name="handshakeTimeout">Defaults to 10 seconds.</param>
    /// <param name="electionRoot">
    /// The election root. When given, the chain SslStream builds before calling <paramref name="validator"/> is built
    /// against this root only (offline, no revocation), instead of against the OS trust store, whose outcome the
    /// validator ignores anyway: that wasted build was about a tenth of Central's CPU per new connection in the
    /// election-night benchmark (docs/performance.md).
    /// </param>
    public static ListenOptions UseElectionMutualTls(this ListenOptions listenOptions, X509Certificate2 serverCertificate, ClientCertificateValidator validator, TimeSpan? handshakeTimeout = null, X509Certificate2? electionRoot = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(serverCertificate);
        ArgumentNullException.ThrowIfNull(validator);
        // HTTP/1.1 is for browsers (the dashboard shares this port); the gRPC layer itself refuses it with 426.
        listenOptions.Protocols = HttpProtocols.Http1AndHttp2;
        var timeout = handshakeTimeout ?? TimeSpan.FromSeconds(10);
        listenOptions.Use(next => validator.AuditConnections(next, timeout));
        listenOptions.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCertificate,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = validator.Validate,
            // Revocation is checked by ElectionTrust against the election CRL, never online.
            CheckCertificateRevocation = false,
            SslProtocols = TlsPolicy.Protocols,
            HandshakeTimeout = timeout,
            OnAuthenticate = (_, ssl) =>
            {
                ssl.CipherSuitesPolicy = TlsPolicy.CipherSuitesPolicy;
                if (electionRoot is not null)
                {
                    ssl.CertificateChainPolicy = ElectionChainPolicy(electionRoot);
                }
            },
        });
        listenOptions.Use(ClientCertificateValidator.MarkHandshakeCompleted);
        return listenOptions;
    }

    // One policy object per handshake: SslStream may keep a reference to it, and X509ChainPolicy is mutable.
    private static X509ChainPolicy ElectionChainPolicy(X509Certificate2 root)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(root);
        return policy;
    }

    /// <summary>The caller's identity from the client certificate accepted at the handshake, or <see langword="null"/>.</summary>
    public static CallerIdentity? GetCallerIdentity(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.ClientCertificate is { } certificate && CallerIdentity.FromCertificate(certificate) is { IsSuccess: true } result
            ? result.Value
            : null;
    }
}
