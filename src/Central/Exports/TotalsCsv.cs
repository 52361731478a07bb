using System.Buffers;
using System.Text;

namespace Transmission.Central.Exports;

/// <summary><c>totals.csv</c>: one row per area × contest × choice, provisional and certified side by side (docs/exports.md).</summary>
internal static class TotalsCsv
{
    /// <summary>The header row.</summary>
    public const string Header =
        "area,municipality_code,stations_registered,stations_reported_provisional,stations_reported_certified,registered_voters," +
        "ballots_used_provisional,ballots_used_certified,contest_id,choice_id,votes_provisional,votes_certified";

    public static async Task WriteAsync(ExportData data, Stream output, CancellationToken cancellationToken)
    {
        var layout = new BallotLayout(data.Definition);
        var areas = TotalsAreas.Of(data, layout);
        var buffer = new OutputBuffer(output);
        var csv = new CsvWriter(buffer.Writer);
        buffer.Writer.Write(Encoding.UTF8.GetBytes(Header + "\n"));

        foreach (var area in areas)
        {
            for (var c = 0; c < layout.Contests.Count; c++)
            {
                var contest = layout.Contests[c];
                for (var k = 0; k < contest.Choices.Count; k++)
                {
                    csv.Text(area.Kind);
                    if (area.MunicipalityCode is { } code)
                    {
                        csv.Text(code);
                    }
                    else
                    {
                        csv.Empty();
                    }

                    csv.Number(area.Provisional.StationsRegistered);
                    csv.Number(area.Provisional.StationsReported);
                    csv.Number(area.Certified.StationsReported);
                    csv.Number(area.Provisional.RegisteredVotersAll);
                    csv.Number(area.Provisional.BallotsUsed);
                    csv.Number(area.Certified.BallotsUsed);
                    csv.Text(contest.Id);
                    csv.Text(contest.Choices[k].Id);
                    csv.Number(area.Provisional.Contests[c].Choices[k].Votes);
                    csv.Number(area.Certified.Contests[c].Choices[k].Votes);
                    csv.EndRow();
                }
            }

            await buffer.FlushIfFullAsync(cancellationToken);
        }

        await buffer.CompleteAsync(cancellationToken);
    }
}
