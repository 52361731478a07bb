using Microsoft.AspNetCore.Mvc.RazorPages;
using Transmission.Central.Review;
using Transmission.Core.Tabulation;

namespace Transmission.Central.Dashboard.Pages;

/// <summary>
/// The dashboard's home page, reporting progress: how many stations have reported, been certified or wait for review,
/// overall and per municipality, each municipality linking to its part of the review queue.
/// </summary>
public sealed class IndexModel(ReviewBoard board, TimeProvider timeProvider) : PageModel
{
    /// <summary>The whole election, provisional (latest revisions).</summary>
    public AreaTally Provisional { get; private set; } = null!;

    /// <summary>The whole election, certified (accepted revisions).</summary>
    public AreaTally Certified { get; private set; } = null!;

    /// <summary>The whole election's review queue.</summary>
    public QueueCounts Queue { get; private set; } = null!;

    /// <summary>Every municipality, by code.</summary>
    public IReadOnlyList<MunicipalityProgress> Municipalities { get; private set; } = [];

    /// <summary>When the numbers were read (Central's clock).</summary>
    public DateTimeOffset AsOf { get; private set; }

    /// <summary>Log entries the board had applied when the numbers were read.</summary>
    public long EventsApplied { get; private set; }

    /// <summary>GET: the board brought up to date, then read once.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await board.RefreshAsync(cancellationToken);
        EventsApplied = board.EventsApplied;
        var totals = board.Totals();
        var queue = board.Queue();
        AsOf = timeProvider.GetUtcNow();
        Provisional = totals.Provisional.Overall;
        Certified = totals.Certified.Overall;
        Queue = queue[0];
        var rows = new List<MunicipalityProgress>(totals.Provisional.Municipalities.Count);
        for (var m = 0; m < totals.Provisional.Municipalities.Count; m++)
        {
            var provisional = totals.Provisional.Municipalities[m];
            var code = provisional.MunicipalityCode!;
            var name = board.Definition.TryGetMunicipality(code, out var municipality) ? municipality.Name.Get(System.Globalization.CultureInfo.CurrentUICulture) : code;
            rows.Add(new MunicipalityProgress(code, name, provisional, totals.Certified.Municipalities[m], queue.Single(q => q.MunicipalityCode == code)));
        }

        Municipalities = rows;
    }
}

/// <summary>One municipality's row on the progress page.</summary>
/// <param name="Code">The municipality's code.</param>
/// <param name="Name">Its name in the page's language when the definition has one, else as given.</param>
/// <param name="Provisional">Its provisional totals (stations reported, turnout).</param>
/// <param name="Certified">Its certified totals (stations certified).</param>
/// <param name="Queue">Its review queue.</param>
public sealed record MunicipalityProgress(string Code, string Name, AreaTally Provisional, AreaTally Certified, QueueCounts Queue);
