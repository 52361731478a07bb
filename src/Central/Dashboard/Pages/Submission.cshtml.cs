using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Html;
using Transmission.Central.Dashboard.Localization;
using Transmission.Central.Review;
using Transmission.Central.Storage;
using Transmission.Core.Election;
using Transmission.Core.Review;

namespace Transmission.Central.Dashboard.Pages;

/// <summary>
/// One submission in full, for a verifier's decision: the numbers beside the scanned form, the flags in plain words,
/// what Central verified, every revision of the station with its decision, and (for the latest revision while it is
/// pending) the decision form. Decisions go through <see cref="DecisionDesk"/> only, then POST/redirect/GET.
/// </summary>
public sealed class SubmissionModel(ReviewBoard board, StoredSubmissions storedSubmissions, DecisionDesk desk) : PageModel
{
    /// <summary>The decision form's values, as the gRPC contract names them (and as <see cref="DecisionDesk.Explain"/> quotes them), labelled in the page's language.</summary>
    public static IReadOnlyList<(string Value, string Label, ReviewState State)> Decisions =>
    [
        ("ACCEPT", DashboardStrings.DecisionAccept, ReviewState.Accepted),
        ("REJECT", DashboardStrings.DecisionReject, ReviewState.Rejected),
        ("REQUEST_RECOUNT", DashboardStrings.DecisionRecount, ReviewState.RecountRequested),
    ];

    /// <summary>The decision the verifier chose (kept when the page is shown again after a refusal).</summary>
    [BindProperty]
    public string? Decision { get; set; }

    /// <summary>The verifier's reason (kept when the page is shown again after a refusal).</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The station with all its revisions.</summary>
    public StationView Station { get; private set; } = null!;

    /// <summary>The revision shown.</summary>
    public RevisionView Revision { get; private set; } = null!;

    /// <summary>The stored envelope's facts and attachments.</summary>
    public StoredRevision Stored { get; private set; } = null!;

    /// <summary>The election (contest and choice names).</summary>
    public ElectionDefinition Definition => board.Definition;

    /// <summary>Whether the revision shown is the station's latest.</summary>
    public bool IsLatest => Station.Latest?.Revision == Revision.Revision;

    /// <summary>Whether a verifier can decide on this revision now: the latest one, still pending.</summary>
    public bool CanDecide => IsLatest && Revision.State == ReviewState.Pending;

    /// <summary>A decision was just stored (after the redirect): "Accepted; log index 123".</summary>
    public string? Success { get; private set; }

    /// <summary>Why the page cannot show the submission (unknown envelope, storage), or why a decision was refused.</summary>
    public string? Problem { get; private set; }

    /// <summary>Whether <see cref="Problem"/> concerns the reason field (REASON_REQUIRED, REASON_TOO_LONG).</summary>
    public bool ReasonProblem { get; private set; }

    /// <summary>Whether there is a submission to show (false: only <see cref="Problem"/>).</summary>
    public bool Found { get; private set; }

    /// <summary>The station's municipality in the page's language.</summary>
    public string MunicipalityName =>
        Definition.TryGetMunicipality(Station.Station.MunicipalityCode, out var municipality) ? DashboardText.Name(municipality.Name) : Station.MunicipalityName;

    /// <summary>The link to the station's latest revision, with its state: "revision 2 (Pending)".</summary>
    public IHtmlContent LatestLink
    {
        get
        {
            var latest = Station.Latest!;
            return new HtmlContentBuilder()
                .AppendHtml("<a href=\"/submissions/").Append(latest.EnvelopeSha256Hex).AppendHtml("\">")
                .Append(DashboardText.Format(DashboardStrings.SupersededLink, latest.Revision, DashboardText.State(latest.State)))
                .AppendHtml("</a>");
        }
    }

    /// <summary>A review state as the coloured badge the pages use.</summary>
    public static IHtmlContent StateBadge(ReviewState state) => new HtmlContentBuilder()
        .AppendHtml("<span class=\"state ").Append(DashboardText.StateClass(state)).AppendHtml("\">")
        .Append(DashboardText.State(state))
        .AppendHtml("</span>");

    /// <summary>A verifier's identity URI as the pages show it.</summary>
    public static IHtmlContent CallerUri(string uri) => new HtmlContentBuilder()
        .AppendHtml("<span class=\"caller-uri\">").Append(uri).AppendHtml("</span>");

    /// <summary>GET: the submission; <paramref name="decided"/> after the redirect that follows a stored decision.</summary>
    public async Task<IActionResult> OnGetAsync(string envelope, bool decided, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(envelope, cancellationToken))
        {
            return Page();
        }

        if (decided && Revision.Decision is { } decision)
        {
            Success = DashboardText.Format(DashboardStrings.DecisionSuccess, DashboardText.State(decision.State), decision.LogIndex.ToString(CultureInfo.InvariantCulture));
        }

