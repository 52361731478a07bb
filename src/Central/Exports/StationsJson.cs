using System.Text.Json;

namespace Transmission.Central.Exports;

/// <summary><c>stations.json</c>: stations → revisions → contests → choices (docs/exports.md), streamed station by station.</summary>
internal static class StationsJson
{
    public static async Task WriteAsync(ExportData data, Stream output, CancellationToken cancellationToken)
    {
        var layout = new BallotLayout(data.Definition);
        var stations = StationOrder.Stations(data);
        var buffer = new OutputBuffer(output);
        var votes = new long[layout.ChoiceCount];
        using var json = new Utf8JsonWriter(buffer.Writer, ExportJson.Options);

        json.WriteStartObject();
        ExportJson.WriteProvenance(json, data);
        json.WriteStartArray("stations"u8);
        foreach (var station in stations)
        {
            json.WriteStartObject();
            json.WriteString("stationCode"u8, station.Station.Code);
            json.WriteString("municipalityCode"u8, station.Station.MunicipalityCode);
            json.WriteString("pollingCentre"u8, station.Station.PollingCentre.Default);
            json.WriteStartArray("revisions"u8);
            foreach (var revision in StationOrder.Revisions(station, data.LogSize))
            {
                layout.VotesOf(revision.Protocol, votes);
                WriteRevision(json, revision, layout, votes);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            await buffer.FlushIfFullAsync(cancellationToken);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        ExportJson.End(json, buffer);
        await buffer.CompleteAsync(cancellationToken);
    }

    private static void WriteRevision(Utf8JsonWriter json, RevisionExport revision, BallotLayout layout, long[] votes)
    {
        json.WriteStartObject();
        json.WriteNumber("revision"u8, revision.Revision);
        json.WriteString("reviewState"u8, ExportText.ReviewState(revision.State));
        json.WriteBoolean("countedProvisional"u8, revision.CountedProvisional);
        json.WriteBoolean("countedCertified"u8, revision.CountedCertified);
        json.WriteString("envelopeSha256"u8, ExportText.Sha256Hex(revision.EnvelopeSha256Hex));
        json.WriteNumber("logIndex"u8, revision.LogIndex);
        json.WriteString("receivedAt"u8, ExportText.Time(revision.ReceivedAt));
        if (revision.SignedAt is { } signedAt)
        {
            json.WriteString("signedAt"u8, ExportText.Time(signedAt));
        }
        else
        {
            json.WriteNull("signedAt"u8);
        }

        var ballots = revision.Protocol.Ballots;
        json.WriteStartObject("ballots"u8);
        json.WriteNumber("registeredVoters"u8, ballots.RegisteredVoters);
        json.WriteNumber("received"u8, ballots.Received);
        json.WriteNumber("used"u8, ballots.Used);
        json.WriteNumber("unused"u8, ballots.Unused);
        json.WriteNumber("spoiled"u8, ballots.Spoiled);
        json.WriteNumber("invalid"u8, ballots.Invalid);
        json.WriteNumber("valid"u8, ballots.Valid);
        json.WriteEndObject();

        json.WriteStartArray("contests"u8);
        for (var c = 0; c < layout.Contests.Count; c++)
        {
            var contest = layout.Contests[c];
            json.WriteStartObject();
            json.WriteString("contestId"u8, contest.Id);
            json.WriteStartArray("choices"u8);
            for (var k = 0; k < contest.Choices.Count; k++)
            {
                json.WriteStartObject();
                json.WriteString("choiceId"u8, contest.Choices[k].Id);
                json.WriteNumber("votes"u8, votes[layout.Offset(c) + k]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
