using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Transmission.Central.Review;

namespace Transmission.Central.Dashboard.Pages;

/// <summary>The open-data downloads (<see cref="ExportEndpoint"/>): station-level results and totals, CSV or JSON.</summary>
public sealed class ExportsModel(ReviewBoard board, TimeProvider timeProvider) : PageModel
{
    /// <summary>Where every column of the exports is described: a path in the repository, the same in every language.</summary>
    public static IHtmlContent ColumnsDocument { get; } = new HtmlString("<code>docs/exports.md</code>");

    /// <summary>Stations that have reported (each is a station in the station-level files).</summary>
    public long StationsReported { get; private set; }

    /// <summary>Log entries the board had applied when the page was made.</summary>
    public long LogSize { get; private set; }

    /// <summary>When the page was made (Central's clock).</summary>
    public DateTimeOffset AsOf { get; private set; }

    /// <summary>GET: how much there is to export now.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await board.RefreshAsync(cancellationToken);
        LogSize = board.LogSize;
        StationsReported = board.Totals().Provisional.Overall.StationsReported;
        AsOf = timeProvider.GetUtcNow();
    }
}
