using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;

namespace Transmission.Central.Dashboard;

/// <summary>
/// The dashboard's language: Albanian (<c>sq</c>), Serbian in Latin script (<c>sr-Latn</c>) or English (<c>en</c>, the
/// fallback). A verifier's choice from the language switch is remembered in a cookie; before any choice the
/// browser's <c>Accept-Language</c> decides. Only pages change: logs, exports and gRPC answers are not localized.
/// </summary>
public static class DashboardLanguage
{
    /// <summary>The cookie that remembers the choice (ASP.NET Core's <c>c=…|uic=…</c> format).</summary>
    public const string CookieName = "transmission-lang";

    /// <summary>The switch's address: <c>/language/sq?return=/queue</c>.</summary>
    public const string Pattern = "/language/{language}";

    /// <summary>The languages and their names in their own language, for the switch.</summary>
    public static IReadOnlyList<(string Culture, string NativeName)> Languages { get; } =
    [
        ("sq", "Shqip"),
        ("sr-Latn", "Srpski"),
        ("en", "English"),
    ];

    /// <summary>How long the choice is remembered. Defaults to one year.</summary>
    public static TimeSpan Remembered { get; } = TimeSpan.FromDays(365);

    /// <summary>The request localization of the pages: the cookie first, then Accept-Language, else English.</summary>
    public static RequestLocalizationOptions Options()
    {
        var cultures = Languages.Select(l => CultureInfo.GetCultureInfo(l.Culture)).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("en"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
        };
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider { CookieName = CookieName },
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
        return options;
    }

    /// <summary>
    /// <c>GET /language/{language}?return=/path</c>: remembers the language in the cookie and goes back to the page
    /// (a local path only, so the switch cannot be used to send a verifier elsewhere). An unknown language is 404.
    /// </summary>
    public static IResult Choose(HttpContext context, string language)
    {
        ArgumentNullException.ThrowIfNull(context);
        var match = Languages.FirstOrDefault(l => string.Equals(l.Culture, language, StringComparison.OrdinalIgnoreCase)).Culture;
        if (match is null)
        {
            return Results.NotFound();
        }

        context.Response.Cookies.Append(
            CookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(match)),
            new CookieOptions
            {
                Path = "/",
                Secure = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                MaxAge = Remembered,
                IsEssential = true,
            });
        var back = context.Request.Query["return"].ToString();
        return Results.Redirect(IsLocalPath(back) ? back : "/");
    }

    /// <summary>The switch's link for <paramref name="culture"/> that comes back to <paramref name="request"/>'s page.</summary>
    public static string LinkFor(string culture, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var here = request.Path.Value + request.QueryString.Value;
        return "/language/" + culture + "?return=" + Uri.EscapeDataString(string.IsNullOrEmpty(here) ? "/" : here);
    }

    private static bool IsLocalPath(string path) =>
        path.Length > 0 && path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'));
}
