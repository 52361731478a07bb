using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Transmission.LoadDriver;

/// <summary>
/// A real Central process (the Release build of src/Central, <c>transmission-central serve</c>) on 127.0.0.1 with a
/// fresh data directory, configured for the cached election; extra settings (<c>--central-arg Key=Value</c>) go in as
/// TRANSMISSION_* environment variables, which Central reads after its settings files.
/// </summary>
internal sealed class CentralProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private CentralProcess(Process process, string dataDirectory, Uri address)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Address = address;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public int Id => _process.Id;

    public static async Task<CentralProcess> StartAsync(string centralDll, BenchCache cache, string runDirectory, IReadOnlyList<string> centralArgs, TimeSpan startTimeout)
    {
        var dataDirectory = Path.Combine(runDirectory, "central");
        Directory.CreateDirectory(dataDirectory);
        var configPath = Path.Combine(runDirectory, "central.json");
        var config = new
        {
            Central = new
            {
                DataDirectory = dataDirectory,
                Pki = new
                {
                    RootCertificate = cache.RootCertificate,
                    Crl = cache.Crl,
                    ServerCertificate = cache.CentralTlsCertificate,
                    ServerKey = cache.CentralTlsKey,
                    SigningCertificate = cache.CentralSigningCertificate,
                    SigningKey = cache.CentralSigningKey,
                },
                Election = new { Definition = cache.Definition },
            },
        };
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config));
        var ready = Path.Combine(runDirectory, "central.url");
        var output = Path.Combine(runDirectory, "central.out");

        // exec keeps the process id, so /proc/<pid> is Central's own.
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList =
            {
                "-c",
                "exec dotnet \"$0\" serve --config \"$1\" --listen 127.0.0.1:0 --ready-file \"$2\" >\"$3\" 2>&1",
                centralDll, configPath, ready, output,
            },
            UseShellExecute = false,
            WorkingDirectory = runDirectory,
        };
        foreach (var arg in centralArgs)
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            start.Environment["TRANSMISSION_" + arg[..eq].Replace(":", "__", StringComparison.Ordinal)] = arg[(eq + 1)..];
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Central did not start");
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < startTimeout)
        {
            if (File.Exists(ready) && (await File.ReadAllTextAsync(ready)).Trim() is { Length: > 0 } url)
            {
                // The server certificate names 127.0.0.1 as well as localhost; the address is used as written.
                return new CentralProcess(process, dataDirectory, new Uri(url));
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"Central exited with {process.ExitCode}: {Tail(output)}");
            }

            await Task.Delay(100);
        }

        process.Kill();
        throw new TimeoutException($"Central did not report ready within {startTimeout.TotalSeconds} s: {Tail(output)}");
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join(" | ", File.ReadLines(path).TakeLast(5)) : "(no output)";

    /// <summary>User + system CPU seconds so far (/proc/&lt;pid&gt;/stat utime + stime, at 100 ticks per second).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        // The command name (field 2) is in parentheses and may hold spaces; fields after it split cleanly.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / 100.0;
    }

    /// <summary>Peak resident set size in bytes (/proc/&lt;pid&gt;/status VmHWM).</summary>
    public long PeakRssBytes() => Status("VmHWM:") * 1024;

    /// <summary>Resident set size now, in bytes (/proc/&lt;pid&gt;/status VmRSS).</summary>
    public long RssBytes() => Status("VmRSS:") * 1024;

    /// <summary>Threads now (/proc/&lt;pid&gt;/status Threads).</summary>
    public int Threads() => (int)Status("Threads:");

    /// <summary>Open file descriptors now: files, sockets, pipes (/proc/&lt;pid&gt;/fd).</summary>
    public int Handles() => System.IO.Directory.EnumerateFileSystemEntries($"/proc/{Id}/fd").Count();

    /// <summary>The number after <paramref name="field"/> in /proc/&lt;pid&gt;/status, or -1.</summary>
    private long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>Bytes of everything in the data directory but the logs (database, WAL, stored envelopes).</summary>
    public long StorageBytes()
    {
        var logs = Path.Combine(DataDirectory, "logs") + Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(logs, StringComparison.Ordinal))
            .Sum(f => new FileInfo(f).Length);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            // SIGTERM: Central stops cleanly (System.CommandLine cancels its token).
            using (var term = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}
