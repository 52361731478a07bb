using System.Runtime.ExceptionServices;
using Transmission.Central.Tests.Hosting;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>The real Central (<see cref="RunningCentral"/>) and a real Chromium (<see cref="ChromiumSession"/>) for one test class.</summary>
public sealed class BrowserCentral : IAsyncLifetime
{
    private ChromiumSession? _chromium;
    private ExceptionDispatchInfo? _launchFailure;

    public RunningCentral Central { get; } = new();

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

    public async Task InitializeAsync()
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

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        await Central.DisposeAsync();
    }
}
