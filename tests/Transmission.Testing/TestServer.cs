using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Transmission.Grpc;

namespace Transmission.Testing;

/// <summary>Settings for a <see cref="TestServer"/>.</summary>
public sealed class TestServerOptions
{
    /// <summary>The PKI; <see cref="TestCertificates.Shared"/> when null.</summary>
    public TestCertificates? Certificates { get; set; }

    /// <summary>The port to listen on; 0 (the default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>HTTP/2 only by default; a test for 426 may allow HTTP/1.1 too.</summary>
    public HttpProtocols Protocols { get; set; } = HttpProtocols.Http2;

    /// <summary>Registers services (AddGrpcServer is already called with <see cref="ConfigureGrpc"/>).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Configures the gRPC server options.</summary>
    public Action<GrpcServerOptions>? ConfigureGrpc { get; set; }

    /// <summary>Maps endpoints, for example <c>e =&gt; e.MapGrpcService&lt;T&gt;(...)</c>.</summary>
    public Action<IEndpointRouteBuilder>? ConfigureEndpoints { get; set; }

    /// <summary>The minimum level collected in <see cref="TestServer.Logs"/>. Defaults to Debug.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Debug;
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 with an ephemeral port, HTTP/2 over TLS with a
/// required client certificate validated against the test CA only (never the OS store).
/// Collects its logs so a test can fail on an unexpected Error.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, TestCertificates certificates, TestLogSink logs)
    {
        _app = app;
        Certificates = certificates;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Port = new Uri(address).Port;
        Address = new Uri($"https://127.0.0.1:{Port}");
    }

    /// <summary>The PKI the server trusts and presents.</summary>
    public TestCertificates Certificates { get; }

    /// <summary>The bound port.</summary>
    public int Port { get; }

    /// <summary>The base address, <c>https://127.0.0.1:{port}</c>.</summary>
    public Uri Address { get; }

    /// <summary>Everything the server logged.</summary>
    public TestLogSink Logs { get; }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="configure"/> sets up services and endpoints.</summary>
    public static async Task<TestServer> StartAsync(Action<TestServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TestServerOptions();
        configure(options);
        var certificates = options.Certificates ?? TestCertificates.Shared;
        var logs = new TestLogSink();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddProvider(logs);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = options.Protocols;
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificates.ServerCertificate;
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.CheckCertificateRevocation = false;
                    https.ClientCertificateValidation = (certificate, _, _) => certificates.ValidateClientCertificate(certificate);
                });
            });
        });
        builder.Services.AddGrpcServer(options.ConfigureGrpc);
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        options.ConfigureEndpoints?.Invoke(app);
        await app.StartAsync().DefaultTimeout();
        return new TestServer(app, certificates, logs);
    }

    /// <summary>
    /// A handler for raw HTTP/2 requests to this server: presents <paramref name="clientCertificate"/>
    /// (the default test client when null) and trusts only the test CA.
    /// </summary>
    public SocketsHttpHandler CreateHandler(X509Certificate2? clientCertificate = null) =>
        CreateHandler(Certificates, clientCertificate ?? Certificates.ClientCertificate);

    /// <summary>An HTTP/2-only client for this server.</summary>
    public HttpClient CreateHttpClient(X509Certificate2? clientCertificate = null) =>
        new(CreateHandler(clientCertificate), disposeHandler: true)
        {
            BaseAddress = Address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>A handler that presents <paramref name="clientCertificate"/> and trusts only <paramref name="certificates"/>' CA.</summary>
    public static SocketsHttpHandler CreateHandler(TestCertificates certificates, X509Certificate2? clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        return new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                // The chain is judged against the test CA only; the host name check still counts.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
                    && certificate is X509Certificate2 server
                    && certificates.ValidateServerCertificate(server),
            },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }
}
