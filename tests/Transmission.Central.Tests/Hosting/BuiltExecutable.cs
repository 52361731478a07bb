using System.Diagnostics;
using System.Text;
using Transmission.Central.Tests.Pki;
using Transmission.Testing;

namespace Transmission.Central.Tests.Hosting;

/// <summary>Runs transmission-central / transmission-station as built, the way a user would.</summary>
internal static class BuiltExecutable
{
    public static Task<CliResult> Station(params string[] args) => RunAsync("transmission-station", args);

    /// <summary>Runs the station CLI with these environment variables set on top of the neutral locale.</summary>
    public static Task<CliResult> StationWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync("transmission-station", args, environment);

    public static Task<CliResult> Central(params string[] args) => RunAsync("transmission-central", args);

    public static Task<CliResult> Verifier(params string[] args) => RunAsync("transmission-verifier", args);

    public static Task<CliResult> Auditor(params string[] args) => RunAsync("transmission-audit", args);

    /// <summary>Runs transmission-night (a whole night of station processes), allowing it <paramref name="timeout"/>.</summary>
    public static Task<CliResult> Night(TimeSpan timeout, params string[] args) => RunAsync(NightDll(), args, timeout: timeout);

    /// <summary>transmission-night in its own output folder (it is built with these tests, not copied beside them).</summary>
    private static string NightDll()
    {
        var framework = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = framework.Parent!;
        var repo = configuration.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(repo, "src", "Transmission.Night", "bin", configuration.Name, framework.Name, "transmission-night");
    }

    /// <summary>Starts <paramref name="name"/> without waiting; the caller stops it.</summary>
    public static RunningProcess Start(string name, string workingDirectory, params string[] args) =>
        StartWithEnvironment(name, workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Starts <paramref name="name"/> with these environment variables set, without waiting; the caller stops it.</summary>
    public static RunningProcess StartWithEnvironment(string name, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var process = new Process { StartInfo = BuiltProgram.StartInfo(name, args) };
        foreach (var (key, value) in environment)
        {
            process.StartInfo.Environment[key] = value;
        }

        process.StartInfo.WorkingDirectory = workingDirectory;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningProcess(process, output);
    }

    private static async Task<CliResult> RunAsync(string name, string[] args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var run = await BuiltProgram.RunAsync(name, args, timeout ?? TimeSpan.FromSeconds(60), environment);
        return new CliResult(run.ExitCode, run.Stdout, run.Stderr);
    }
}

internal sealed class RunningProcess(Process process, StringBuilder output) : IAsyncDisposable
{
    public Process Process { get; } = process;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Waits for a <c>serve --ready-file</c> to be written; returns the address with the certificate's host name.</summary>
    public async Task<string> WaitForReadyFileAsync(string readyFile)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.ProcessStart;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(readyFile) && File.ReadAllText(readyFile).Trim() is { Length: > 0 } url)
            {
                return url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
            }

            Assert.False(Process.HasExited, "Central exited early:\n" + Output);
            await Task.Delay(100);
        }

        throw new TimeoutException("Central did not write its ready file:\n" + Output);
    }

    /// <summary>Sends SIGTERM (a clean stop, as systemd or Ctrl+C would) and waits for the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().DefaultTimeout();
        }

        await Process.WaitForExitAsync().DefaultTimeout();
        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync().DefaultTimeout();
        }

        Process.Dispose();
    }
}
