using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.V1;
using Transmission.Verifier.Listing;
using Transmission.Verifier.Terminal;

namespace Transmission.Verifier.Tests.Listing;

public sealed class SubmissionTableTests
{
    private static readonly byte[] Digest = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static SubmissionSummary Reported() => new()
    {
        StationCode = "ST-0001",
        Municipality = "01",
        PollingCentre = "Shkolla \"Naim Frashëri\"",
        Revision = 2,
        Revisions = 2,
        CertifiedRevision = 1,
        State = ReviewState.Pending,
        EnvelopeSha256 = ByteString.CopyFrom(Digest),
        ReceivedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 12, 28, 20, 15, 0, TimeSpan.Zero)),
        Flags = { new Flag { Code = "TURNOUT_OUTLIER", Message = "Turnout 97% is far above the municipality's 61%." } },
    };

    [Fact]
    public void JsonLine_ReportedStation_HexDigestIsoTimeAndStateWord()
    {
        var line = SubmissionTable.JsonLine(Reported());

        Assert.DoesNotContain('\n', line);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("ST-0001", json.GetProperty("station").GetString());
        Assert.Equal("pending", json.GetProperty("state").GetString());
        Assert.Equal(2, json.GetProperty("revision").GetInt32());
        Assert.Equal(1, json.GetProperty("certifiedRevision").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(Digest), json.GetProperty("envelopeSha256").GetString());
        Assert.Equal("2025-12-28T20:15:00Z", json.GetProperty("receivedAt").GetString());
        Assert.Equal("TURNOUT_OUTLIER", json.GetProperty("flags")[0].GetProperty("code").GetString());
        Assert.Equal("Shkolla \"Naim Frashëri\"", json.GetProperty("pollingCentre").GetString());
    }

    [Fact]
    public void JsonLine_NotReportedStation_NullStateAndDigest()
    {
        var json = JsonDocument.Parse(SubmissionTable.JsonLine(new SubmissionSummary { StationCode = "ST-0002", Municipality = "02" })).RootElement;

        Assert.False(json.GetProperty("reported").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("state").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("envelopeSha256").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("receivedAt").ValueKind);
    }

    [Fact]
    public void Render_RedirectedOutput_PlainAsciiOneLinePerRow()
    {
        var output = new StringWriter();

        SubmissionTable.Render(VerifierConsole.Create(output), [Reported(), new SubmissionSummary { StationCode = "ST-0002", Municipality = "02" }]);

        var text = output.ToString();
        Assert.DoesNotContain('\u001b', text);
        Assert.True(text.All(c => c < 128 || c == 'ë'), text);
        var row = Assert.Single(text.Split('\n'), l => l.Contains("ST-0001", StringComparison.Ordinal));
        Assert.Matches(@"ST-0001\s*\|\s*01\s*\|\s*2 of 2\s*\|\s*pending\s*\|\s*TURNOUT_OUTLIER\s*\|\s*2025-12-28 20:15:00Z\s*\|\s*1\s*\|\s*" + Convert.ToHexStringLower(Digest), row);
        Assert.Matches(@"ST-0002\s*\|\s*02\s*\|\s*-\s*\|\s*not reported\s*\|\s*-", text);
    }

    [Fact]
    public void Render_MarkupLikeText_PrintedAsIs()
    {
        // Station data is never interpreted as Spectre markup.
        var output = new StringWriter();
        var row = Reported();
        row.Flags[0].Code = "[red]X[/]";

        SubmissionTable.Render(VerifierConsole.Create(output), [row]);

        Assert.Contains("[red]X[/]", output.ToString(), StringComparison.Ordinal);
    }
}
