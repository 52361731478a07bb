using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Transmission.Contracts.V1;
using Transmission.Verifier.Submissions;
using Transmission.Verifier.Terminal;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Listing;

/// <summary>The rows of <c>list</c>: a table for people, JSON lines for scripts.</summary>
internal static class SubmissionTable
{
    public static void Render(IAnsiConsole console, IReadOnlyList<SubmissionSummary> rows)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(rows);
        var table = console.NewTable(VerifierText.ColStation, VerifierText.ColMunicipality, VerifierText.ColRev, VerifierText.ColState, VerifierText.ColFlags, VerifierText.ColReceivedAt, VerifierText.ColCertifiedRev, VerifierText.ColEnvelopeSha);
        foreach (var row in rows)
        {
            var reported = row.Revision > 0;
            table.AddRow(
                new Text(row.StationCode),
                new Text(row.Municipality),
                new Text(reported ? Number(row.Revision) + (row.Revisions > 1 ? Localized.Format(VerifierText.RevisionOf, Number(row.Revisions)) : string.Empty) : "-"),
                StateText(row.State, reported),
                new Text(row.Flags.Count == 0 ? "-" : string.Join(' ', row.Flags.Select(f => f.Code)), row.Flags.Count == 0 ? Style.Plain : new Style(Color.Yellow)),
                new Text(ReviewVocabulary.Time(row.ReceivedAt)),
                new Text(row.CertifiedRevision > 0 ? Number(row.CertifiedRevision) : "-"),
                new Text(EnvelopeDigest.Hex(row.EnvelopeSha256)));
        }

        console.Write(table);
    }

    /// <summary>One station as a JSON object on one line (hex digests, ISO 8601 UTC times, the CLI's state words).</summary>
    public static string JsonLine(SubmissionSummary row)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("station", row.StationCode);
            json.WriteString("municipality", row.Municipality);
            json.WriteString("pollingCentre", row.PollingCentre);
            json.WriteBoolean("reported", row.Revision > 0);
            json.WriteNumber("revision", row.Revision);
            json.WriteNumber("revisions", row.Revisions);
            json.WriteString("state", row.Revision > 0 ? ReviewVocabulary.Name(row.State) : null);
            json.WriteNumber("certifiedRevision", row.CertifiedRevision);
            json.WriteString("receivedAt", ReviewVocabulary.IsoTime(row.ReceivedAt));
            json.WriteString("envelopeSha256", row.EnvelopeSha256.IsEmpty ? null : EnvelopeDigest.Hex(row.EnvelopeSha256));
            json.WriteStartArray("flags");
            foreach (var flag in row.Flags)
            {
                json.WriteStartObject();
                json.WriteString("code", flag.Code);
                json.WriteString("message", flag.Message);
                if (flag.ContestId.Length > 0)
                {
                    json.WriteString("contest", flag.ContestId);
                }

                if (flag.ChoiceId.Length > 0)
                {
                    json.WriteString("choice", flag.ChoiceId);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static Text StateText(ReviewState state, bool reported = true)
    {
        var name = reported ? ReviewVocabulary.DisplayName(state) : VerifierText.NotReported;
        var style = state switch
        {
            ReviewState.Accepted => new Style(Color.Green),
            ReviewState.Rejected => new Style(Color.Red),
            ReviewState.RecountRequested => new Style(Color.Orange1),
            ReviewState.Pending => new Style(Color.Yellow),
            _ => new Style(Color.Grey),
        };
        return new Text(name, style);
    }

    private static string Number(uint value) => value.ToString(CultureInfo.CurrentCulture);
}
