using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Cli.Connection;
using Transmission.Verifier.Submissions;
using Transmission.Verifier.Terminal;

namespace Transmission.Verifier.Listing;

/// <summary><c>list</c>: the review queue, one row per station of the registry with its latest submission.</summary>
internal static class ListCommand
{
    /// <summary>The largest page Central serves (ListSubmissionsRequest.page_size).</summary>
    public const uint MaxPageSize = 500;

    public static Command Create(ConnectionOptions connection)
    {
        var state = new Option<string?>("--state") { Description = "Only stations whose latest revision is " + ReviewVocabulary.OneOf(ReviewVocabulary.States.Keys) + "." };
        state.CompletionSources.Add(ReviewVocabulary.States.Keys.ToArray());
        state.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !ReviewVocabulary.States.ContainsKey(value))
            {
                result.AddError($"--state must be {ReviewVocabulary.OneOf(ReviewVocabulary.States.Keys)}; not '{value}'");
            }
        });
        var municipality = new Option<string?>("--municipality") { Description = "Only stations of this municipality code." };
        var flag = new Option<string?>("--flag") { Description = "Only stations whose latest revision carries this flag code (e.g. TURNOUT_OUTLIER), or * for any flag." };
        var reported = new Option<bool>("--reported") { Description = "Only stations that have sent at least one protocol." };
        var notReported = new Option<bool>("--not-reported") { Description = "Only stations that have not sent any protocol." };
        var pageSize = new Option<uint?>("--page-size") { Description = $"Rows per page, 1 to {MaxPageSize}. Defaults to Central's default (50)." };
        pageSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<uint?>() is { } size && size is 0 or > MaxPageSize)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--page-size must be between 1 and {MaxPageSize}; not {size}"));
            }
        });
        var pageToken = new Option<string?>("--page-token") { Description = "Continue from where a previous 'list' stopped (it prints the token)." };
        var all = new Option<bool>("--all") { Description = "Follow every page to the end." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per station (JSON lines) instead of a table." };
        var command = new Command("list", "The review queue: each station of the registry with its latest submission (station, municipality, revision, state, flags, received, envelope SHA-256).\n" + ExitCodeHelp.Text)
        {
            state, municipality, flag, reported, notReported, pageSize, pageToken, all, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(reported) && result.GetValue(notReported))
            {
                result.AddError("--reported and --not-reported exclude each other; give at most one");
            }
        });

        command.SetGuardedAction(async (parse, output, cancellationToken) =>
        {
            var settings = connection.Read(parse);
            var request = new ListSubmissionsRequest
            {
                State = parse.GetValue(state) is { } s ? ReviewVocabulary.States[s] : ReviewState.Unspecified,
                Municipality = parse.GetValue(municipality) ?? string.Empty,
                Flag = parse.GetValue(flag) ?? string.Empty,
                PageSize = parse.GetValue(pageSize) ?? 0,
                PageToken = parse.GetValue(pageToken) ?? string.Empty,
                Reporting = parse.GetValue(reported) ? ReportingFilter.Reported : parse.GetValue(notReported) ? ReportingFilter.NotReported : ReportingFilter.Any,
            };
            var asJson = parse.GetValue(json);
            var followAll = parse.GetValue(all);
            var error = parse.InvocationConfiguration.Error;
            using var central = CentralConnection.Open(settings, error);

            var rows = new List<SubmissionSummary>();
            var seenTokens = new HashSet<string>(StringComparer.Ordinal);
            ListSubmissionsResponse page;
            while (true)
            {
                page = await central.CallAsync(ReviewMethods.ListSubmissions, request, cancellationToken);
                if (asJson)
                {
                    foreach (var row in page.Submissions)
                    {
                        await output.WriteLineAsync(SubmissionTable.JsonLine(row));
                    }
                }
                else
                {
                    rows.AddRange(page.Submissions);
                }

                if (!followAll || page.NextPageToken.Length == 0)
                {
                    break;
                }

                if (!seenTokens.Add(page.NextPageToken))
                {
                    throw new CommandFailureException(ExitCodes.Internal, "Central returned the same page token twice; stopping instead of looping");
                }

                request.PageToken = page.NextPageToken;
            }

            var hint = page.NextPageToken.Length > 0
                ? $"more rows: repeat with --page-token {page.NextPageToken} (or use --all)"
                : null;
            if (asJson)
            {
                // stdout stays pure JSON lines; the hint is for the person.
                if (hint is not null)
                {
                    await error.WriteLineAsync(hint);
                }

                return ExitCodes.Ok;
            }

            var console = VerifierConsole.Create(output);
            SubmissionTable.Render(console, rows);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} shown; {page.TotalMatching} station(s) match"));
            if (hint is not null)
            {
                console.WriteLine(hint);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
