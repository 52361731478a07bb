using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.WebEncoders;

namespace Transmission.Central.Dashboard;

/// <summary>Wires the verifiers' web dashboard (Razor Pages under <c>Dashboard/Pages</c>) into Central's host.</summary>
public static class DashboardServices
{
    /// <summary>Where the dashboard's static files (its style sheet and the totals page's script) are served.</summary>
    public const string AssetsPath = "/assets";

    /// <summary>The antiforgery cookie; <c>__Host-</c> makes the browser insist on Secure, Path=/ and no Domain.</summary>
    public const string AntiforgeryCookieName = "__Host-transmission-antiforgery";

    /// <summary>
    /// Registers Razor Pages (root <c>/Dashboard/Pages</c>, from Central's own assembly whichever process hosts it),
    /// antiforgery with a strict cookie, and data protection keys held in memory only (<see cref="InMemoryKeyRepository"/>).
    /// </summary>
    public static IServiceCollection AddCentralDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var pages = services.AddRazorPages(options => options.RootDirectory = "/Dashboard/Pages");
        // MVC looks for pages in the entry assembly, which is the test host when tests build Central in-process.
        var central = typeof(DashboardServices).Assembly;
        if (!pages.PartManager.ApplicationParts.OfType<AssemblyPart>().Any(part => part.Assembly == central))
        {
            pages.AddApplicationPart(central);
        }

        // Names are Albanian, Serbian and more: write them as characters, not as &#x…; entities. HTML's own special
        // characters are still encoded.
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));

        // The certificate is ambient authority: a page on another site could make the verifier's browser POST here
        // with it. Razor Pages validate an antiforgery token on every POST; the cookie half never leaves this origin.
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });

        // Antiforgery tokens only need to outlive a form on screen. Keys in memory mean no key ring written
        // unencrypted to disk; the price is that a form opened before a restart must be reloaded.
        // (UseEphemeralDataProtectionProvider is not enough: the key manager would still create keys in ~/.aspnet.)
        services.AddDataProtection().SetApplicationName("transmission-central-dashboard");
        services.Configure<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new InMemoryKeyRepository();
            // Nothing to encrypt the keys against: they never leave this process.
            options.XmlEncryptor = new NullXmlEncryptor();
        });
        return services;
    }

    /// <summary>
    /// Adds routing, <see cref="DashboardAccess"/> (verifiers only, security headers), the style sheet and script from
    /// Central's embedded resources under <see cref="AssetsPath"/>, the pages, the scans (<see cref="AttachmentEndpoint"/>)
    /// and the exports (<see cref="ExportEndpoint"/>). Call before mapping gRPC services; the gRPC layer marks its
    /// endpoints with <see cref="Transmission.Grpc.GrpcEndpointMetadata"/>, which the gate leaves alone.
    /// </summary>
    public static WebApplication UseCentralDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Explicit, so what follows sees which endpoint matched (gRPC or not).
        app.UseRouting();

        // The language (cookie, then Accept-Language) of the pages, of the plain answers, and of the gate's refusal, so
        // before the gate; gRPC calls are not touched, so their hot path is unchanged.
        var localization = DashboardLanguage.Options();
        app.UseWhen(
            context => context.GetEndpoint()?.Metadata.GetMetadata<Transmission.Grpc.GrpcEndpointMetadata>() is null,
            branch => branch.UseRequestLocalization(localization));
        app.UseMiddleware<DashboardAccess>();
        app.UseStaticFiles(new StaticFileOptions
        {
            // Embedded: nothing to deploy beside the binary, and nothing a CDN could change (machines are offline).
            FileProvider = new EmbeddedFileProvider(typeof(DashboardServices).Assembly, "Transmission.Central.Dashboard.Assets"),
            RequestPath = AssetsPath,
        });
        app.MapRazorPages();
        app.MapGet(AttachmentEndpoint.Pattern, AttachmentEndpoint.GetAsync);
        app.MapGet(ExportEndpoint.Pattern, ExportEndpoint.GetAsync);
        app.MapGet(DashboardLanguage.Pattern, DashboardLanguage.Choose);
        return app;
    }
}
