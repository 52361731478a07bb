using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Transmission.Central.Hosting;
using Transmission.Central.Tests.Hosting;
using Transmission.Testing;

namespace Transmission.Central.Tests.Faults;

/// <summary>
/// The built <c>transmission-central</c> over a <see cref="DevelopmentPki"/>, on one fixed loopback port and one data
/// folder for its whole life, so that it can be SIGKILLed and started again while stations keep the same address (as a
/// restarted server looks to them). Everything each process printed is kept for the assertions.
/// </summary>
internal sealed class FaultCentral : IAsyncDisposable
{
    private readonly DevelopmentPki _pki;
    private readonly string _config;
    private readonly StringBuilder _output = new();
    private RunningProcess? _process;
    private int _starts;

    public FaultCentral(DevelopmentPki pki, Action<CentralOptions>? configure = null)
    {
        _pki = pki;
        Port = FreePort();
        var options = pki.CentralOptions();
        options.Listen = $"127.0.0.1:{Port}";
        configure?.Invoke(options);
        _config = Path.Combine(pki.Root, "central-fault.json");
        File.WriteAllText(_config, JsonSerializer.Serialize(new { Central = options }));
    }

    public int Port { get; }

    /// <summary>https://localhost:PORT/ (the server certificate names localhost); the same across restarts.</summary>
    public Uri Address => new($"https://localhost:{Port}/");

    /// <summary>The running process (null between a kill and the next start).</summary>
    public RunningProcess? Process => _process;

    /// <summary>How many times a process was started.</summary>
    public int Starts => _starts;

    /// <summary>What every process started so far printed, in order.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString() + (_process?.Output ?? string.Empty);
            }
        }
    }

    /// <summary>Starts Central and waits for its ready file (it listens and has opened its database).</summary>
    public async Task StartAsync()
    {
        Assert.Null(_process);
        _starts++;
        var ready = Path.Combine(_pki.Root, $"ready-{_starts}.url");
        var process = BuiltExecutable.Start("transmission-central", _pki.Root, "serve", "--config", _config, "--ready-file", ready);
        // Two default timeouts: a restart after a kill also rebuilds what it needs from the database, on a machine shared
        // with other builds.
        var deadline = DateTime.UtcNow + (2 * TestTimeouts.Default);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(ready) && File.ReadAllText(ready).Trim().Length > 0)
            {
                _process = process;
                return;
            }

            if (process.Process.HasExited)
            {
                var output = process.Output;
                await process.DisposeAsync();
                Assert.Fail($"Central exited early (start {_starts}):\n{output}");
            }

            await Task.Delay(50);
        }

        var late = process.Output;
        await process.DisposeAsync();
        throw new TimeoutException($"Central did not write its ready file (start {_starts}):\n{late}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, exactly as a power cut looks to the process.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("Central is not running.");
        _process = null;
        process.Process.Kill();
        await process.Process.WaitForExitAsync().DefaultTimeout();
        lock (_output)
        {
            _output.AppendLine($"---- SIGKILL (start {_starts}) ----");
            _output.Append(process.Output);
        }

        await process.DisposeAsync();
    }

    /// <summary>SIGTERM and the exit code (a clean stop).</summary>
    public async Task<int> StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("Central is not running.");
        var code = await process.TerminateAsync();
        _process = null;
        lock (_output)
        {
            _output.Append(process.Output);
        }

        await process.DisposeAsync();
        return code;
    }

    /// <summary>Console lines Central logged at Error or Fatal level.</summary>
    public IReadOnlyList<string> ErrorLines() =>
        [.. Output.Split('\n').Where(l => l.Contains(" ERR] ", StringComparison.Ordinal) || l.Contains(" FTL] ", StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
