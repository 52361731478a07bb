using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Cli.Connection;
using Transmission.Verifier.Submissions;
using Transmission.Verifier.Terminal;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Listing;

/// <summary><c>list</c>: the review queue, one row per station of the registry with its latest submission.</summary>
internal static class ListCommand
{
    /// <summary>The largest page Central serves (ListSubmissionsRequest.page_size).</summary>
    public const uint MaxPageSize = 500;

    public static Command Create(ConnectionOptions connection)
    {
        var state = new Option<string?>("--state") { Description = Localized.Format(VerifierText.OptState, ReviewVocabulary.OneOf(ReviewVocabulary.States.Keys)) };
        state.CompletionSources.Add(ReviewVocabulary.States.Keys.ToArray());
        state.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !ReviewVocabulary.States.ContainsKey(value))
            {
                result.AddError(Localized.Format(VerifierText.StateInvalid, ReviewVocabulary.OneOf(ReviewVocabulary.States.Keys), value));
            }
        });
        var municipality = new Option<string?>("--municipality") { Description = VerifierText.OptMunicipality };
        var flag = new Option<string?>("--flag") { Description = VerifierText.OptFlag };
        var reported = new Option<bool>("--reported") { Description = VerifierText.OptReported };
        var notReported = new Option<bool>("--not-reported") { Description = VerifierText.OptNotReported };
        var pageSize = new Option<uint?>("--page-size") { Description = Localized.Format(VerifierText.OptPageSize, MaxPageSize) };
        pageSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<uint?>() is { } size && size is 0 or > MaxPageSize)
            {
                result.AddError(Localized.Format(VerifierText.PageSizeInvalid, MaxPageSize, size));
            }
        });
        var pageToken = new Option<string?>("--page-token") { Description = VerifierText.OptPageToken };
        var all = new Option<bool>("--all") { Description = VerifierText.OptAll };
        var json = new Option<bool>("--json") { Description = VerifierText.OptListJson };
        var command = new Command("list", VerifierText.ListDescription + "\n" + ExitCodeHelp.Text)
        {
            state, municipality, flag, reported, notReported, pageSize, pageToken, all, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(reported) && result.GetValue(notReported))
            {
                result.AddError(VerifierText.ReportedExclusive);
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
                    throw new CommandFailureException(ExitCodes.Internal, VerifierText.SameToken);
                }

                request.PageToken = page.NextPageToken;
            }

            var hint = page.NextPageToken.Length > 0
                ? Localized.Format(VerifierText.MoreRows, page.NextPageToken)
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
            console.WriteLine(Localized.Format(VerifierText.Shown, rows.Count, page.TotalMatching));
            if (hint is not null)
            {
                console.WriteLine(hint);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
