using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Transmission.Central.Hosting;
using Transmission.Central.Storage;
using Transmission.Grpc;
using Transmission.Testing;
using Transmission.Cli;

namespace Transmission.Central.Tests.Hosting;

/// <summary>The real Central (Kestrel, mutual TLS, gRPC services) on 127.0.0.1:0 over a <see cref="DevelopmentPki"/>.</summary>
public sealed class RunningCentral : IAsyncLifetime, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>A Central for the two stations of a default <see cref="DevelopmentPki"/>.</summary>
    public RunningCentral()
        : this(new DevelopmentPki())
    {
    }

    /// <summary>
    /// A Central over <paramref name="pki"/>. Unless <paramref name="pkiOwnedByCaller"/>, it initializes and disposes
    /// the PKI; otherwise the caller does, and several Centrals (one after the other) can share its data folder.
    /// </summary>
    /// <param name="pki">The PKI.</param>
    /// <param name="pkiOwnedByCaller">Whether the caller initializes and disposes <paramref name="pki"/>.</param>
    /// <param name="configure">Changes to Central's options (limits, for example) before it is built.</param>
    internal RunningCentral(DevelopmentPki pki, bool pkiOwnedByCaller = false, Action<CentralOptions>? configure = null)
    {
        Pki = pki;
        _pkiOwnedByCaller = pkiOwnedByCaller;
        _configure = configure;
    }

    private readonly bool _pkiOwnedByCaller;
    private readonly Action<CentralOptions>? _configure;

    public DevelopmentPki Pki { get; }

    public TestLogSink Logs { get; } = new();

    /// <summary>https://localhost:PORT/ (the server certificate names localhost).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Central's services (storage, options) for assertions.</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>A fresh context on Central's database, for assertions.</summary>
    public CentralDbContext OpenDatabase() => new(Services.GetRequiredService<DbContextOptions<CentralDbContext>>());

    public async Task InitializeAsync()
    {
        if (!_pkiOwnedByCaller)
        {
            await Pki.InitializeAsync();
        }

        var options = Pki.CentralOptions();
        if (_configure is not null)
        {
            _configure(options);
            Assert.Null(options.Validate(Pki.Root));
        }

        _app = CentralHost.Build(options, Pki.Root, Logs);
        await _app.StartAsync().DefaultTimeout();
        var bound = CentralHost.GetListeningAddress(_app);
        Address = new UriBuilder(bound) { Host = "localhost" }.Uri;
    }

    /// <summary>A channel presenting the TLS certificate in <paramref name="folder"/> and trusting only the election root.</summary>
    public GrpcChannel ChannelFor(string folder)
    {
        var certificate = KeyFiles.LoadTlsCertificate(Path.Combine(folder, "tls.cert.pem"), Path.Combine(folder, "tls.key.pem"));
        var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(folder, "ca.cert.pem"));
        return GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            ClientCertificate = certificate,
            TrustedRoots = [root],
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            // Graceful for 15 s, then Kestrel aborts what is left. Unbounded, StopAsync waits out the host's own
            // 30 s shutdown timeout, the same as the test's bound: after the rapid-reset abuse, CI once timed out here.
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _app.StopAsync(stopping.Token).DefaultTimeout(TimeSpan.FromSeconds(60));
            await _app.DisposeAsync();
        }

        if (!_pkiOwnedByCaller)
        {
            Pki.Dispose();
        }

        Logs.Dispose();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
