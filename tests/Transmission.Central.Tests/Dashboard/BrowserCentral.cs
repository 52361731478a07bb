using System.Runtime.ExceptionServices;
using Transmission.Central.Tests.Hosting;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>The real Central (<see cref="RunningCentral"/>) and a real Chromium (<see cref="ChromiumSession"/>) for one test class.</summary>
public class BrowserCentral : IAsyncLifetime
{
    private ChromiumSession? _chromium;
    private ExceptionDispatchInfo? _launchFailure;

    /// <summary>A Central for the two stations of a default <see cref="DevelopmentPki"/>.</summary>
    public BrowserCentral()
        : this(new RunningCentral())
    {
    }

    /// <summary>The browser against <paramref name="central"/>, which this fixture starts and stops.</summary>
    protected BrowserCentral(RunningCentral central)
    {
        Central = central;
    }

    public RunningCentral Central { get; }

    /// <summary>
    /// The browser; throws the launch failure (e.g. "Chromium is not installed at …") in every test that needs it,
    /// so each of them fails with that message instead of the fixture failing without one.
    /// </summary>
    public ChromiumSession Chromium
    {
        get
        {
            _launchFailure?.Throw();
            return _chromium!;
        }
    }

    /// <summary>https://127.0.0.1:PORT/ (the server certificate names 127.0.0.1 as well as localhost).</summary>
    public Uri Origin => new UriBuilder(Central.Address) { Host = "127.0.0.1" }.Uri;

    /// <summary>An absolute address on Central for a dashboard path such as <c>/queue?flag=*</c>.</summary>
    public string Url(string pathAndQuery) => new Uri(Origin, pathAndQuery).ToString();

    public virtual async Task InitializeAsync()
    {
        await Central.InitializeAsync();
        try
        {
            _chromium = await ChromiumSession.LaunchAsync();
        }
        catch (Exception e)
        {
            _launchFailure = ExceptionDispatchInfo.Capture(e);
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        await Central.DisposeAsync();
    }
}
