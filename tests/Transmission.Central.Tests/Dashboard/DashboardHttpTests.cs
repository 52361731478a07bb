using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Transmission.Central.Dashboard;
using Transmission.Central.Tests.Hosting;
using Transmission.Contracts.V1;
using Transmission.Testing;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>
/// The dashboard and the gRPC services share Central's one HTTPS port: pages over HTTP/1.1 and HTTP/2 for verifiers,
/// gRPC exactly as before (HTTP/1.1 still answered 426 by the gRPC layer, not by the dashboard), the style sheet from
/// Central itself, POST refused without an antiforgery token.
/// </summary>
public sealed class DashboardHttpTests(RunningCentral central) : IClassFixture<RunningCentral>
{
    private const string HandshakePath = "/transmission.v1.Transmission/Handshake";

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Get_VerifierOverEitherHttpVersion_ServesTheHomePage(string version)
    {
        using var client = Client(central.Pki.VerifierDir, Version.Parse(version));

        using var response = await client.GetAsync(new Uri(central.Address, "/")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Version.Parse(version), response.Version);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.Contains("<h1>Progress</h1>", html, StringComparison.Ordinal);
        Assert.Contains(central.Pki.Election.ElectionId, html, StringComparison.Ordinal);
        AssertSecurityHeaders(response);
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Get_StyleSheet_ServedByCentralAsCss()
    {
        using var client = Client(central.Pki.VerifierDir);

        using var response = await client.GetAsync(new Uri(central.Address, "/assets/dashboard.css")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".test-banner", await response.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Get_UnknownPathAsVerifier_404WithSecurityHeaders()
    {
        using var client = Client(central.Pki.VerifierDir);

        using var response = await client.GetAsync(new Uri(central.Address, "/no/such/page")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/assets/dashboard.css")]
    [InlineData("/no/such/page")]
    [InlineData("/queue?flag=*")]
    [InlineData("/totals?handler=section")]
    [InlineData("/exports/stations.csv")]
    [InlineData("/submissions/0000000000000000000000000000000000000000000000000000000000000000/attachments/0")]
    public async Task Get_StationCertificate_Refused403WhateverThePath(string path)
    {
        using var client = Client(central.Pki.StationDir("ST-0002"));

        using var response = await client.GetAsync(new Uri(central.Address, path)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This dashboard is for central verifiers; your certificate is urn:transmission:station:ST-0002.", await response.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
        AssertSecurityHeaders(response);
    }

    [Theory]
    [InlineData("sq", "<html lang=\"sq\">", "<h1>Qasja u refuzua</h1>", "Ky panel është për verifikuesit qendrorë; certifikata juaj është urn:transmission:station:ST-0002.")]
    [InlineData("sr-Latn", "<html lang=\"sr-Latn\">", "<h1>Pristup odbijen</h1>", "Ova kontrolna tabla je za centralne verifikatore; vaš sertifikat je urn:transmission:station:ST-0002.")]
    [InlineData("en", "<html lang=\"en\">", "<h1>Forbidden</h1>", "This dashboard is for central verifiers; your certificate is urn:transmission:station:ST-0002.")]
    public async Task Get_StationCertificate_RefusalInTheBrowsersLanguage(string language, string html, string heading, string message)
    {
        using var client = Client(central.Pki.StationDir("ST-0002"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(central.Address, "/"));
        request.Headers.AcceptLanguage.ParseAdd(language);

        using var response = await client.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.Contains(html, page, StringComparison.Ordinal);
        Assert.Contains(heading, page, StringComparison.Ordinal);
        Assert.Contains($"<p>{WebUtility.HtmlEncode(message)}</p>", page, StringComparison.Ordinal);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_Refused400()
    {
        using var client = Client(central.Pki.VerifierDir);
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("decision", "accept")]);

        using var response = await client.PostAsync(new Uri(central.Address, "/"), form).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Grpc_Http11Request_StillAnswered426ByTheGrpcLayer()
    {
        using var client = Client(central.Pki.StationDir("ST-0001"), HttpVersion.Version11);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(central.Address, HandshakePath))
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");

        using var response = await client.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.False(response.Headers.Contains("Content-Security-Policy"), "the dashboard gate must leave gRPC endpoints alone");
    }

    [Fact]
    public async Task Grpc_GetOnAMethodPathAsStation_StillAnswered405ByTheGrpcLayer()
    {
        using var client = Client(central.Pki.StationDir("ST-0001"));

        using var response = await client.GetAsync(new Uri(central.Address, HandshakePath)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task SamePort_DashboardPageAndGrpcHandshake_BothServed()
    {
        using var browserLike = Client(central.Pki.VerifierDir);
        using var channel = central.ChannelFor(central.Pki.StationDir("ST-0001"));

        using var page = await browserLike.GetAsync(new Uri(central.Address, "/")).DefaultTimeout();
        var reply = await channel.AsyncUnaryCall(TransmissionMethods.Handshake, new HandshakeRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("urn:transmission:station:ST-0001", reply.CallerUri);
    }

    [Fact]
    public void DataProtection_KeysForAntiforgery_HeldInMemoryNeverWrittenToDisk()
    {
        var options = central.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value;

        Assert.IsType<InMemoryKeyRepository>(options.XmlRepository);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(DashboardAccess.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("no-store", Header(response, "Cache-Control"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    private static HttpClient Client(string folder, Version? version = null) => DashboardClient.Create(folder, version);
}
