using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Transmission.Grpc.Tests.Client;

/// <summary>
/// A real Kestrel HTTP/2 endpoint on 127.0.0.1:0 whose single request delegate hand-writes the
/// gRPC response, so each test controls the exact bytes, headers and trailers the client sees.
/// </summary>
internal sealed class TestEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestEndpoint(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>http://127.0.0.1:port (h2c) or https://127.0.0.1:port.</summary>
    public Uri Address { get; }

    /// <summary>Starts cleartext HTTP/2 (prior knowledge only: Protocols = Http2).</summary>
    public static Task<TestEndpoint> StartAsync(RequestDelegate handler) => StartAsync(handler, tls: null);

    /// <summary>Starts HTTP/2 over TLS with <paramref name="serverCertificate"/>, optionally requiring a client certificate from <paramref name="clientRoot"/>.</summary>
    public static Task<TestEndpoint> StartTlsAsync(RequestDelegate handler, X509Certificate2 serverCertificate, X509Certificate2? clientRoot = null) =>
        StartAsync(handler, https =>
        {
            https.ServerCertificate = serverCertificate;
            if (clientRoot is not null)
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => TestCertificates.ChainsTo(certificate, clientRoot);
            }
        });

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private static async Task<TestEndpoint> StartAsync(RequestDelegate handler, Action<HttpsConnectionAdapterOptions>? tls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (tls is not null)
            {
                listen.UseHttps(tls);
            }
        }));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync().DefaultTimeout();
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TestEndpoint(app, new Uri(bound));
    }
}
