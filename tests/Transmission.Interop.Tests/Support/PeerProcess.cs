using System.Diagnostics;
using System.Text;

namespace Transmission.Interop.Tests.Support;

/// <summary>The outcome of a peer process that ran to completion (or was killed at its time limit).</summary>
internal sealed record PeerRunResult(string CommandLine, int? ExitCode, bool TimedOut, string StandardOutput, string StandardError)
{
    /// <summary>Everything a failing assertion should show about the run.</summary>
    public string Describe() =>
        $"$ {CommandLine}{Environment.NewLine}" +
        $"exit code: {(TimedOut ? "killed after the time limit" : ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(still running)")}{Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{StandardOutput}" +
        $"--- stderr ---{Environment.NewLine}{StandardError}";
}

/// <summary>
/// A child process (a Python or Node peer) whose output is captured line by line.
/// Disposing kills the whole process tree if it is still running.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Line)> _lineWaiters = [];

    private PeerProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    /// <summary>Starts <paramref name="fileName"/> with stdin, stdout and stderr redirected.</summary>
    public static PeerProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Python buffers stdout when it is a pipe; the harness reads lines as they come.
        startInfo.Environment["PYTHONUNBUFFERED"] = "1";
        // Never pick up a user's pyenv/site packages or Node options that change behaviour.
        startInfo.Environment.Remove("PYTHONPATH");
        startInfo.Environment.Remove("NODE_OPTIONS");

        var commandLine = string.Join(' ', new[] { fileName }.Concat(startInfo.ArgumentList));
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var peer = new PeerProcess(process, commandLine);
        process.OutputDataReceived += (_, e) => peer.OnLine(e.Data, peer._stdout, peer._stdoutClosed, matchWaiters: true);
        process.ErrorDataReceived += (_, e) => peer.OnLine(e.Data, peer._stderr, peer._stderrClosed, matchWaiters: false);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start: {commandLine}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Runs a process to completion, killing it after <paramref name="timeLimit"/>.</summary>
    public static async Task<PeerRunResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeLimit)
    {
        await using var peer = Start(fileName, arguments, workingDirectory);
        peer._process.StandardInput.Close();
        var timedOut = !await peer.WaitForExitAsync(timeLimit);
        if (timedOut)
        {
            peer.Kill();
            await peer.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        return peer.Snapshot(timedOut);
    }

    /// <summary>Waits for a stdout line matching <paramref name="match"/>; fails with the output so far if none comes in time.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeLimit)
    {
        var line = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var existing in _stdout.ToString().Split('\n'))
            {
                if (match(existing.TrimEnd('\r')))
                {
                    return existing.TrimEnd('\r');
                }
            }

            _lineWaiters.Add((match, line));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(line.Task, exited, Task.Delay(timeLimit));
        if (first == line.Task)
        {
            return await line.Task;
        }

        // Give the output readers a moment to drain so the message shows everything.
        await Task.WhenAny(Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task), Task.Delay(TimeSpan.FromSeconds(2)));
        var reason = first == exited ? "exited before printing the expected line" : $"printed no expected line within {timeLimit.TotalSeconds:0} s";
        throw new InvalidOperationException($"Peer {reason}.{Environment.NewLine}{Snapshot(timedOut: false).Describe()}");
    }

    /// <summary>Closes stdin (peers started with --exit-on-stdin-eof stop) and waits for exit.</summary>
    public async Task<bool> StopAsync(TimeSpan timeLimit)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        return await WaitForExitAsync(timeLimit);
    }

    public PeerRunResult Snapshot(bool timedOut)
    {
        lock (_gate)
        {
            return new PeerRunResult(CommandLine, _process.HasExited ? _process.ExitCode : null, timedOut, _stdout.ToString(), _stderr.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private async Task<bool> WaitForExitAsync(TimeSpan timeLimit)
    {
        using var cts = new CancellationTokenSource(timeLimit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        // WaitForExitAsync also waits for the redirected streams to reach end of file.
        return true;
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    private void OnLine(string? data, StringBuilder buffer, TaskCompletionSource closed, bool matchWaiters)
    {
        if (data is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (_gate)
        {
            buffer.Append(data).Append('\n');
            if (!matchWaiters)
            {
                return;
            }

            for (var i = _lineWaiters.Count - 1; i >= 0; i--)
            {
                if (_lineWaiters[i].Match(data))
                {
                    _lineWaiters[i].Line.TrySetResult(data);
                    _lineWaiters.RemoveAt(i);
                }
            }
        }
    }
}
