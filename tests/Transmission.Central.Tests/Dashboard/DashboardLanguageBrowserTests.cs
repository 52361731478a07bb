using Microsoft.Playwright;
using Transmission.Central.Dashboard;
using Transmission.Testing;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>
/// The dashboard's languages in a real Chromium against the real Central: the browser's language is the first
/// default, the language switch changes every page's text and is remembered (cookie) across pages and new tabs, and
/// names from the election definition appear in the chosen language when the definition has one.
/// </summary>
public sealed class DashboardLanguageBrowserTests(BrowserCentral fixture) : IClassFixture<BrowserCentral>
{
    public static TheoryData<string, string, string, string, string> Languages => new()
    {
        { "sq", "Shqip", "Ecuria", "Radha e shqyrtimit", "ZGJEDHJE PROVË: të dhëna ushtrimi, jo rezultate të vërteta" },
        { "sr-Latn", "Srpski", "Napredak", "Red za pregled", "PROBNI IZBORI: podaci sa vežbe, ne pravi rezultati" },
        { "en", "English", "Progress", "Review queue", "TEST ELECTION: rehearsal data, not real results" },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Switch_ChooseLanguage_PagesInItAndRemembered(string culture, string switchText, string heading, string queueNav, string banner)
    {
        // Start from the other end of the switch so that every choice is a change.
        await using var context = await fixture.Chromium.NewContextAsync(fixture.Origin, fixture.Central.Pki.VerifierDir, locale: culture == "en" ? "sq-AL" : "en-US");
        var page = await context.NewPageAsync().DefaultTimeout();
        await page.GotoAsync(fixture.Origin.ToString()).DefaultTimeout();

        await page.Locator("#language-switch a", new PageLocatorOptions { HasTextString = switchText }).ClickAsync().DefaultTimeout();
        // Back on the same address, so waiting for the address would race the navigation: wait for the new language.
        await Assertions.Expect(page.Locator("html"))
            .ToHaveAttributeAsync("lang", culture, new LocatorAssertionsToHaveAttributeOptions { Timeout = (float)TestTimeouts.Default.TotalMilliseconds })
            .DefaultTimeout();

        Assert.Equal(fixture.Origin.ToString(), page.Url);
        Assert.Equal(heading, await page.Locator("h1").InnerTextAsync().DefaultTimeout());
        Assert.Equal(queueNav, await page.Locator("nav.site-nav a").Nth(1).InnerTextAsync().DefaultTimeout());
        // The text as written (the style sheet shows it in capitals).
        Assert.Equal(banner, await page.Locator("#test-banner").TextContentAsync().DefaultTimeout());
        Assert.Equal("true", await page.Locator("#language-switch a", new PageLocatorOptions { HasTextString = switchText }).GetAttributeAsync("aria-current").DefaultTimeout());

        // The election's name as the definition gives it in this language; its id never changes.
        var election = fixture.Central.Pki.Election;
        Assert.Equal(election.Name.Get(culture), await page.Locator("header .election-name").InnerTextAsync().DefaultTimeout());
        Assert.Equal(election.ElectionId, await page.Locator("header .election-id").InnerTextAsync().DefaultTimeout());

        // Remembered: another page, then a new tab of the same browser, are in the chosen language.
        await page.Locator("nav.site-nav a").Nth(1).ClickAsync().DefaultTimeout();
        Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang").DefaultTimeout());
        Assert.Equal(queueNav, await page.Locator("nav.site-nav a[aria-current=page]").InnerTextAsync().DefaultTimeout());
        var tab = await context.NewPageAsync().DefaultTimeout();
        await tab.GotoAsync(fixture.Origin.ToString()).DefaultTimeout();
        Assert.Equal(heading, await tab.Locator("h1").InnerTextAsync().DefaultTimeout());
        var cookie = Assert.Single(await context.CookiesAsync().DefaultTimeout(), c => c.Name == DashboardLanguage.CookieName);
        Assert.True(cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        await ChromiumSession.SaveScreenshotAsync(tab, "dashboard-home-" + culture);
        fixture.Central.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("sq-AL", "sq", "Ecuria")]
    [InlineData("sr-Latn-RS", "sr-Latn", "Napredak")]
    [InlineData("de-DE", "en", "Progress")]
    public async Task AcceptLanguage_NoChoiceYet_BrowserLanguageOrEnglish(string browserLocale, string culture, string heading)
    {
        await using var context = await fixture.Chromium.NewContextAsync(fixture.Origin, fixture.Central.Pki.VerifierDir, locale: browserLocale);
        var page = await context.NewPageAsync().DefaultTimeout();

        await page.GotoAsync(fixture.Origin.ToString()).DefaultTimeout();

        Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang").DefaultTimeout());
        Assert.Equal(heading, await page.Locator("h1").InnerTextAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Switch_ReturnToAnotherSite_StaysOnTheDashboard()
    {
        await using var context = await fixture.Chromium.NewContextAsync(fixture.Origin, fixture.Central.Pki.VerifierDir);
        var page = await context.NewPageAsync().DefaultTimeout();

        await page.GotoAsync(new Uri(fixture.Origin, "/language/sq?return=//evil.example/").ToString()).DefaultTimeout();

        Assert.Equal(fixture.Origin.ToString(), page.Url);
        Assert.Equal("Ecuria", await page.Locator("h1").InnerTextAsync().DefaultTimeout());
    }
}
