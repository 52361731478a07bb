using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Transmission.Central.Dashboard;
using Transmission.Testing;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>
/// The dashboard in a real Chromium against the real Central on its one HTTPS port: a verifier's certificate gets the
/// page, a station's or auditor's gets the 403 page, no certificate gets no page at all (refused at the handshake).
/// Screenshots go to artifacts/screenshots/.
/// </summary>
public sealed class DashboardBrowserTests(BrowserCentral fixture) : IClassFixture<BrowserCentral>
{
    private const string VerifierUri = "urn:transmission:verifier:verifier-1";

    [Fact]
    public async Task Browser_VerifierCertificate_SeesTheHomePage()
    {
        await using var context = await fixture.Chromium.NewContextAsync(fixture.Origin, fixture.Central.Pki.VerifierDir);
        var page = await context.NewPageAsync().DefaultTimeout();
        var problems = CollectProblems(page);

        var response = await page.GotoAsync(fixture.Origin.ToString()).DefaultTimeout();

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        // It is this test's Central answering: the election comes from the definition generated for this run, the
        // identity from the certificate Central received, and Central's own request log shows the request over HTTP/2.
        var election = fixture.Central.Pki.Election;
        Assert.Equal("Progress", await page.Locator("h1").InnerTextAsync().DefaultTimeout());
        Assert.Equal(election.Name.Default, await page.Locator("header .election-name").InnerTextAsync().DefaultTimeout());
        Assert.Equal(election.ElectionId, await page.Locator("header .election-id").InnerTextAsync().DefaultTimeout());
        Assert.Contains($"of {election.Stations.Count}", await page.Locator("#progress-figures .figure").First.InnerTextAsync().DefaultTimeout(), StringComparison.Ordinal);
        Assert.Equal(VerifierUri, await page.Locator("#caller-uri").InnerTextAsync().DefaultTimeout());
        Assert.Contains(fixture.Central.Logs.Records, r => r.Message.StartsWith($"Request starting HTTP/2 GET {fixture.Origin} ", StringComparison.Ordinal));
        Assert.Equal("h2", await page.EvaluateAsync<string>("() => performance.getEntriesByType('navigation')[0].nextHopProtocol").DefaultTimeout());

        // The TEST badge and banner are there, and the style sheet from Central makes the banner yellow.
        Assert.Equal("TEST", await page.Locator("#mode-badge").InnerTextAsync().DefaultTimeout());
        Assert.True(await page.Locator("#test-banner").IsVisibleAsync().DefaultTimeout());
        Assert.Equal("rgb(255, 212, 0)", await page.Locator("#test-banner").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor").DefaultTimeout());
        Assert.Equal(["Progress", "Review queue", "Totals", "Exports"], await page.Locator("nav.site-nav a").AllInnerTextsAsync().DefaultTimeout());

        var headers = await response.AllHeadersAsync().DefaultTimeout();
        Assert.Equal(DashboardAccess.ContentSecurityPolicy, headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.Equal("no-store", headers["cache-control"]);

        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-home");
        // No CSP violation, script error or failed request (the style sheet loaded under the policy).
        Assert.Empty(problems);
        fixture.Central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Browser_Keyboard_FirstTabShowsTheSkipLinkWhichMovesFocusToMain()
    {
        await using var context = await fixture.Chromium.NewContextAsync(fixture.Origin, fixture.Central.Pki.VerifierDir);
        var page = await context.NewPageAsync().DefaultTimeout();
        await page.GotoAsync(fixture.Origin.ToString()).DefaultTimeout();

        await page.Keyboard.PressAsync("Tab").DefaultTimeout();

        var focused = page.Locator(":focus");
        Assert.Equal("Skip to main content", await focused.InnerTextAsync().DefaultTimeout());
        var box = await focused.BoundingBoxAsync().DefaultTimeout();
        Assert.NotNull(box);
        Assert.InRange(box.Y, 0, 800);
        Assert.Equal("solid", await focused.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle").DefaultTimeout());
        Assert.Equal("3px", await focused.EvaluateAsync<string>("e => getComputedStyle(e).outlineWidth").DefaultTimeout());
        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-skip-link-focused");

        await page.Keyboard.PressAsync("Enter").DefaultTimeout();

        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id").DefaultTimeout());
    }

    [Theory]
    [InlineData("station", "urn:transmission:station:ST-0001")]
    [InlineData("auditor", "urn:transmission:auditor:auditor-1")]
    public async Task Browser_NonVerifierCertificate_Gets403PageAndASecurityEvent(string who, string uri)
    {
        var folder = who == "station" ? fixture.Central.Pki.StationDir("ST-0001") : fixture.Central.Pki.AuditorDir;
        await using var context = await fixture.Chromium.NewContextAsync(fixture.Origin, folder);
        var page = await context.NewPageAsync().DefaultTimeout();

        var response = await page.GotoAsync(fixture.Origin.ToString()).DefaultTimeout();

        Assert.NotNull(response);
        Assert.Equal(403, response.Status);
        Assert.Equal($"This dashboard is for central verifiers; your certificate is {uri}.", await page.Locator("p").InnerTextAsync().DefaultTimeout());
        Assert.Equal(0, await page.Locator("nav, #caller-uri, .election-name").CountAsync().DefaultTimeout());
        var headers = await response.AllHeadersAsync().DefaultTimeout();
        Assert.Equal(DashboardAccess.ContentSecurityPolicy, headers["content-security-policy"]);
        Assert.Equal("no-store", headers["cache-control"]);
        await ChromiumSession.SaveScreenshotAsync(page, $"dashboard-403-{who}");

        using var database = fixture.Central.OpenDatabase();
        var recorded = Assert.Single(database.SecurityEvents.Where(e => e.Kind == DashboardAccess.RefusedEventKind && e.CallerUri == uri));
        Assert.Equal("GET / refused: the dashboard is for verifier certificates", recorded.Detail);
        Assert.StartsWith("ipv4:127.0.0.1:", recorded.Peer, StringComparison.Ordinal);
        var logged = Assert.Single(fixture.Central.Logs.Records, r => r.EventId.Id == 7000 && r.Message.Contains(uri, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, logged.Level);
    }

    [Fact]
    public async Task Browser_NoCertificate_GetsNoPage()
    {
        await using var context = await fixture.Chromium.NewContextAsync(fixture.Origin, certificateFolder: null);
        var page = await context.NewPageAsync().DefaultTimeout();
        var requestsBefore = RequestsStarted();
        var refusalsBefore = fixture.Central.Logs.Records.Count(r => r.EventId.Id == 4101);

        var error = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync(fixture.Origin.ToString()).DefaultTimeout());

        // Chromium names the cut differently by protocol and timing (ERR_CONNECTION_CLOSED, ERR_EMPTY_RESPONSE,
        // ERR_SOCKET_NOT_CONNECTED); what matters is a network error, no HTTP response, and Central saying why.
        Assert.Contains("net::ERR_", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".election-name, #caller-uri").CountAsync().DefaultTimeout());
        var refused = await WaitForLogAsync(r => r.EventId.Id == 4101, skip: refusalsBefore);
        Assert.Contains("CERTIFICATE_MISSING", refused.Message, StringComparison.Ordinal);
        Assert.Equal(requestsBefore, RequestsStarted());
    }

    // Kestrel logs "Request starting ..." for every HTTP request it parsed, at Information.
    private int RequestsStarted() => fixture.Central.Logs.Records.Count(r => r.Message.StartsWith("Request starting", StringComparison.Ordinal));

    // Console errors include Content-Security-Policy violations and failed loads; page errors are uncaught script errors.
    private static ConcurrentQueue<string> CollectProblems(IPage page)
    {
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Enqueue($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Enqueue($"page error: {error}");
        page.RequestFailed += (_, request) => problems.Enqueue($"request failed: {request.Url} {request.Failure}");
        return problems;
    }

    // Connections end after the browser gave up, so the refusal may be logged a moment after the navigation failed.
    private async Task<TestLogRecord> WaitForLogAsync(Func<TestLogRecord, bool> match, int skip)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (DateTime.UtcNow < deadline)
        {
            if (fixture.Central.Logs.Records.Where(match).Skip(skip).FirstOrDefault() is { } record)
            {
                return record;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("The expected log record was not written within " + TestTimeouts.Default);
    }
}
