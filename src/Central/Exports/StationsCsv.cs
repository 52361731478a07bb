using System.Buffers;
using System.Text;

namespace Transmission.Central.Exports;

/// <summary><c>stations.csv</c>: one row per station × exported revision × contest × choice (docs/exports.md).</summary>
internal static class StationsCsv
{
    /// <summary>The header row.</summary>
    public const string Header =
        "election_id,station_code,municipality_code,polling_centre,revision,review_state,counted_provisional,counted_certified," +
        "registered_voters,ballots_received,ballots_used,ballots_unused,ballots_spoiled,ballots_invalid,ballots_valid," +
        "contest_id,choice_id,votes,envelope_sha256,log_index,received_at,signed_at";

    public static async Task WriteAsync(ExportData data, Stream output, CancellationToken cancellationToken)
    {
        var layout = new BallotLayout(data.Definition);
        var stations = StationOrder.Stations(data);
        var buffer = new OutputBuffer(output);
        var csv = new CsvWriter(buffer.Writer);
        var scratch = new ArrayBufferWriter<byte>();
        var votes = new long[layout.ChoiceCount];

        // The contest and choice fields are the same for every revision: escape them once.
        var ballot = new byte[layout.ChoiceCount][];
        for (var c = 0; c < layout.Contests.Count; c++)
        {
            var contest = layout.Contests[c];
            for (var k = 0; k < contest.Choices.Count; k++)
            {
                ballot[layout.Offset(c) + k] = CsvWriter.Fragment(scratch, w =>
                {
                    w.Text(contest.Id);
                    w.Text(contest.Choices[k].Id);
                });
            }
        }

        buffer.Writer.Write(Encoding.UTF8.GetBytes(Header + "\n"));

        foreach (var station in stations)
        {
            foreach (var revision in StationOrder.Revisions(station, data.LogSize))
            {
                layout.VotesOf(revision.Protocol, votes);
                var before = CsvWriter.Fragment(scratch, w =>
                {
                    var ballots = revision.Protocol.Ballots;
                    w.Text(data.Definition.ElectionId);
                    w.Text(station.Station.Code);
                    w.Text(station.Station.MunicipalityCode);
                    w.Text(station.Station.PollingCentre.Default);
                    w.Number(revision.Revision);
                    w.Text(ExportText.ReviewState(revision.State));
                    w.Boolean(revision.CountedProvisional);
                    w.Boolean(revision.CountedCertified);
                    w.Number(ballots.RegisteredVoters);
                    w.Number(ballots.Received);
                    w.Number(ballots.Used);
                    w.Number(ballots.Unused);
                    w.Number(ballots.Spoiled);
                    w.Number(ballots.Invalid);
                    w.Number(ballots.Valid);
                });
                var after = CsvWriter.Fragment(scratch, w =>
                {
                    w.Text(ExportText.Sha256Hex(revision.EnvelopeSha256Hex));
                    w.Number(revision.LogIndex);
                    w.Text(ExportText.Time(revision.ReceivedAt));
                    if (revision.SignedAt is { } signedAt)
                    {
                        w.Text(ExportText.Time(signedAt));
                    }
                    else
                    {
                        w.Empty();
                    }
                });

                for (var i = 0; i < votes.Length; i++)
                {
                    csv.Fields(before);
                    csv.Fields(ballot[i]);
                    csv.Number(votes[i]);
                    csv.Fields(after);
                    csv.EndRow();
                }
            }

            await buffer.FlushIfFullAsync(cancellationToken);
        }

        await buffer.CompleteAsync(cancellationToken);
    }
}