        return Page();
    }

    /// <summary>POST: the decision form, through <see cref="DecisionDesk"/>; stored → redirect to GET, refused → the page with the message and the values kept.</summary>
    public async Task<IActionResult> OnPostAsync(string envelope, CancellationToken cancellationToken)
    {
        if (!EnvelopeAddress.TryNormalize(envelope, out var hex))
        {
            return NotFoundPage();
        }

        // Anything but the three decisions (nothing chosen, a forged value) is Pending, which the desk refuses as UNKNOWN_DECISION.
        var state = Decisions.FirstOrDefault(d => string.Equals(d.Value, Decision, StringComparison.Ordinal)).State;
        var verifier = DashboardAccess.GetVerifier(HttpContext);
        var outcome = await desk.DecideAsync(hex, state, Reason ?? string.Empty, verifier.Uri, cancellationToken);
        switch (outcome)
        {
            case DecisionStored:
                // 303: the browser follows with a GET, so reloading the result never posts the decision again.
                Response.Headers.Location = $"/submissions/{hex}?decided=true#decision-result";
                return StatusCode(StatusCodes.Status303SeeOther);
            case DecisionRefused refused:
                Problem = DashboardText.Refusal(refused);
                ReasonProblem = refused.Refusal is ReviewRefusals.ReasonRequired or ReviewRefusals.ReasonTooLong;
                Response.StatusCode = refused.Refusal is ReviewRefusals.AlreadyDecided or ReviewRefusals.Superseded
                    ? StatusCodes.Status409Conflict
                    : StatusCodes.Status422UnprocessableEntity;
                break;
            case DecisionStorageUnavailable unavailable:
                Problem = DashboardText.Format(DashboardStrings.StorageUnavailable, unavailable.Reason);
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                break;
            default:
                return NotFoundPage();
        }

        // The page again, with the refusal above the form and the verifier's values kept (LoadAsync replaces the
        // refusal only if the submission itself cannot be shown).
        await LoadAsync(envelope, cancellationToken);
        return Page();
    }

    /// <summary>
    /// The votes of <paramref name="contest"/> on this form as tables: one for a contest without parties, one per party
    /// for candidates (<see cref="ContestLayout"/>). A choice the form leaves out has 0 votes.
    /// </summary>
    public IReadOnlyList<VotesTable> Tables(Contest contest)
    {
        ArgumentNullException.ThrowIfNull(contest);
        var result = Stored.Protocol.Contests.FirstOrDefault(c => c.ContestId == contest.Id);
        var votes = result?.Choices.ToDictionary(c => c.ChoiceId, c => c.Votes, StringComparer.Ordinal) ?? [];
        var flagged = Revision.Flags.Where(f => f.ContestId == contest.Id && f.ChoiceId is not null).Select(f => f.ChoiceId!).ToHashSet(StringComparer.Ordinal);
        return
        [
            .. ContestLayout.Groups(Definition, contest).Select((group, g) => new VotesTable(
                $"contest-{contest.Id}-{g.ToString(CultureInfo.InvariantCulture)}",
                group.Name ?? DashboardText.Name(contest.Name),
                [.. group.Choices.Select(i => contest.Choices[i]).Select(choice => new VotesRow(contest.Id, choice, votes.GetValueOrDefault(choice.Id), flagged.Contains(choice.Id)))])),
        ];
    }

    private async Task<bool> LoadAsync(string envelope, CancellationToken cancellationToken)
    {
        await board.RefreshAsync(cancellationToken);
        if (!EnvelopeAddress.TryNormalize(envelope, out var hex) || board.FindByEnvelope(hex) is not { } found)
        {
            NotFoundPage();
            return false;
        }

        (Station, Revision) = found;
        var stored = await storedSubmissions.ReadAsync(Revision, cancellationToken);
        if (stored is null)
        {
            // The board only shows what it read from storage: losing it afterwards is broken infrastructure.
            Problem = DashboardStrings.SubmissionNotReadBack;
            Response.StatusCode = StatusCodes.Status500InternalServerError;
            return false;
        }

        Stored = stored;
        Revision = board.Complete(Station, Revision, stored.Protocol);
        Found = true;
        ViewData["Title"] = DashboardText.Format(DashboardStrings.SubmissionTitle, Station.Station.Code, Revision.Revision);
        return true;
    }

    private PageResult NotFoundPage()
    {
        Found = false;
        Problem = DashboardStrings.SubmissionNotFound;
        Response.StatusCode = StatusCodes.Status404NotFound;
        ViewData["Title"] = DashboardStrings.SubmissionNotFoundTitle;
        return Page();
    }
}

/// <summary>One table of votes on the submission page.</summary>
/// <param name="Id">The element id.</param>
/// <param name="Caption">The contest's name, or for candidates their party's.</param>
/// <param name="Rows">The choices in ballot order.</param>
public sealed record VotesTable(string Id, string Caption, IReadOnlyList<VotesRow> Rows);

/// <summary>One choice's votes on the form.</summary>
/// <param name="ContestId">Its contest.</param>
/// <param name="Choice">The choice.</param>
/// <param name="Votes">Its votes on the form.</param>
/// <param name="Flagged">Whether a flag names this choice.</param>
public sealed record VotesRow(string ContestId, Choice Choice, long Votes, bool Flagged);
