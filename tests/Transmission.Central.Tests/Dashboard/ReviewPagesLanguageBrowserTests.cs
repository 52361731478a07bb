using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Transmission.Core.Review;
using Transmission.Testing;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>
/// The review queue, a submission, the totals and the exports in Albanian, Serbian (Latin) and English, in a real
/// Chromium against the same Central as <see cref="ReviewPagesBrowserTests"/>: each page's words in the chosen language
/// (the expected texts are written out here, not read from the resources), numbers and times in its culture, names
/// from the election definition in that language, and a decision (refused without a reason, then stored) made in
/// Albanian and in Serbian.
/// </summary>
public sealed partial class ReviewPagesBrowserTests
{
    /// <summary>Per language: the words expected on each page.</summary>
    public static TheoryData<string> PageLanguages => new() { "sq", "sr-Latn", "en" };

    private static readonly Dictionary<string, PageWords> Words = new(StringComparer.Ordinal)
    {
        ["sq"] = new(
            QueueHeading: "Radha e shqyrtimit",
            StationsMatch: "vendvotime përputhen",
            Accepted: "Pranuar",
            NotBalanced: "Fletëvotimet e pranuara nuk janë sa të përdorurat plus të papërdorurat plus të dëmtuarat.",
            SubmissionHeading: "Vendvotimi ST-0027 rishikimi 1",
            BallotsCaption: "Fletëvotimet",
            SignedBy: "Nënshkruar nga",
            TotalsHeading: "Totalet",
            TurnoutProvisional: "Pjesëmarrja, paraprake",
            RegisteredNote: @"^\d{1,3}(?:[\u00A0\u202F ]\d{3})* nga \d{1,3}(?:[\u00A0\u202F ]\d{3})+ të regjistruar$",
            Legend: "Paraprake",
            ExportsHeading: "Eksportet",
            ExportsWhat: "Çfarë",
            Decimal: ",",
            Time: @"^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}[\u00A0 ]UTC$"),
        ["sr-Latn"] = new(
            QueueHeading: "Red za pregled",
            StationsMatch: "biračkih mesta odgovara",
            Accepted: "Prihvaćen",
            NotBalanced: "Primljeni listići nisu jednaki zbiru upotrebljenih, neupotrebljenih i oštećenih.",
            SubmissionHeading: "Biračko mesto ST-0027 revizija 1",
            BallotsCaption: "Glasački listići",
            SignedBy: "Potpisao",
            TotalsHeading: "Zbirovi",
            TurnoutProvisional: "Izlaznost, privremena",
            RegisteredNote: @"^\d{1,3}(?:\.\d{3})* od \d{1,3}(?:\.\d{3})+ upisanih$",
            Legend: "Privremeno",
            ExportsHeading: "Izvozi",
            ExportsWhat: "Šta",
            Decimal: ",",
            Time: @"^\d{2}\.\d{2}\.\d{4}\. \d{2}:\d{2}:\d{2}[\u00A0 ]UTC$"),
        ["en"] = new(
            QueueHeading: "Review queue",
            StationsMatch: "stations match",
            Accepted: "Accepted",
            NotBalanced: null,
            SubmissionHeading: "Station ST-0027 revision 1",
            BallotsCaption: "Ballots",
            SignedBy: "Signed by",
            TotalsHeading: "Totals",
            TurnoutProvisional: "Turnout, provisional",
            RegisteredNote: @"^\d{1,3}(?:,\d{3})* of \d{1,3}(?:,\d{3})+ registered$",
            Legend: "Provisional",
            ExportsHeading: "Exports",
            ExportsWhat: "What",
            Decimal: ".",
            Time: @"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[\u00A0 ]UTC$"),
    };

    [Theory]
    [MemberData(nameof(PageLanguages))]
    public async Task Browser_QueueInALanguage_ItsWordsTimesFlagsAndMunicipalityNames(string culture)
    {
        var words = Words[culture];
        await using var opened = await OpenAsync(InLanguage(culture, "/queue?state=any"));
        var page = opened.Page;

        Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang").DefaultTimeout());
        Assert.Equal(words.QueueHeading, await page.Locator("h1").InnerTextAsync().DefaultTimeout());
        Assert.Contains(words.StationsMatch, await page.Locator("#queue-count").InnerTextAsync().DefaultTimeout(), StringComparison.Ordinal);

        // ST-0011 is accepted by the fixture; ST-0027 is flagged BALLOTS_NOT_BALANCED and pending.
        var accepted = page.Locator("#station-ST-0011");
        Assert.Equal(words.Accepted, await accepted.Locator(".state").InnerTextAsync().DefaultTimeout());
        Assert.Matches(words.Time, await accepted.Locator("time").InnerTextAsync().DefaultTimeout());
        var municipality = fixture.Central.Pki.Election.Municipalities.Single(m => m.Code == fixture.MunicipalityOf("ST-0011"));
        Assert.Equal(municipality.Name.Get(culture), await accepted.Locator("td").First.InnerTextAsync().DefaultTimeout());

        var flag = Assert.Single(fixture.Board.GetStation("ST-0027")!.Latest!.Flags, f => f.Code == "BALLOTS_NOT_BALANCED");
        var item = page.Locator("#station-ST-0027 .flags li", new() { HasText = flag.Code });
        Assert.Equal(flag.Code, await item.Locator(".flag-code").InnerTextAsync().DefaultTimeout());
        Assert.Equal(words.NotBalanced ?? flag.Message, await item.Locator(".flag-message").InnerTextAsync().DefaultTimeout());

        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-queue-" + culture);
        Assert.Empty(opened.Problems);
    }

