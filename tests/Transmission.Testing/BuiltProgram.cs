using System.Diagnostics;

namespace Transmission.Testing;

/// <summary>What a run of a built program printed and returned.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Stdout">Everything it wrote to standard output.</param>
/// <param name="Stderr">Everything it wrote to standard error.</param>
public sealed record ProgramRun(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs one of our programs as built (<c>dotnet NAME.dll ...</c>), the way a user does: through its <c>Main</c>, with
/// stdout and stderr captured, in a neutral locale (English unless a test chooses a language with <c>--lang</c> or
/// sets <c>LANG</c>), whatever the machine's own locale is.
/// </summary>
public static class BuiltProgram
{
    /// <summary>
    /// The start information for <paramref name="name"/>: a bare name is the program built beside the tests
    /// (<c>transmission-station</c>), a path is the program where it was built.
    /// </summary>
    public static ProcessStartInfo StartInfo(string name, IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(args);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        info.Environment.Remove("LC_ALL");
        info.Environment.Remove("LC_MESSAGES");
        info.Environment["LANG"] = "C.UTF-8";
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, name + ".dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>Runs <paramref name="name"/> to its end, with <paramref name="environment"/> set on top; killed after <paramref name="timeout"/>.</summary>
    public static async Task<ProgramRun> RunAsync(string name, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = new Process { StartInfo = StartInfo(name, args) };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            process.StartInfo.Environment[key] = value;
        }

        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ProgramRun(process.ExitCode, await stdout, await stderr);
    }
}
