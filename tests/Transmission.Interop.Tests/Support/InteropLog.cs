using Microsoft.Extensions.Logging;
using Transmission.Testing;

namespace Transmission.Interop.Tests.Support;

/// <summary>Formats the log of OUR side of an interop call for an assertion message.</summary>
internal static class InteropLog
{
    /// <summary>Our own records at any level, everyone else's (Kestrel, hosting) from Information up.</summary>
    public static string Describe(TestLogSink logs)
    {
        var records = logs.Records
            .Where(r => r.Level >= LogLevel.Information || r.Category.StartsWith("Transmission", StringComparison.Ordinal))
            .ToList();
        return records.Count == 0
            ? "(no log records)" + Environment.NewLine
            : string.Join(Environment.NewLine, records) + Environment.NewLine;
    }
}
