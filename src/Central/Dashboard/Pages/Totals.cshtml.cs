using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Transmission.Central.Dashboard.Charts;
using Transmission.Central.Dashboard.Localization;
using Transmission.Central.Review;
using Transmission.Core.Election;
using Transmission.Core.Tabulation;

namespace Transmission.Central.Dashboard.Pages;

/// <summary>
/// Totals, provisional and certified side by side, for the whole election or one municipality: per contest a table
/// and a grouped bar chart, stations reported and certified, turnout. The totals section is also served alone
/// (<c>?handler=section</c>) for the page's script, which swaps it in every few seconds; without the script the page
/// has a Refresh link.
/// </summary>
public sealed class TotalsModel(ReviewBoard board, TimeProvider timeProvider) : PageModel
{
    /// <summary>How often the page's script fetches the totals again, in seconds.</summary>
    public const int LiveIntervalSeconds = 5;

    /// <summary>The municipality shown (empty: the whole election).</summary>
    public string Municipality { get; private set; } = string.Empty;

    /// <summary>Why the query was refused; nothing else is shown then.</summary>
    public string? Problem { get; private set; }

    /// <summary>"the whole election" or the municipality's name, in the page's language.</summary>
    public string AreaName { get; private set; } = string.Empty;

    /// <summary>The area's provisional totals.</summary>
    public AreaTally Provisional { get; private set; } = null!;

    /// <summary>The area's certified totals.</summary>
    public AreaTally Certified { get; private set; } = null!;

    /// <summary>The area's review queue.</summary>
    public QueueCounts Queue { get; private set; } = null!;

    /// <summary>Per contest in ballot order, every choice with its provisional and certified votes.</summary>
    public IReadOnlyList<ContestTotalsView> Contests { get; private set; } = [];

    /// <summary>When the numbers were read (Central's clock).</summary>
    public DateTimeOffset AsOf { get; private set; }

    /// <summary>Log entries the board had applied when the numbers were read.</summary>
    public long EventsApplied { get; private set; }

    /// <summary>The election's municipalities, by code, for the selector.</summary>
    public IEnumerable<(string Code, string Name)> Municipalities =>
        board.Definition.Municipalities.OrderBy(m => m.Code, StringComparer.Ordinal).Select(m => (m.Code, DashboardText.Name(m.Name)));

    /// <summary>This page's address for the area shown.</summary>
    public string PageUrl => Municipality.Length == 0 ? "/totals" : "/totals?municipality=" + Uri.EscapeDataString(Municipality);

    /// <summary>The address of the totals section alone, for the script.</summary>
    public string SectionUrl => "/totals?handler=section" + (Municipality.Length == 0 ? string.Empty : "&municipality=" + Uri.EscapeDataString(Municipality));

    /// <summary>GET: the whole page.</summary>
    public async Task OnGetAsync(string? municipality, CancellationToken cancellationToken) => await LoadAsync(municipality, cancellationToken);

    /// <summary>GET <c>?handler=section</c>: only the totals section (what the script swaps in).</summary>
    public async Task<IActionResult> OnGetSectionAsync(string? municipality, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(municipality, cancellationToken))
        {
            return Content(Problem!, "text/plain; charset=utf-8");
        }

