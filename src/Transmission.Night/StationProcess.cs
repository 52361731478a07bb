using System.Diagnostics;
using Transmission.Cli;

namespace Transmission.Night;

/// <summary>
/// Runs transmission-station commands: as a separate process, exactly as a chair would, or in this
/// process through the same command tree (<see cref="Station.Program.CreateRootCommand"/>), which
/// spares the process start (about a second each on two busy cores) for the bulk of a large night.
/// </summary>
internal static class StationProcess
{
    public static async Task<StationRun> RunInProcessAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = Station.Program.CreateRootCommand(TimeProvider.System);
        var code = await CommandInvocation.InvokeAsync(root, args, new System.CommandLine.InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return new StationRun(code, output.ToString(), error.ToString());
    }

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "transmission-station.dll");

    public static async Task<StationRun> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Executable);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new StationRun(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>What one station command did.</summary>
internal sealed record StationRun(int ExitCode, string Output, string Error)
{
    /// <summary>The last non-empty line of stderr (or stdout), for the summary.</summary>
    public string LastLine =>
        (Error + "\n" + Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
}
