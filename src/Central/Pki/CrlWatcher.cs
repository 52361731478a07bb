using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Transmission.Central.Pki;

/// <summary>
/// Decides when <see cref="CrlUpdater"/> checks the CRL file: when a file-system watcher on its folder reports a change
/// to it (editors and <c>cp</c> replace files, so the folder is watched, not the file), every
/// <see cref="ElectionTlsOptions.CrlReloadInterval"/> (watchers miss events, e.g. on network file systems or when the
/// kernel's queue overflows), and at once on <c>SIGHUP</c> (<c>kill -HUP &lt;pid&gt;</c>, <c>systemctl reload</c>), so an
/// operator need not wait. Triggers arriving while a check runs are folded into one more check.
/// </summary>
/// <remarks>
/// A hosted service registered before the web server: <see cref="StartAsync"/> runs <see cref="CrlUpdater.InitializeAsync"/>
/// before Kestrel accepts the first connection. After a file-change notification the watcher waits
/// <see cref="SettleDelay"/> for the writer to finish before reading; a half-written file that stays half-written is
/// refused like any broken CRL.
/// </remarks>
public sealed partial class CrlWatcher : IHostedService, IAsyncDisposable
{
    /// <summary>The trigger name of a check asked for with SIGHUP.</summary>
    public const string SighupTrigger = "SIGHUP";

    /// <summary>The trigger name of a check after a file-change notification.</summary>
    public const string FileChangeTrigger = "file change";

    /// <summary>The trigger name of a periodic check.</summary>
    public const string PeriodicTrigger = "periodic";

    /// <summary>How long to wait after a file-change notification before reading: 250 ms.</summary>
    public static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(250);

    private readonly CrlUpdater _updater;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<CrlWatcher> _logger;
    private readonly Channel<string> _triggers = Channel.CreateBounded<string>(new BoundedChannelOptions(16)
    {
        // Pending triggers are folded into one check, which reads the file as it is then; beyond a few, more say nothing new.
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly CancellationTokenSource _stopping = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _timer;
    private PosixSignalRegistration? _sighup;
    private Task? _loop;
    private int _disposed;

    /// <summary>Watches <paramref name="updater"/>'s CRL file, re-checking every <paramref name="options"/>' interval.</summary>
    public CrlWatcher(CrlUpdater updater, ElectionTlsOptions options, TimeProvider time, ILogger<CrlWatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(updater);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _updater = updater;
        _interval = options.CrlReloadInterval;
        _time = time;
        _logger = logger;
    }

    /// <summary>Asks for a check as soon as possible (what SIGHUP does).</summary>
    public void RequestCheck(string trigger) => _triggers.Writer.TryWrite(trigger);

    /// <summary>Stores the CRL in force at start-up (see <see cref="CrlUpdater.InitializeAsync"/>), then starts watching.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _updater.InitializeAsync(cancellationToken);
        var path = Path.GetFullPath(_updater.CrlPath);
        try
        {
            var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, _) => RequestCheck(FileChangeTrigger);
            watcher.Created += (_, _) => RequestCheck(FileChangeTrigger);
            watcher.Renamed += (_, _) => RequestCheck(FileChangeTrigger);
            watcher.Deleted += (_, _) => RequestCheck(FileChangeTrigger);
            // An overflowed queue lost events: look at the file.
            watcher.Error += (_, _) => RequestCheck(FileChangeTrigger);
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            LogNotWatching(_logger, path, e.Message, _interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        }

        try
        {
            // Cancel keeps the default action (terminating the process) from running: SIGHUP means "reload" here.
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                RequestCheck(SighupTrigger);
            });
        }
        catch (PlatformNotSupportedException)
        {
            // No SIGHUP here (e.g. some Windows hosts): the watcher and the periodic check remain.
        }

        _timer = _time.CreateTimer(_ => RequestCheck(PeriodicTrigger), null, _interval, _interval);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Stops watching and waits for a running check to end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        StopTriggers();
        await _stopping.CancelAsync();
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as a hosted service: the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        StopTriggers();
        await _stopping.CancelAsync();
        if (_loop is { } loop)
        {
            await loop;
        }

        _stopping.Dispose();
    }

    private void StopTriggers()
    {
        _watcher?.Dispose();
        _watcher = null;
        _sighup?.Dispose();
        _sighup = null;
        _timer?.Dispose();
        _timer = null;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (await _triggers.Reader.WaitToReadAsync(stopping))
            {
                var triggers = Drain();
                if (triggers.Contains(FileChangeTrigger))
                {
                    // Let the writer finish; what arrives meanwhile is covered by this check.
                    await Task.Delay(SettleDelay, _time, stopping);
                    triggers.UnionWith(Drain());
                }

                // Named after everything that asked, so an operator's SIGHUP shows in the log even when folded in.
                var trigger = string.Join(" + ", triggers);
                try
                {
                    await _updater.CheckAsync(trigger, stopping);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A bug in one check must not stop the next ones; it is logged as an error.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogCheckFailed(_logger, trigger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private SortedSet<string> Drain()
    {
        var triggers = new SortedSet<string>(StringComparer.Ordinal);
        while (_triggers.Reader.TryRead(out var trigger))
        {
            triggers.Add(trigger);
        }

        return triggers;
    }

    [LoggerMessage(EventId = 4117, EventName = "CrlNotWatched", Level = LogLevel.Warning, Message = "Cannot watch the CRL file {CrlPath} for changes ({Problem}); it is checked every {Interval} and on SIGHUP")]
    private static partial void LogNotWatching(ILogger logger, string crlPath, string problem, string interval);

    [LoggerMessage(EventId = 4118, EventName = "CrlCheckFailed", Level = LogLevel.Error, Message = "The CRL check ({Trigger}) failed; the CRL in force is unchanged and the next check tries again")]
    private static partial void LogCheckFailed(ILogger logger, string trigger, Exception exception);
}