    [Theory]
    [MemberData(nameof(PageLanguages))]
    public async Task Browser_SubmissionInALanguage_ItsWordsNumbersAndTheFlagBesideItsCode(string culture)
    {
        var words = Words[culture];
        var revision = fixture.Board.GetStation("ST-0027")!.Latest!;
        await using var opened = await OpenAsync(InLanguage(culture, "/submissions/" + revision.EnvelopeSha256Hex));
        var page = opened.Page;

        Assert.Equal(words.SubmissionHeading, await page.Locator("h1").InnerTextAsync().DefaultTimeout());
        Assert.Equal(words.BallotsCaption, await page.Locator("#ballots caption").InnerTextAsync().DefaultTimeout());
        Assert.Equal(revision.CountedProtocol.Ballots.Used.ToString("N0", CultureInfo.GetCultureInfo(culture)), await page.Locator("#ballots-used").InnerTextAsync().DefaultTimeout());
        var flags = await page.Locator("#flags").InnerTextAsync().DefaultTimeout();
        Assert.Contains("BALLOTS_NOT_BALANCED", flags, StringComparison.Ordinal);
        Assert.Contains(words.NotBalanced ?? revision.Flags.Single(f => f.Code == "BALLOTS_NOT_BALANCED").Message, flags, StringComparison.Ordinal);
        Assert.Equal(words.SignedBy, await page.Locator("#facts th").First.InnerTextAsync().DefaultTimeout());
        Assert.Matches(words.Time, await page.Locator("#revisions td time").First.InnerTextAsync().DefaultTimeout());

        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-submission-" + culture);
        Assert.Empty(opened.Problems);
    }

    [Theory]
    [MemberData(nameof(PageLanguages))]
    public async Task Browser_TotalsInALanguage_ItsWordsDecimalCommaOrPointAndThousandsSeparators(string culture)
    {
        var words = Words[culture];
        await using var opened = await OpenAsync(InLanguage(culture, "/totals"));
        var page = opened.Page;

        Assert.Equal(words.TotalsHeading, await page.Locator("h1").InnerTextAsync().DefaultTimeout());
        Assert.Contains(words.TurnoutProvisional, await page.Locator("#totals-live dt").AllInnerTextsAsync().DefaultTimeout());
        Assert.Matches(@"^\d{1,3}" + Regex.Escape(words.Decimal) + @"\d %$", await page.Locator("#turnout-provisional").InnerTextAsync().DefaultTimeout());
        // Ballots used of the registered voters of about 25 reporting stations: thousands, with the language's separator.
        var registered = page.Locator("#totals-live .figure", new() { Has = page.Locator("#turnout-provisional") }).Locator(".figure-note");
        Assert.Matches(words.RegisteredNote, await registered.InnerTextAsync().DefaultTimeout());
        Assert.Equal(words.Legend, await page.Locator("#totals-live svg .legend text").First.TextContentAsync().DefaultTimeout());
        var municipality = fixture.Central.Pki.Election.Municipalities.OrderBy(m => m.Code, StringComparer.Ordinal).First();
        Assert.Equal($"{municipality.Name.Get(culture)} ({municipality.Code})", await page.Locator($"#municipality option[value=\"{municipality.Code}\"]").InnerTextAsync().DefaultTimeout());

        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-totals-" + culture);
        Assert.Empty(opened.Problems);
    }

