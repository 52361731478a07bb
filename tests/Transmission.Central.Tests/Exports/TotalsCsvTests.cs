using Transmission.Central.Exports;
using static Transmission.Central.Tests.Exports.ExportTestData;

namespace Transmission.Central.Tests.Exports;

public sealed class TotalsCsvTests
{
    [Fact]
    public async Task WriteAsync_Night_KnownAnswer()
    {
        var csv = await WriteTextAsync(Night(), ExportKind.Totals, ExportFormat.Csv);

        // Worked out by hand from ExportTestData.Night. Provisional: 01-0001-01 revision 2 + 02-0001-01 revision 1.
        // Certified: 01-0001-01 revision 1 only. Registry: 01 has 2 stations (800 + 600), 02 has 1 (500).
        // Overall first, then municipalities by code although the definition lists 02 first.
        const string expected =
            "area,municipality_code,stations_registered,stations_reported_provisional,stations_reported_certified,registered_voters," +
            "ballots_used_provisional,ballots_used_certified,contest_id,choice_id,votes_provisional,votes_certified\n" +
            "overall,,3,2,1,1900,750,500,parties,P01,401,300\n" +
            "overall,,3,2,1,1900,750,500,parties,P02,336,190\n" +
            "overall,,3,2,1,1900,750,500,candidates,P01-C01,121,120\n" +
            "municipality,01,2,1,1,1400,500,500,parties,P01,301,300\n" +
            "municipality,01,2,1,1,1400,500,500,parties,P02,191,190\n" +
            "municipality,01,2,1,1,1400,500,500,candidates,P01-C01,121,120\n" +
            "municipality,02,1,1,0,500,250,0,parties,P01,100,0\n" +
            "municipality,02,1,1,0,500,250,0,parties,P02,145,0\n" +
            "municipality,02,1,1,0,500,250,0,candidates,P01-C01,0,0\n";
        Assert.Equal(expected, csv);
        Assert.Equal(TotalsCsv.Header + "\n", expected[..(expected.IndexOf('\n', StringComparison.Ordinal) + 1)]);
    }

    [Fact]
    public async Task WriteAsync_NothingReported_EveryAreaWithZeros()
    {
        var night = Night();
        var empty = new Core.Tabulation.Tabulator(night.Definition).Snapshot();

        var csv = await WriteTextAsync(night with { Stations = [], LogSize = 0, Totals = empty }, ExportKind.Totals, ExportFormat.Csv);

        var rows = Rfc4180.Parse(csv);
        Assert.Equal(1 + (3 * 3), rows.Count);
        Assert.Equal(["overall,,3,0,0,1900,0,0,parties,P01,0,0", "municipality,02,1,0,0,500,0,0,candidates,P01-C01,0,0"],
            new[] { rows[1], rows[^1] }.Select(row => string.Join(',', row)));
    }
}
