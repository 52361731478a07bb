using System.Diagnostics;
using Transmission.Testing;

namespace Transmission.Audit.Tests.Cli;

/// <summary>What a run of the built <c>transmission-audit</c> printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs <c>transmission-audit</c> as built (<c>dotnet transmission-audit.dll ...</c>), the way an auditor does, with stdout and stderr redirected.</summary>
internal static class BuiltAuditor
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The report speaks the locale's language: English unless a test chooses one with --lang.
        info.Environment.Remove("LC_ALL");
        info.Environment.Remove("LC_MESSAGES");
        info.Environment["LANG"] = "C.UTF-8";
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "transmission-audit.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
