using Microsoft.Playwright;
using Transmission.Testing;
using Xunit.Sdk;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>
/// A real, headless Chromium driven by Playwright: the distribution's browser (Debian package <c>chromium</c>, path
/// overridable with <c>TRANSMISSION_CHROMIUM</c>), never a downloaded one. A missing browser fails the test with a
/// message saying what to install; it is never a skip.
/// </summary>
public sealed class ChromiumSession : IAsyncDisposable
{
    /// <summary>Environment variable that overrides <see cref="DefaultExecutable"/>.</summary>
    public const string ExecutableVariable = "TRANSMISSION_CHROMIUM";

    /// <summary>Where Debian's <c>chromium</c> package puts the browser.</summary>
    public const string DefaultExecutable = "/usr/bin/chromium";

    private static readonly float TimeoutMilliseconds = (float)TestTimeouts.Default.TotalMilliseconds;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ChromiumSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>The browser this session runs.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path ? path : DefaultExecutable;

    /// <summary>The browser's version as it reports it.</summary>
    public string Version => _browser.Version;

    /// <summary>Starts Playwright's driver (bundled in the NuGet package, runs offline) and launches Chromium headless.</summary>
    public static async Task<ChromiumSession> LaunchAsync()
    {
        var path = ExecutablePath;
        if (!File.Exists(path))
        {
            throw new XunitException(
                $"Chromium is not installed at {path}. The dashboard's browser tests run a real Chromium: install Debian's " +
                $"package (apt-get install chromium) or set {ExecutableVariable} to the browser's path. " +
                "Browsers are never downloaded (no 'playwright install').");
        }

        var playwright = await Playwright.CreateAsync().DefaultTimeout();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Timeout = TimeoutMilliseconds,
            }).DefaultTimeout();
            return new ChromiumSession(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A fresh browser profile at 1280×800 that presents the TLS certificate and key in <paramref name="certificateFolder"/>
    /// (<c>tls.cert.pem</c>, <c>tls.key.pem</c>) to <paramref name="origin"/>, or no certificate at all when it is
    /// <see langword="null"/>.
    /// </summary>
    /// <remarks>
    /// <c>IgnoreHTTPSErrors</c> is needed, and not a shortcut: Playwright presents client certificates by routing the
    /// browser through a TLS proxy inside its driver, so Chromium sees the proxy's own certificate rather than Central's,
    /// and the proxy (Node's TLS) does not have the election root either — the development election CA is in neither
    /// trust store and must not be put into the system's. What proves that Central answered is checked by the tests
    /// instead: the page names the election of the test's own definition and the certificate Central received, and
    /// Central's request log shows the request.
    /// </remarks>
    public async Task<IBrowserContext> NewContextAsync(Uri origin, string? certificateFolder, string locale = "en-US")
    {
        ArgumentNullException.ThrowIfNull(origin);
        var options = new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },

            // The browser's language (Accept-Language) is the dashboard's first default: fixed, whatever the machine's.
            Locale = locale,
        };
        if (certificateFolder is not null)
        {
            options.ClientCertificates =
            [
                new ClientCertificate
                {
                    Origin = origin.GetLeftPart(UriPartial.Authority),
                    CertPath = Path.Combine(certificateFolder, "tls.cert.pem"),
                    KeyPath = Path.Combine(certificateFolder, "tls.key.pem"),
                },
            ];
        }

        var context = await _browser.NewContextAsync(options).DefaultTimeout();
        context.SetDefaultTimeout(TimeoutMilliseconds);
        context.SetDefaultNavigationTimeout(TimeoutMilliseconds);
        return context;
    }

    /// <summary>Saves a full-page screenshot as <c>&lt;repo&gt;/artifacts/screenshots/&lt;name&gt;.png</c> and returns its path.</summary>
    public static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = TimeoutMilliseconds }).DefaultTimeout();
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync().DefaultTimeout();
        _playwright.Dispose();
    }

    // The folder holding Transmission.sln, found upwards from the test binaries (bin/<config>/<tfm>/).
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Transmission.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Transmission.sln above {AppContext.BaseDirectory}: cannot place artifacts/screenshots.");
    }
}
