using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Transmission.Central.Dashboard.Localization;
using Transmission.Central.Exports;
using Transmission.Central.Review;

namespace Transmission.Central.Dashboard;

/// <summary>
/// <c>GET /exports/{file}</c>: the open-data exports (docs/exports.md) as downloads, the same bytes the gRPC
/// <c>Export</c> gives for the same log: <see cref="BoardExport.Capture"/> then <see cref="ResultsExport"/>,
/// streamed to the response.
/// </summary>
public static class ExportEndpoint
{
    /// <summary>The route.</summary>
    public const string Pattern = "/exports/{file}";

    /// <summary>Every export the dashboard offers, with its file name (also the last path segment of its address).</summary>
    public static IReadOnlyList<(string FileName, ExportKind Kind, ExportFormat Format)> Files { get; } =
    [
        .. from kind in new[] { ExportKind.Stations, ExportKind.Totals }
           from format in new[] { ExportFormat.Csv, ExportFormat.Json }
           select (ResultsExport.FileName(kind, format), kind, format),
    ];

    /// <summary>The media type of a format: CSV with its header row (RFC 4180), JSON; both UTF-8.</summary>
    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8; header=present",
        ExportFormat.Json => "application/json; charset=utf-8",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
    };

    /// <summary>The endpoint: 404 for a file name that is not one of <see cref="Files"/> (a sentence in the verifier's language).</summary>
    public static async Task GetAsync(string file, ReviewBoard board, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(context);
        var match = Files.FirstOrDefault(f => string.Equals(f.FileName, file, StringComparison.Ordinal));
        if (match.FileName is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(DashboardStrings.ExportNotFound, cancellationToken);
            return;
        }

        await board.RefreshAsync(cancellationToken);
        var data = BoardExport.Capture(board);
        context.Response.ContentType = ContentType(match.Format);
        context.Response.Headers[HeaderNames.ContentDisposition] = $"attachment; filename=\"{match.FileName}\"";
        // A failure after the first bytes cannot change the status any more: the server then aborts the response,
        // so a client never mistakes a cut file for a whole one.
        await ResultsExport.WriteAsync(data, match.Kind, match.Format, context.Response.Body, cancellationToken);
    }
}
