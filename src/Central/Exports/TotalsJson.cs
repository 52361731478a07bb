using System.Text.Json;

namespace Transmission.Central.Exports;

/// <summary><c>totals.json</c>: areas → contests → choices, provisional and certified side by side (docs/exports.md).</summary>
internal static class TotalsJson
{
    public static async Task WriteAsync(ExportData data, Stream output, CancellationToken cancellationToken)
    {
        var layout = new BallotLayout(data.Definition);
        var areas = TotalsAreas.Of(data, layout);
        var buffer = new OutputBuffer(output);
        using var json = new Utf8JsonWriter(buffer.Writer, ExportJson.Options);

        json.WriteStartObject();
        ExportJson.WriteProvenance(json, data);
        json.WriteStartArray("areas"u8);
        foreach (var area in areas)
        {
            json.WriteStartObject();
            json.WriteString("area"u8, area.Kind);
            if (area.MunicipalityCode is { } code)
            {
                json.WriteString("municipalityCode"u8, code);
            }
            else
            {
                json.WriteNull("municipalityCode"u8);
            }

            json.WriteNumber("stationsRegistered"u8, area.Provisional.StationsRegistered);
            json.WriteNumber("stationsReportedProvisional"u8, area.Provisional.StationsReported);
            json.WriteNumber("stationsReportedCertified"u8, area.Certified.StationsReported);
            json.WriteNumber("registeredVoters"u8, area.Provisional.RegisteredVotersAll);
            json.WriteNumber("ballotsUsedProvisional"u8, area.Provisional.BallotsUsed);
            json.WriteNumber("ballotsUsedCertified"u8, area.Certified.BallotsUsed);
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
                    json.WriteNumber("votesProvisional"u8, area.Provisional.Contests[c].Choices[k].Votes);
                    json.WriteNumber("votesCertified"u8, area.Certified.Contests[c].Choices[k].Votes);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
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
}
