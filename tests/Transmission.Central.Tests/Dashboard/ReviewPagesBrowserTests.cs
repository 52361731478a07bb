using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Transmission.Central.Dashboard;
using Transmission.Core.Review;
using Transmission.Testing;
using Domain = Transmission.Core.Protocol;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>
/// The verifier's pages in a real Chromium against a real Central holding real signed submissions: progress, the
/// review queue with its flags, a submission with its numbers beside the scanned form, a decision made with the
/// keyboard that moves the certified totals, a decision without a reason refused, the totals updating by themselves.
/// Screenshots of every page go to artifacts/screenshots/.
/// </summary>
public sealed partial class ReviewPagesBrowserTests(ReviewBrowserCentral fixture) : IClassFixture<ReviewBrowserCentral>
{
    [Fact]
    public async Task Browser_Progress_ShowsReportingOverallAndByMunicipalityLinkingToTheQueue()
    {
        await using var opened = await OpenAsync("/");
        var (page, problems) = (opened.Page, opened.Problems);

        var overall = fixture.Board.Totals();
        Assert.Equal("Progress", await page.Locator("h1").InnerTextAsync().DefaultTimeout());
        Assert.StartsWith("Progress · ", await page.TitleAsync().DefaultTimeout(), StringComparison.Ordinal);
        Assert.Equal(N(overall.Provisional.Overall.StationsReported), await page.Locator("#stations-reported").InnerTextAsync().DefaultTimeout());
        Assert.Equal(N(overall.Certified.Overall.StationsReported), await page.Locator("#stations-certified").InnerTextAsync().DefaultTimeout());
        Assert.Equal(N(fixture.Board.Queue()[0].FlaggedPending), await page.Locator("#flagged-pending").InnerTextAsync().DefaultTimeout());
        Assert.Equal(fixture.Central.Pki.Election.Municipalities.Count, await page.Locator("#municipalities tbody tr").CountAsync().DefaultTimeout());
        Assert.Equal("page", await page.Locator("nav a", new() { HasText = "Progress" }).GetAttributeAsync("aria-current").DefaultTimeout());
        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-progress");

        // ST-0027 is flagged and pending (fixture): its municipality's row links to its part of the queue.
        var municipality = fixture.MunicipalityOf("ST-0027");
        var row = page.Locator($"#municipality-{municipality}");
        Assert.Equal(N(fixture.Board.Queue().Single(q => q.MunicipalityCode == municipality).FlaggedPending), await row.Locator("td.flagged-count").InnerTextAsync().DefaultTimeout());
        await row.Locator("th a").ClickAsync().DefaultTimeout();
        // A click starts the navigation; wait for it before reading the URL and the new page.
        await page.WaitForURLAsync($"**/queue?municipality={municipality}").DefaultTimeout();

        Assert.EndsWith($"/queue?municipality={municipality}", page.Url, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#station-ST-0027").CountAsync().DefaultTimeout());
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Browser_Queue_ShowsTheFlaggedProtocolWithItsFlagMessage()
    {
        var signed = await fixture.SubmitAsync(ReviewBrowserCentral.Flagged(fixture.Protocol("ST-0001"), TestPng.CountSheet()), [TestPng.CountSheet()]);
        var flags = fixture.Board.FindByEnvelope(Convert.ToHexStringLower(signed.EnvelopeSha256))!.Value.Revision.Flags;
        var flag = Assert.Single(flags, f => f.Code == "VALID_INVALID_NOT_USED");

        await using var opened = await OpenAsync("/queue");
        var (page, problems) = (opened.Page, opened.Problems);

        Assert.Equal("Review queue", await page.Locator("h1").InnerTextAsync().DefaultTimeout());
        var row = page.Locator("#station-ST-0001");
        Assert.Contains("flagged", await row.GetAttributeAsync("class").DefaultTimeout(), StringComparison.Ordinal);
        Assert.Equal("Pending", await row.Locator(".state").InnerTextAsync().DefaultTimeout());
        Assert.Equal("⚑ flagged", await row.Locator(".flag-marker").InnerTextAsync().DefaultTimeout());
        // The reason is on the page in words, not only in a tooltip.
        var item = row.Locator(".flags li", new() { HasText = flag.Code });
        Assert.Equal(flag.Message, await item.Locator(".flag-message").InnerTextAsync().DefaultTimeout());
        Assert.True(await item.IsVisibleAsync().DefaultTimeout());
        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-queue");

        // Filtering by that flag code with the form keeps the station and only flagged ones.
        await page.Locator("#filter-flag").SelectOptionAsync(flag.Code).DefaultTimeout();
        await page.Locator("#queue-filters button").ClickAsync().DefaultTimeout();
        await page.WaitForURLAsync("**flag=VALID_INVALID_NOT_USED*").DefaultTimeout();
        Assert.Contains("flag=VALID_INVALID_NOT_USED", page.Url, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#station-ST-0001").CountAsync().DefaultTimeout());
        Assert.Equal(await page.Locator("#queue tbody tr").CountAsync().DefaultTimeout(), await page.Locator("#queue tbody tr.flagged").CountAsync().DefaultTimeout());

        await row.Locator("a", new() { HasText = "Review" }).ClickAsync().DefaultTimeout();
        await page.WaitForURLAsync("**/submissions/*").DefaultTimeout();
        Assert.EndsWith("/submissions/" + Convert.ToHexStringLower(signed.EnvelopeSha256), page.Url, StringComparison.Ordinal);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Browser_Submission_ShowsTheNumbersBesideTheScannedForm()
    {
        var scan = TestPng.CountSheet();
        var protocol = ReviewBrowserCentral.Flagged(fixture.Protocol("ST-0002"), scan);
        var signed = await fixture.SubmitAsync(protocol, [scan]);
        var hex = Convert.ToHexStringLower(signed.EnvelopeSha256);

        await using var opened = await OpenAsync("/submissions/" + hex);
        var (page, problems) = (opened.Page, opened.Problems);

        Assert.Equal("Station ST-0002 revision 1", await page.Locator("h1").InnerTextAsync().DefaultTimeout());
        Assert.StartsWith("Station ST-0002, revision 1 · ", await page.TitleAsync().DefaultTimeout(), StringComparison.Ordinal);
        Assert.Equal(N(protocol.Ballots.Invalid), await page.Locator("#ballots-invalid").InnerTextAsync().DefaultTimeout());
        Assert.Equal(N(protocol.Ballots.Used), await page.Locator("#ballots-used").InnerTextAsync().DefaultTimeout());
        Assert.Equal(N(protocol.Ballots.Valid), await page.Locator("#ballots-valid").InnerTextAsync().DefaultTimeout());
        foreach (var contest in protocol.Contests)
        {
            foreach (var choice in contest.Choices)
            {
                var row = page.Locator($"tr[data-choice=\"{contest.ContestId}/{choice.ChoiceId}\"]");
                Assert.Equal(fixture.Central.Pki.Election.Contests.Single(c => c.Id == contest.ContestId).Choices.Single(c => c.Id == choice.ChoiceId).Name.Default, await row.Locator("th").InnerTextAsync().DefaultTimeout());
                Assert.Equal(N(choice.Votes), await row.Locator("td").InnerTextAsync().DefaultTimeout());
            }
        }

        Assert.Equal(protocol.Explanation, await page.Locator("#explanation").InnerTextAsync().DefaultTimeout());
        Assert.Contains("VALID_INVALID_NOT_USED", await page.Locator("#flags").InnerTextAsync().DefaultTimeout(), StringComparison.Ordinal);
        Assert.Equal("urn:transmission:station:ST-0002", await page.Locator("#signer-uri").InnerTextAsync().DefaultTimeout());
        Assert.Equal(hex, await page.Locator("#envelope-sha256").InnerTextAsync().DefaultTimeout());
        var revision = fixture.Board.FindByEnvelope(hex)!.Value.Revision;
        Assert.Equal(N(revision.LogIndex), await page.Locator("#log-index").InnerTextAsync().DefaultTimeout());

        // The scan is Central's stored bytes, decoded by the browser: its real size, not a broken-image icon.
        var image = page.Locator(".scan-image img");
        await image.EvaluateAsync("img => img.decode()").DefaultTimeout();
        Assert.Equal(420, await image.EvaluateAsync<int>("img => img.naturalWidth").DefaultTimeout());
        Assert.Equal(560, await image.EvaluateAsync<int>("img => img.naturalHeight").DefaultTimeout());
        Assert.Equal($"/submissions/{hex}/attachments/0", await image.GetAttributeAsync("src").DefaultTimeout());
        var numbers = await page.Locator("#numbers").BoundingBoxAsync().DefaultTimeout();
        var scanBox = await page.Locator("#scan").BoundingBoxAsync().DefaultTimeout();
        Assert.True(numbers!.X + numbers.Width <= scanBox!.X, "the scan is beside the numbers at 1280 px");
        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-submission");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Browser_AcceptWithTheKeyboard_MovesToAcceptedAndTheCertifiedTotalsGrowByItsVotes()
    {
        var protocol = fixture.Protocol("ST-0003");
        var signed = await fixture.SubmitAsync(protocol);
        var hex = Convert.ToHexStringLower(signed.EnvelopeSha256);
        await using var opened = await OpenAsync("/totals");
        var (page, problems) = (opened.Page, opened.Problems);
        var before = await CertifiedVotesAsync(page);
        var certifiedBefore = await page.Locator("#totals-stations-certified").InnerTextAsync().DefaultTimeout();

        await page.GotoAsync(fixture.Url("/submissions/" + hex)).DefaultTimeout();
        await page.Locator(".skip-to-decision a").FocusAsync().DefaultTimeout();
        await page.Keyboard.PressAsync("Enter").DefaultTimeout();
        await page.Keyboard.PressAsync("Tab").DefaultTimeout();
        Assert.Equal("decision-accept", await ActiveIdAsync(page));
        await page.Keyboard.PressAsync("Space").DefaultTimeout();
        Assert.True(await page.Locator("#decision-accept").IsCheckedAsync().DefaultTimeout());
        await page.Keyboard.PressAsync("Tab").DefaultTimeout();
        Assert.Equal("reason", await ActiveIdAsync(page));
        await page.Keyboard.TypeAsync("Numbers match the scanned form.").DefaultTimeout();
        await page.Keyboard.PressAsync("Tab").DefaultTimeout();
        var posted = await page.RunAndWaitForResponseAsync(() => page.Keyboard.PressAsync("Enter"), r => r.Request.Method == "POST").DefaultTimeout();
        Assert.Equal(303, posted.Status);
        await page.WaitForURLAsync("**/submissions/*?decided=true#decision-result").DefaultTimeout();

        var decision = fixture.Board.FindByEnvelope(hex)!.Value.Revision.Decision;
        Assert.NotNull(decision);
        Assert.Equal(ReviewState.Accepted, decision.State);
        Assert.Equal("Numbers match the scanned form.", decision.Reason);
        Assert.Equal(ReviewBrowserCentral.VerifierUri, decision.VerifierUri);
        Assert.EndsWith($"/submissions/{hex}?decided=true#decision-result", page.Url, StringComparison.Ordinal);
        Assert.Equal($"Accepted; log index {decision.LogIndex.ToString(CultureInfo.InvariantCulture)}", await page.Locator("#decision-result strong").InnerTextAsync().DefaultTimeout());
        Assert.Equal("Accepted", await page.Locator("#submission-state").InnerTextAsync().DefaultTimeout());
        Assert.Equal(0, await page.Locator("#decision-form").CountAsync().DefaultTimeout());
        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-submission-accepted");

        await page.GotoAsync(fixture.Url("/totals")).DefaultTimeout();
        var after = await CertifiedVotesAsync(page);
        foreach (var contest in protocol.Contests)
        {
            foreach (var choice in contest.Choices)
            {
                var key = $"{contest.ContestId}/{choice.ChoiceId}";
                Assert.Equal(before[key] + choice.Votes, after[key]);
            }
        }

        Assert.Equal(Parse(certifiedBefore) + 1, Parse(await page.Locator("#totals-stations-certified").InnerTextAsync().DefaultTimeout()));
        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-totals");
        Assert.Empty(problems);
        fixture.Central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Browser_DecisionWithoutAReason_ShowsReasonRequiredAndStoresNothing()
    {
        var signed = await fixture.SubmitAsync(fixture.Protocol("ST-0004"));
        var hex = Convert.ToHexStringLower(signed.EnvelopeSha256);
        await using var opened = await OpenAsync("/submissions/" + hex);
        var page = opened.Page;
        var stored = await StoredCountsAsync();

        // An empty reason never leaves the browser: the field is required.
        await page.Locator("#decision-accept").CheckAsync().DefaultTimeout();
        await page.Locator("#decision-form button").ClickAsync().DefaultTimeout();
        Assert.True(await page.Locator("#reason").EvaluateAsync<bool>("e => e.validity.valueMissing").DefaultTimeout());
        Assert.EndsWith("/submissions/" + hex, page.Url, StringComparison.Ordinal);

        // Spaces pass the browser's check; Central trims them and refuses.
        await page.Locator("#reason").FillAsync("   ").DefaultTimeout();
        var response = await page.RunAndWaitForResponseAsync(() => page.Locator("#decision-form button").ClickAsync(), r => r.Request.Method == "POST").DefaultTimeout();
        await page.WaitForLoadStateAsync(LoadState.Load).DefaultTimeout();

        Assert.Equal(422, response.Status);
        Assert.Equal("REASON_REQUIRED: every decision needs a reason.", await page.Locator("#decision-problem").InnerTextAsync().DefaultTimeout());
        Assert.Equal("alert", await page.Locator("#decision-problem").GetAttributeAsync("role").DefaultTimeout());
        Assert.True(await page.Locator("#decision-accept").IsCheckedAsync().DefaultTimeout(), "the choice is kept");
        Assert.Equal("true", await page.Locator("#reason").GetAttributeAsync("aria-invalid").DefaultTimeout());
        Assert.Equal("reason", await ActiveIdAsync(page));
        Assert.Equal("Pending", await page.Locator("#submission-state").InnerTextAsync().DefaultTimeout());
        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-submission-reason-required");

        Assert.Equal(stored, await StoredCountsAsync());
        Assert.Equal(ReviewState.Pending, fixture.Board.FindByEnvelope(hex)!.Value.Revision.State);
    }

    [Fact]
    public async Task Browser_Totals_UpdateByThemselvesWithoutMovingFocus()
    {
        await using var opened = await OpenAsync("/totals");
        var (page, problems) = (opened.Page, opened.Problems);
        var before = await ProvisionalVotesAsync(page);
        var events = await page.Locator("#events-applied").InnerTextAsync().DefaultTimeout();
        await page.EvaluateAsync("() => { window.notReloaded = true; }").DefaultTimeout();
        await page.Locator("#municipality").FocusAsync().DefaultTimeout();

        var protocol = fixture.Protocol("ST-0005");
        await fixture.SubmitAsync(protocol);

        // The script fetches the section every 5 s; the default timeout leaves room for a few rounds.
        await page.WaitForFunctionAsync($"() => document.getElementById('events-applied').textContent !== '{events}'").DefaultTimeout();
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true").DefaultTimeout(), "swapped in, not reloaded");
        Assert.Equal("municipality", await ActiveIdAsync(page));
        var after = await ProvisionalVotesAsync(page);
        foreach (var contest in protocol.Contests)
        {
            foreach (var choice in contest.Choices)
            {
                var key = $"{contest.ContestId}/{choice.ChoiceId}";
                Assert.Equal(before[key] + choice.Votes, after[key]);
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Browser_Exports_ClickDownloadsTheFileUnderItsNameWithTheStationsRows()
    {
        await using var opened = await OpenAsync("/exports");
        var page = opened.Page;
        Assert.Equal("Exports", await page.Locator("h1").InnerTextAsync().DefaultTimeout());
        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-exports");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#exports a", new() { HasText = "stations.csv" }).ClickAsync()).DefaultTimeout();

        Assert.Equal("stations.csv", download.SuggestedFilename);
        var path = await download.PathAsync().DefaultTimeout();
        var lines = await File.ReadAllLinesAsync(path!).DefaultTimeout();
        Assert.StartsWith("election_id,station_code,", lines[0], StringComparison.Ordinal);
        // ST-0011 is accepted by the fixture: its rows carry its envelope hash.
        var accepted = fixture.Board.GetStation("ST-0011")!.Latest!;
        Assert.Contains(lines, l => l.StartsWith($"{fixture.Central.Pki.Election.ElectionId},ST-0011,", StringComparison.Ordinal) && l.Contains(accepted.EnvelopeSha256Hex, StringComparison.Ordinal));
        Assert.Empty(opened.Problems);
    }

    // A fresh browser profile with the verifier's certificate, on the page at path (HTTP 200 asserted). Problems collects
    // console errors and warnings (Content-Security-Policy violations among them) and uncaught script errors.
    private async Task<BrowserPage> OpenAsync(string path)
    {
        var context = await fixture.Chromium.NewContextAsync(fixture.Origin, fixture.Central.Pki.VerifierDir);
        var page = await context.NewPageAsync().DefaultTimeout();
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Enqueue($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Enqueue($"page error: {error}");
        var response = await page.GotoAsync(fixture.Url(path)).DefaultTimeout();
        Assert.Equal(200, response!.Status);
        return new BrowserPage(context, page, problems);
    }

    private static async Task<string> ActiveIdAsync(IPage page) =>
        await page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.id : ''").DefaultTimeout();

    private static Task<Dictionary<string, long>> CertifiedVotesAsync(IPage page) => VotesAsync(page, "td.certified-votes");

    private static Task<Dictionary<string, long>> ProvisionalVotesAsync(IPage page) => VotesAsync(page, "td.provisional-votes");

    // Every choice's votes on the totals page, keyed "contest/choice", read from what is shown (with separators).
    private static async Task<Dictionary<string, long>> VotesAsync(IPage page, string cell)
    {
        var rows = page.Locator("#totals-live tr[data-choice]");
        var keys = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.choice)").DefaultTimeout();
        var values = await rows.EvaluateAllAsync<string[]>($"rows => rows.map(r => r.querySelector('{cell}').textContent)").DefaultTimeout();
        return keys.Zip(values).ToDictionary(p => p.First, p => Parse(p.Second), StringComparer.Ordinal);
    }

    private async Task<(int Decisions, int LogEntries)> StoredCountsAsync()
    {
        await using var db = fixture.Central.OpenDatabase();
        return (await db.ReviewDecisions.CountAsync().DefaultTimeout(), await db.LogEntries.CountAsync().DefaultTimeout());
    }

    private static string N(long value) => DashboardText.Number(value);

    private sealed record BrowserPage(IBrowserContext Context, IPage Page, ConcurrentQueue<string> Problems) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await Context.DisposeAsync();
    }

    private static long Parse(string text) => long.Parse(text.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
}
