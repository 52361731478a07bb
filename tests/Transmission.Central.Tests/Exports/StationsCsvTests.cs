using Transmission.Central.Exports;
using Transmission.Core.Review;
using static Transmission.Central.Tests.Exports.ExportTestData;

namespace Transmission.Central.Tests.Exports;

public sealed class StationsCsvTests
{
    [Fact]
    public async Task WriteAsync_Night_KnownAnswer()
    {
        var csv = await WriteTextAsync(Night(), ExportKind.Stations, ExportFormat.Csv);

        // Worked out by hand from ExportTestData.Night: stations by code, revisions ascending, contests and choices in
        // ballot order; the comma and quotes in the polling centre make it a quoted field; 02-0001-01's polling centre
        // is the "en" text (no plain text); it left the candidate out (0 votes) and has no signing time (empty);
        // times are UTC, cut to milliseconds; Hash3 was handed over in uppercase.
        const string a = "xk-export-1,01-0001-01,01,\"Shkolla \"\"Naim Frashëri\"\", Prishtinë\"";
        var a1 = $"{a},1,accepted,false,true,800,810,500,305,5,10,490";
        var a1End = $"{Hash0},0,2025-12-28T19:06:00.123Z,2025-12-28T19:05:00.000Z";
        var a2 = $"{a},2,pending,true,false,800,810,500,305,5,8,492";
        var a2End = $"{Hash3},3,2025-12-28T21:10:30.250Z,2025-12-28T21:10:00.000Z";
        const string b1 = "xk-export-1,02-0001-01,02,Migjeni school,1,pending,true,false,500,505,250,253,2,5,245";
        var b1End = $"{Hash1},1,2025-12-28T20:40:07.009Z,";
        var expected =
            "election_id,station_code,municipality_code,polling_centre,revision,review_state,counted_provisional,counted_certified," +
            "registered_voters,ballots_received,ballots_used,ballots_unused,ballots_spoiled,ballots_invalid,ballots_valid," +
            "contest_id,choice_id,votes,envelope_sha256,log_index,received_at,signed_at\n" +
            $"{a1},parties,P01,300,{a1End}\n" +
            $"{a1},parties,P02,190,{a1End}\n" +
            $"{a1},candidates,P01-C01,120,{a1End}\n" +
            $"{a2},parties,P01,301,{a2End}\n" +
            $"{a2},parties,P02,191,{a2End}\n" +
            $"{a2},candidates,P01-C01,121,{a2End}\n" +
            $"{b1},parties,P01,100,{b1End}\n" +
            $"{b1},parties,P02,145,{b1End}\n" +
            $"{b1},candidates,P01-C01,0,{b1End}\n";
        Assert.Equal(expected, csv);
        Assert.All(Rfc4180.Parse(csv), row => Assert.Equal(22, row.Length));
    }

    [Fact]
    public async Task WriteAsync_NoStationReported_HeaderOnly()
    {
        var night = Night();

        var csv = await WriteTextAsync(night with { Stations = [] }, ExportKind.Stations, ExportFormat.Csv);

        Assert.Equal(StationsCsv.Header + "\n", csv);
    }

    [Fact]
    public async Task WriteAsync_TextThatLooksLikeFormulasOrBreaksRows_QuotedAndPrefixedAndReadsBack()
    {
        // Polling-centre names, municipality codes and contest and choice ids are free text in a definition.
        var json = DefinitionJson
            .Replace("\"code\": \"01\"", "\"code\": \"-01\"", StringComparison.Ordinal)
            .Replace("\"municipality\": \"01\"", "\"municipality\": \"-01\"", StringComparison.Ordinal)
            .Replace("\"id\": \"P02\"", "\"id\": \"@P02\"", StringComparison.Ordinal)
            .Replace("\"id\": \"candidates\"", "\"id\": \"+cand,idates\"", StringComparison.Ordinal)
            .Replace("\"Shkolla \\\"Naim Frashëri\\\", Prishtinë\"", "\"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"", StringComparison.Ordinal)
            .Replace("{ \"sq\": \"Shkolla \\\"Migjeni\\\"\", \"en\": \"Migjeni school\" }", "\"\\tline 1\\r\\nline 2\"", StringComparison.Ordinal);
        var definition = Parse(json);
        var a = Protocol(definition, "01-0001-01", 1, new(800, 810, 500, 305, 5, 10, 490), 300, 190, 120);
        var b = Protocol(definition, "02-0001-01", 1, new(500, 505, 250, 253, 2, 5, 245), 100, 145, 0);
        a = a with { Contests = [new("parties", [new("P01", 300), new("@P02", 190)]), new("+cand,idates", [new("P01-C01", 120)])] };
        b = b with { Contests = [new("parties", [new("P01", 100), new("@P02", 145)]), new("+cand,idates", [])] };
        var data = new ExportData(definition, 2,
        [
            new(StationOf(definition, "01-0001-01"), [new(1, ReviewState.Pending, true, false, Hash0, 0, Opens, null, a)]),
            new(StationOf(definition, "02-0001-01"), [new(1, ReviewState.Pending, true, false, Hash1, 1, Opens, null, b)]),
        ], new Core.Tabulation.Tabulator(definition).Snapshot());

        var csv = await WriteTextAsync(data, ExportKind.Stations, ExportFormat.Csv);

        Assert.Contains("\nxk-export-1,01-0001-01,'-01,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",1,", csv, StringComparison.Ordinal);
        Assert.Contains(",\"'+cand,idates\",P01-C01,120,", csv, StringComparison.Ordinal);
        Assert.Contains(",parties,'@P02,190,", csv, StringComparison.Ordinal);
        var rows = Rfc4180.Parse(csv);
        Assert.Equal(1 + 6, rows.Count);
        Assert.All(rows, row => Assert.Equal(22, row.Length));
        Assert.Equal(
            [
                ["01-0001-01", "'-01", "'=HYPERLINK(\"http://evil.example\",\"x\")", "parties", "P01"],
                ["01-0001-01", "'-01", "'=HYPERLINK(\"http://evil.example\",\"x\")", "parties", "'@P02"],
                ["01-0001-01", "'-01", "'=HYPERLINK(\"http://evil.example\",\"x\")", "'+cand,idates", "P01-C01"],
                ["02-0001-01", "02", "'\tline 1\r\nline 2", "parties", "P01"],
                ["02-0001-01", "02", "'\tline 1\r\nline 2", "parties", "'@P02"],
                ["02-0001-01", "02", "'\tline 1\r\nline 2", "'+cand,idates", "P01-C01"],
            ],
            rows.Skip(1).Select(row => new[] { row[1], row[2], row[3], row[15], row[16] }));
    }
}
