using System.Diagnostics;
using Transmission.Testing;

namespace Transmission.Station.Tests.Support;

/// <summary>
/// Runs <c>transmission-station</c> as built beside the tests (<c>dotnet transmission-station.dll ...</c>), the way a
/// chair does: through its <c>Main</c>, which chooses the language before the command tree is built.
/// </summary>
internal static class BuiltStation
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // English unless a test chooses a language with --lang, whatever the machine's own locale is.
        info.Environment.Remove("LC_ALL");
        info.Environment.Remove("LC_MESSAGES");
        info.Environment["LANG"] = "C.UTF-8";
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "transmission-station.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
