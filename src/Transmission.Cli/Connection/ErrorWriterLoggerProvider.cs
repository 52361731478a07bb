using Microsoft.Extensions.Logging;

namespace Transmission.Cli.Connection;

/// <summary>
/// <c>--verbose</c>: the channel's log events as plain lines on the invocation's stderr writer, so stdout carries
/// results only (it is what scripts and tests read).
/// </summary>
public sealed class ErrorWriterLoggerProvider(TextWriter error) : ILoggerProvider
{
    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(error, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(TextWriter error, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var line = $"[{logLevel}] {category}: {formatter(state, exception)}";
            if (exception is not null)
            {
                line += $" ({exception.GetType().Name}: {CentralConnection.OneLine(exception.Message)})";
            }

            lock (error)
            {
                error.WriteLine(line);
            }
        }
    }
}
