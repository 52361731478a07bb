namespace Transmission.Central.Exports;

/// <summary>
/// Open-data exports of the results (design §2 "export results"; formats in docs/exports.md): station-level results
/// or totals, as CSV or JSON. Pure writers: the same <see cref="ExportData"/> gives byte-identical output whatever
/// the order of its lists, and nothing depends on the clock or the culture.
/// </summary>
/// <remarks>
/// Output is streamed: at most about 64 KiB (plus one station's rows) is buffered before it is written to the
/// stream, always with asynchronous writes, so 500,000 stations never sit in memory as text.
/// </remarks>
public static class ResultsExport
{
    /// <summary>The suggested file name: <c>stations.csv</c>, <c>stations.json</c>, <c>totals.csv</c> or <c>totals.json</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined kind or format.</exception>
    public static string FileName(ExportKind kind, ExportFormat format) => $"{KindName(kind)}.{FormatName(format)}";

    /// <summary>
    /// Writes the export to <paramref name="output"/> (left open; flushed at the end).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined kind or format (thrown before anything is written).</exception>
    /// <exception cref="ArgumentException">
    /// The data is inconsistent (a station twice or outside the definition, a revision twice, a protocol of another
    /// station or revision, a contest or choice the definition does not have, a log index not below
    /// <see cref="ExportData.LogSize"/>, totals of another definition). That is a bug in the read model, not bad input;
    /// part of the file may already have been written and must be discarded.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the output is incomplete.</exception>
    public static Task WriteAsync(ExportData data, ExportKind kind, ExportFormat format, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(data.Definition, nameof(data));
        ArgumentNullException.ThrowIfNull(data.Stations, nameof(data));
        ArgumentNullException.ThrowIfNull(data.Totals, nameof(data));
        ArgumentOutOfRangeException.ThrowIfNegative(data.LogSize, nameof(data));
        ArgumentNullException.ThrowIfNull(output);
        _ = KindName(kind);
        _ = FormatName(format);

        return (kind, format) switch
        {
            (ExportKind.Stations, ExportFormat.Csv) => StationsCsv.WriteAsync(data, output, cancellationToken),
            (ExportKind.Stations, _) => StationsJson.WriteAsync(data, output, cancellationToken),
            (_, ExportFormat.Csv) => TotalsCsv.WriteAsync(data, output, cancellationToken),
            _ => TotalsJson.WriteAsync(data, output, cancellationToken),
        };
    }

    private static string KindName(ExportKind kind) => kind switch
    {
        ExportKind.Stations => "stations",
        ExportKind.Totals => "totals",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown export kind."),
    };

    private static string FormatName(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "csv",
        ExportFormat.Json => "json",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
    };
}
