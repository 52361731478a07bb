using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Transmission.Testing;

/// <summary>One log record written during a test.</summary>
public sealed record TestLogRecord(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"[{Level}] {Category} ({EventId.Id}:{EventId.Name}) {Message}{(Exception is null ? "" : " " + Exception)}";
}

/// <summary>Collects every log record, so a test can assert what was (and was not) logged.</summary>
public sealed class TestLogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<TestLogRecord> _records = new();

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyList<TestLogRecord> Records => [.. _records];

    /// <summary>
    /// Fails when an Error or Critical record was written that <paramref name="expected"/>
    /// does not allow. A test that provokes an error says so explicitly.
    /// </summary>
    public void AssertNoUnexpectedErrors(Func<TestLogRecord, bool>? expected = null)
    {
        var unexpected = _records
            .Where(r => r.Level >= LogLevel.Error && (expected is null || !expected(r)))
            .ToList();
        if (unexpected.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("Unexpected error log records:" + Environment.NewLine + string.Join(Environment.NewLine, unexpected));
        }
    }

    /// <summary>Every Error and Critical record so far, one per line, for a failure message ("none" when there is none).</summary>
    public string DescribeErrors()
    {
        var errors = _records.Where(r => r.Level >= LogLevel.Error).ToList();
        return errors.Count == 0 ? "none" : string.Join(Environment.NewLine, errors);
    }

    public ILogger CreateLogger(string categoryName) => new SinkLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class SinkLogger : ILogger
    {
        private readonly TestLogSink _sink;
        private readonly string _category;

        public SinkLogger(TestLogSink sink, string category)
        {
            _sink = sink;
            _category = category;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            _sink._records.Enqueue(new TestLogRecord(_category, logLevel, eventId, formatter(state, exception), exception));
        }
    }
}