        return Partial("_TotalsSection", this);
    }

    /// <summary>
    /// The chart of one contest as inline SVG (escaped by <see cref="GroupedBarChartSvg"/>): every choice in ballot
    /// order, or for a contest of more than <see cref="ContestLayout.MaxChartRows"/> choices the leading ones by
    /// provisional votes (its title says so; the tables list every choice).
    /// </summary>
    public static string Chart(ContestTotalsView contest, int index)
    {
        ArgumentNullException.ThrowIfNull(contest);
        var name = DashboardText.Name(contest.Contest.Name);
        var chosen = contest.Choices.AsEnumerable();
        var title = DashboardText.Format(DashboardStrings.ChartTitle, name);
        if (contest.Choices.Count > ContestLayout.MaxChartRows)
        {
            // Stable: equal votes keep ballot order.
            chosen = contest.Choices.OrderByDescending(c => c.Provisional).Take(ContestLayout.MaxChartRows);
            title = DashboardText.Format(DashboardStrings.ChartTitleLeading, name, DashboardText.Number(ContestLayout.MaxChartRows));
        }

        var rows = chosen.Select(c => new BarChartRow(DashboardText.Name(c.Choice.Name), c.Provisional, c.Certified)).ToList();
        return GroupedBarChartSvg.Render(new BarChart(title, rows), "chart-" + index.ToString(CultureInfo.InvariantCulture));
    }

    private async Task<bool> LoadAsync(string? municipality, CancellationToken cancellationToken)
    {
        Municipality = municipality ?? string.Empty;
        Municipality? area = null;
        if (Municipality.Length > 0 && !board.Definition.TryGetMunicipality(Municipality, out area))
        {
            Problem = DashboardText.Format(DashboardStrings.ProblemMunicipality, Municipality);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }

        await board.RefreshAsync(cancellationToken);
        EventsApplied = board.EventsApplied;
        var totals = board.Totals();
        var queue = board.Queue();
        AsOf = timeProvider.GetUtcNow();
        AreaName = area is null ? DashboardStrings.AreaWholeElection : DashboardText.Name(area.Name);
        Provisional = Area(totals.Provisional, area?.Code);
        Certified = Area(totals.Certified, area?.Code);
        Queue = queue.Single(q => q.MunicipalityCode == area?.Code);
        var contests = new List<ContestTotalsView>(board.Definition.Contests.Count);
        for (var c = 0; c < board.Definition.Contests.Count; c++)
        {
            var contest = board.Definition.Contests[c];
            var provisional = Provisional.Contests[c].Choices;
            var certified = Certified.Contests[c].Choices;
            var choices = new List<ChoiceTotalsView>(contest.Choices.Count);
            for (var i = 0; i < contest.Choices.Count; i++)
            {
                choices.Add(new ChoiceTotalsView(contest.Choices[i], provisional[i].Votes, certified[i].Votes));
            }

            contests.Add(new ContestTotalsView(contest, ContestLayout.Groups(board.Definition, contest), choices, provisional.Sum(x => x.Votes), certified.Sum(x => x.Votes)));
        }

        Contests = contests;
        return true;
    }

    private static AreaTally Area(TallySet set, string? municipality) =>
        municipality is null ? set.Overall : set.Municipalities.Single(m => m.MunicipalityCode == municipality);
}

/// <summary>One contest's totals in one area.</summary>
/// <param name="Contest">The contest.</param>
/// <param name="Groups">How its choices are shown (<see cref="ContestLayout.Groups"/>).</param>
/// <param name="Choices">Every choice in ballot order.</param>
/// <param name="ProvisionalSum">All the contest's provisional votes (the base of the provisional shares).</param>
/// <param name="CertifiedSum">All the contest's certified votes (the base of the certified shares).</param>
public sealed record ContestTotalsView(Contest Contest, IReadOnlyList<ChoiceGroup> Groups, IReadOnlyList<ChoiceTotalsView> Choices, long ProvisionalSum, long CertifiedSum);

/// <summary>One choice's totals in one area.</summary>
/// <param name="Choice">The choice.</param>
/// <param name="Provisional">Its provisional votes.</param>
/// <param name="Certified">Its certified votes.</param>
public sealed record ChoiceTotalsView(Choice Choice, long Provisional, long Certified);

/// <summary>One totals table: a contest without parties, or one party's candidates.</summary>
/// <param name="Caption">The contest's or the party's name.</param>
/// <param name="Contest">The contest's totals.</param>
/// <param name="Choices">Indexes into <see cref="ContestTotalsView.Choices"/>, in ballot order.</param>
/// <param name="WholeContest">Whether the table holds the whole contest (it then ends with the contest's sums).</param>
public sealed record TotalsTable(string Caption, ContestTotalsView Contest, IReadOnlyList<int> Choices, bool WholeContest);
