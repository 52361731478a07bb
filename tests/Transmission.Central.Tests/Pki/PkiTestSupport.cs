using System.Collections.Concurrent;
using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Transmission.Central.Pki;
using Transmission.Station.Enrollment;
using Transmission.Testing;

namespace Transmission.Central.Tests.Pki;

internal sealed class AdjustableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}

/// <summary>Runs the product commands in-process (the same Command objects Program.cs registers).</summary>
internal static class InProcessCli
{
    public static Task<CliResult> Central(TimeProvider? clock, params string[] args) => Run(PkiCommands.Create(clock), args);

    public static Task<CliResult> Station(TimeProvider? clock, params string[] args) => Run(EnrollmentCommands.Create(clock), args);

    public static Task<CliResult> Central(params string[] args) => Central(null, args);

    public static Task<CliResult> Station(params string[] args) => Station(null, args);

    public static async Task<CliResult> Ok(this Task<CliResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public static async Task<CliResult> Run(Command command, params string[] args)
    {
        var root = new RootCommand("test") { command };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).DefaultTimeout();
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("transmission-pki-").FullName;
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose() => Directory.Delete(Path, recursive: true);

    public static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    // File modes are what these tests check; they run on Linux.
    public static string Mode(string path) => OperatingSystem.IsWindows()
        ? throw new PlatformNotSupportedException()
        : Convert.ToString((int)File.GetUnixFileMode(path), 8);
}

internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> State);

/// <summary>Captures every log entry with its structured properties.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> predicate)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (DateTime.UtcNow < deadline)
        {
            if (_entries.FirstOrDefault(predicate) is { } entry)
            {
                return entry;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("expected log entry not written; got:\n" + string.Join("\n", _entries.Select(e => $"{e.EventId.Id} {e.Message}")));
    }

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : [];
            entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), properties));
        }
    }
}
