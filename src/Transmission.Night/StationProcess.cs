using System.Diagnostics;

namespace Transmission.Night;

/// <summary>Runs the built transmission-station, exactly as a chair would, and captures what it printed.</summary>
internal static class StationProcess
{
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
