using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Hosting;
using Transmission.Central.Storage;
using Transmission.Central.Submission;
using Transmission.Cli;
using Transmission.Contracts.Mapping;
using Transmission.Core.Election;

namespace Transmission.Central.Reporting;

/// <summary>
/// <c>report</c>: what Central holds, read from its own database: submissions stored, flagged by rule,
/// refused by reason, and provisional totals per contest (latest accepted revision of every station).
/// An operator's summary of the night until the verifiers' review and tabulation services take over.
/// </summary>
public static class ReportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "The settings file Central was started with." };
        var command = new Command("report", "Summarise what Central has stored, flagged and refused, with provisional totals. " + ExitCodes.HelpText)
        {
            config,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var options = ServeCommand.LoadConfiguration(parse.GetValue(config), listen: null)
                    .GetSection(CentralOptions.SectionName).Get<CentralOptions>() ?? new CentralOptions();
                await WriteAsync(options, Environment.CurrentDirectory, output, ct);
                return ExitCodes.Ok;
            }
            catch (CommandFailureException ex)
            {
                await error.WriteLineAsync("error: " + ex.Message);
                return ex.ExitCode;
            }
            catch (InvalidOperationException ex)
            {
                await error.WriteLineAsync("error: " + ex.Message);
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    /// <summary>Writes the report for the database and election of <paramref name="options"/>.</summary>
    public static async Task WriteAsync(CentralOptions options, string baseDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var dataDirectory = CentralOptions.Resolve(baseDirectory, options.DataDirectory);
        if (options.Storage.Provider == StorageProvider.Sqlite && !File.Exists(Path.Combine(dataDirectory, CentralDatabase.FileName)))
        {
            throw new CommandFailureException(ExitCodes.BadInput, $"no Central database in {dataDirectory}");
        }

        var election = CentralElection.Load(CentralOptions.Resolve(baseDirectory, options.Election.Definition)).Definition;
        var dbOptions = CentralDatabase.ForConfiguration(dataDirectory, options.Storage);
        await using var db = new CentralDbContext(dbOptions);

        var submissions = await db.Submissions.AsNoTracking()
            .Select(s => new { s.StationCode, s.Revision, s.Status, s.Flags, s.EnvelopeSha256 })
            .ToListAsync(cancellationToken);
        var events = await db.SecurityEvents.AsNoTracking().Select(e => new { e.Kind, e.Detail }).ToListAsync(cancellationToken);
        var accepted = submissions.Where(s => s.Status == SubmissionStatus.Accepted).ToList();
        var latest = accepted.GroupBy(s => s.StationCode).Select(g => g.MaxBy(s => s.Revision)!).ToList();

        await output.WriteLineAsync($"{(election.Mode == ElectionMode.Live ? "LIVE ELECTION" : "TEST ELECTION (rehearsal)")} {election.ElectionId}");
        await output.WriteLineAsync($"  stored:     {accepted.Count} protocols ({latest.Count} of {election.Stations.Count} stations reported; {accepted.Count - latest.Count} superseded by corrections)");
        await output.WriteLineAsync($"  conflicts:  {submissions.Count(s => s.Status == SubmissionStatus.Conflict)} kept as evidence");
        var flags = latest.SelectMany(s => s.Flags.Split(',', StringSplitOptions.RemoveEmptyEntries)).GroupBy(f => f).OrderBy(g => g.Key, StringComparer.Ordinal);
        await output.WriteLineAsync($"  flagged:    {latest.Count(s => s.Flags.Length > 0)} for review{string.Concat(flags.Select(g => $"; {g.Key} ×{g.Count()}"))}");
        // Rejections are grouped by their reason code (the detail starts with it); other events by kind.
        var refusals = events
            .GroupBy(e => e.Kind == SubmissionCodes.RejectedEventKind ? e.Detail.Split(':')[0] : e.Kind)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        await output.WriteLineAsync($"  refused:    {events.Count} security event(s){string.Concat(refusals.Select(g => $"; {g.Key} ×{g.Count()}"))}");

        // Provisional totals: the latest accepted revision of every station, read from the stored envelopes.
        var totals = new Dictionary<(string Contest, string Choice), long>();
        foreach (var submission in latest)
        {
            var blob = await db.Blobs.AsNoTracking().SingleAsync(b => b.Sha256 == submission.EnvelopeSha256, cancellationToken);
            var envelope = EnvelopeMapping.Parse(blob.Bytes).Envelope
                ?? throw new InvalidOperationException($"stored envelope of {submission.StationCode} does not parse");
            var protocol = Contracts.V1.ResultProtocol.Parser.ParseFrom(envelope.Payload.Span).ToDomain().Value
                ?? throw new InvalidOperationException($"stored protocol of {submission.StationCode} does not map");
            foreach (var contest in protocol.Contests)
            {
                foreach (var choice in contest.Choices)
                {
                    totals[(contest.ContestId, choice.ChoiceId)] = checked(totals.GetValueOrDefault((contest.ContestId, choice.ChoiceId)) + choice.Votes);
                }
            }
        }

        foreach (var contest in election.Contests)
        {
            var rows = contest.Choices
                .Select(c => (Choice: c, Votes: totals.GetValueOrDefault((contest.Id, c.Id))))
                .OrderByDescending(r => r.Votes)
                .ToList();
            var sum = rows.Sum(r => r.Votes);
            await output.WriteLineAsync($"  provisional totals, {contest.Name.Default} ({sum.ToString("N0", CultureInfo.InvariantCulture)} votes):");
            foreach (var (choice, votes) in rows.Take(contest.Kind == ContestKind.SingleChoice ? rows.Count : 5))
            {
                var share = sum == 0 ? 0 : 100.0 * votes / sum;
                await output.WriteLineAsync($"    {choice.Name.Default,-40} {votes.ToString("N0", CultureInfo.InvariantCulture),10}  {share.ToString("F1", CultureInfo.InvariantCulture),5} %");
            }
        }
    }
}
