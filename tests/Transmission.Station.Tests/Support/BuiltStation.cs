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
        var run = await BuiltProgram.RunAsync("transmission-station", args, TimeSpan.FromSeconds(60));
        return new CliResult(run.ExitCode, run.Stdout, run.Stderr);
    }
}
