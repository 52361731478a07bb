using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Transmission.Central.Dashboard.Localization;
using Transmission.Central.Review;
using Transmission.Core.Review;

namespace Transmission.Central.Dashboard.Pages;

/// <summary>
/// The review queue: stations filtered by review state, municipality, flag and reporting, a page at a time, each with
/// its flags in plain words and a link to its latest submission. Without filters it shows the pending stations.
/// The filters are checked as the gRPC <c>ListSubmissions</c> checks them.
/// </summary>
public sealed class QueueModel(ReviewBoard board) : PageModel
{
    /// <summary>Rows per page unless the query says otherwise: 50 (as <see cref="ReviewService.DefaultPageSize"/>).</summary>
    public const int DefaultPageSize = ReviewService.DefaultPageSize;

    /// <summary>The state filter's values and their labels in the page's language, in the order the form lists them.</summary>
    public static IReadOnlyList<(string Value, string Label, ReviewState? State)> States =>
    [
        ("pending", DashboardStrings.StatePending, ReviewState.Pending),
        ("accepted", DashboardStrings.StateAccepted, ReviewState.Accepted),
        ("rejected", DashboardStrings.StateRejected, ReviewState.Rejected),
        ("recount", DashboardStrings.StateRecount, ReviewState.RecountRequested),
        ("any", DashboardStrings.StateAny, null),
    ];

    /// <summary>The reporting filter's values and labels in the page's language.</summary>
    public static IReadOnlyList<(string Value, string Label, bool? Reported)> Reporting =>
    [
        ("any", DashboardStrings.ReportedOrNot, null),
        ("yes", DashboardStrings.ReportedYes, true),
        ("no", DashboardStrings.ReportedNo, false),
    ];

    /// <summary>The state filter as given (<c>pending</c> when absent).</summary>
    public string State { get; private set; } = "pending";

    /// <summary>The municipality filter as given (empty: all).</summary>
    public string Municipality { get; private set; } = string.Empty;

    /// <summary>The flag filter as given (empty: none, <c>*</c>: any flag).</summary>
    public string Flag { get; private set; } = string.Empty;

    /// <summary>The reporting filter as given (<c>any</c> when absent).</summary>
    public string Reported { get; private set; } = "any";

    /// <summary>Where this page starts.</summary>
    public int Offset { get; private set; }

    /// <summary>Rows per page.</summary>
    public int PageSize { get; private set; } = DefaultPageSize;

    /// <summary>Why the query was refused (a hand-edited address); the page then lists nothing.</summary>
    public string? Problem { get; private set; }

    /// <summary>The page of stations, or <see langword="null"/> when the query was refused.</summary>
    public BoardPage? Result { get; private set; }

    /// <summary>The election's municipalities, by code, for the filter.</summary>
    public IEnumerable<(string Code, string Name)> Municipalities =>
        board.Definition.Municipalities.OrderBy(m => m.Code, StringComparer.Ordinal).Select(m => (m.Code, DashboardText.Name(m.Name)));

    /// <summary>The name of <paramref name="station"/>'s municipality in the page's language.</summary>
    public string MunicipalityName(StationView station)
    {
        ArgumentNullException.ThrowIfNull(station);
        return board.Definition.TryGetMunicipality(station.Station.MunicipalityCode, out var municipality) ? DashboardText.Name(municipality.Name) : station.MunicipalityName;
    }

    /// <summary>GET: parse and check the filters, bring the board up to date, list one page.</summary>
    public async Task OnGetAsync(string? state, string? municipality, string? flag, string? reported, string? offset, string? size, CancellationToken cancellationToken)
    {
        State = string.IsNullOrEmpty(state) ? "pending" : state;
        Municipality = municipality ?? string.Empty;
        Flag = flag ?? string.Empty;
        Reported = string.IsNullOrEmpty(reported) ? "any" : reported;
        if (Parse(offset, size) is not { } filter)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await board.RefreshAsync(cancellationToken);
        Result = board.List(filter, Offset, PageSize);
    }

    /// <summary>This page's address with some filters changed (for paging links).</summary>
    public string Link(int offset) => QueryLink(State, Municipality, Flag, Reported, offset, PageSize);

    /// <summary>The queue's address for these filters; defaults are left out so links stay short.</summary>
    public static string QueryLink(string state, string municipality, string flag, string reported, int offset = 0, int pageSize = DefaultPageSize)
    {
        var parts = new List<string>();
        Add("state", state, "pending");
        Add("municipality", municipality, string.Empty);
        Add("flag", flag, string.Empty);
        Add("reported", reported, "any");
        Add("offset", offset.ToString(CultureInfo.InvariantCulture), "0");
        Add("size", pageSize.ToString(CultureInfo.InvariantCulture), DefaultPageSize.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "/queue" : "/queue?" + string.Join('&', parts);

        void Add(string name, string value, string @default)
        {
            if (!string.Equals(value, @default, StringComparison.Ordinal))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
    }

    private BoardFilter? Parse(string? offset, string? size)
    {
        var stateChoice = States.FirstOrDefault(s => s.Value == State);
        if (stateChoice.Value is null)
        {
            Problem = DashboardText.Format(DashboardStrings.ProblemState, State);
            return null;
        }

        if (Municipality.Length > 0 && BoardFilter.MunicipalityProblem(board.Definition, Municipality) is not null)
        {
            Problem = DashboardText.Format(DashboardStrings.ProblemMunicipality, Municipality);
            return null;
        }

        if (Flag.Length > 0 && BoardFilter.FlagProblem(Flag) is not null)
        {
            Problem = DashboardText.Format(DashboardStrings.ProblemFlag, Flag);
            return null;
        }

        var reportingChoice = Reporting.FirstOrDefault(r => r.Value == Reported);
        if (reportingChoice.Value is null)
        {
            Problem = DashboardText.Format(DashboardStrings.ProblemReported, Reported);
            return null;
        }

        if (!string.IsNullOrEmpty(offset))
        {
            if (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                Problem = DashboardText.Format(DashboardStrings.ProblemOffset, offset);
                return null;
            }

            Offset = start;
        }

        if (!string.IsNullOrEmpty(size))
        {
            if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var rows) || rows < 1)
            {
                Problem = DashboardText.Format(DashboardStrings.ProblemSize, size);
                return null;
            }

            if (rows > ReviewService.MaxPageSize)
            {
                Problem = DashboardText.Format(DashboardStrings.ProblemSizeLimit, size, ReviewService.MaxPageSize);
                return null;
            }

            PageSize = rows;
        }

        return new BoardFilter(stateChoice.State, Municipality.Length == 0 ? null : Municipality, Flag.Length == 0 ? null : Flag, reportingChoice.Reported);
    }
}