    [Theory]
    [MemberData(nameof(PageLanguages))]
    public async Task Browser_ExportsInALanguage_ItsWordsAndTime(string culture)
    {
        var words = Words[culture];
        await using var opened = await OpenAsync(InLanguage(culture, "/exports"));
        var page = opened.Page;

        Assert.Equal(words.ExportsHeading, await page.Locator("h1").InnerTextAsync().DefaultTimeout());
        Assert.Equal(words.ExportsWhat, await page.Locator("#exports thead th").First.InnerTextAsync().DefaultTimeout());
        Assert.Matches(words.Time, await page.Locator(".as-of time").InnerTextAsync().DefaultTimeout());
        // File names are the same in every language.
        Assert.Equal(1, await page.Locator("#exports a", new() { HasText = "stations.csv" }).CountAsync().DefaultTimeout());

        await ChromiumSession.SaveScreenshotAsync(page, "dashboard-exports-" + culture);
        Assert.Empty(opened.Problems);
    }

    [Theory]
    [InlineData("sq", "ST-0006", "decision-accept", "Prano", "Regjistro vendimin", "REASON_REQUIRED: çdo vendim kërkon një arsye.", "Pranuar", "{0}; indeksi në regjistër {1}", ReviewState.Accepted)]
    [InlineData("sr-Latn", "ST-0007", "decision-reject", "Odbij", "Zabeleži odluku", "REASON_REQUIRED: svaka odluka mora imati razlog.", "Odbijen", "{0}; indeks u dnevniku {1}", ReviewState.Rejected)]
    public async Task Browser_DecideInALanguage_RefusedWithoutAReasonThenStored(
        string culture, string station, string choice, string label, string button, string refusal, string stateWord, string success, ReviewState state)
    {
        var signed = await fixture.SubmitAsync(fixture.Protocol(station));
        var hex = Convert.ToHexStringLower(signed.EnvelopeSha256);
        await using var opened = await OpenAsync(InLanguage(culture, "/submissions/" + hex));
        var page = opened.Page;
        var stored = await StoredCountsAsync();

        Assert.Equal(label, await page.Locator($"label[for={choice}]").InnerTextAsync().DefaultTimeout());
        await page.Locator("#" + choice).CheckAsync().DefaultTimeout();
        await page.Locator("#reason").FillAsync("   ").DefaultTimeout();
        var refused = await page.RunAndWaitForResponseAsync(() => page.Locator("#decision-form button", new() { HasText = button }).ClickAsync(), r => r.Request.Method == "POST").DefaultTimeout();
        await page.WaitForLoadStateAsync(LoadState.Load).DefaultTimeout();

        // The code as it is, the words in the chosen language; nothing stored.
        Assert.Equal(422, refused.Status);
        Assert.Equal(refusal, await page.Locator("#decision-problem").InnerTextAsync().DefaultTimeout());
        Assert.Equal(stored, await StoredCountsAsync());
        Assert.Equal(ReviewState.Pending, fixture.Board.FindByEnvelope(hex)!.Value.Revision.State);

        var reason = culture == "sq" ? "Numrat përputhen me procesverbalin e skanuar." : "Zapisnik je potpisao samo jedan član odbora.";
        await page.Locator("#reason").FillAsync(reason).DefaultTimeout();
        var posted = await page.RunAndWaitForResponseAsync(() => page.Locator("#decision-form button").ClickAsync(), r => r.Request.Method == "POST").DefaultTimeout();
        Assert.Equal(303, posted.Status);
        await page.WaitForURLAsync("**/submissions/*?decided=true#decision-result").DefaultTimeout();

        var decision = fixture.Board.FindByEnvelope(hex)!.Value.Revision.Decision;
        Assert.NotNull(decision);
        Assert.Equal(state, decision.State);
        Assert.Equal(reason, decision.Reason);
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, success, stateWord, decision.LogIndex), await page.Locator("#decision-result strong").InnerTextAsync().DefaultTimeout());
        Assert.Equal(stateWord, await page.Locator("#submission-state").InnerTextAsync().DefaultTimeout());
        Assert.StartsWith(stateWord, await page.Locator("#decided").InnerTextAsync().DefaultTimeout(), StringComparison.Ordinal);
        await ChromiumSession.SaveScreenshotAsync(page, $"dashboard-submission-decided-{culture}");
        // The browser reports the refused POST's 422 in its console; nothing else went wrong.
        Assert.All(opened.Problems, p => Assert.Contains("status of 422", p, StringComparison.Ordinal));
    }

    // The language switch's address, which sets the cookie and comes back to path.
    private static string InLanguage(string culture, string path) => $"/language/{culture}?return={Uri.EscapeDataString(path)}";

    private sealed record PageWords(
        string QueueHeading,
        string StationsMatch,
        string Accepted,
        string? NotBalanced,
        string SubmissionHeading,
        string BallotsCaption,
        string SignedBy,
        string TotalsHeading,
        string TurnoutProvisional,
        string RegisteredNote,
        string Legend,
        string ExportsHeading,
        string ExportsWhat,
        string Decimal,
        string Time);
}
