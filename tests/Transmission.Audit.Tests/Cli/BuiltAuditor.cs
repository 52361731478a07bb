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
        var run = await BuiltProgram.RunAsync("transmission-audit", args, TimeSpan.FromSeconds(120));
        return new CliResult(run.ExitCode, run.Stdout, run.Stderr);
    }
}
