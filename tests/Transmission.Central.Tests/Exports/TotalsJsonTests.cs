using System.Text.Json;
using Transmission.Central.Exports;
using static Transmission.Central.Tests.Exports.ExportTestData;
using static Transmission.Central.Tests.Exports.StationsJsonTests;

namespace Transmission.Central.Tests.Exports;

public sealed class TotalsJsonTests
{
    [Fact]
    public async Task WriteAsync_Night_ParsesWithTheValuesInOrder()
    {
        var night = Night();

        using var document = JsonDocument.Parse(await WriteAsync(night, ExportKind.Totals, ExportFormat.Json));

        var root = document.RootElement;
        Assert.Equal(["electionId", "definitionSha256", "mode", "logSize", "areas"], Names(root));
        Assert.Equal(("xk-export-1", night.Definition.Sha256Hex, "test", 4L),
            (root.GetProperty("electionId").GetString(), root.GetProperty("definitionSha256").GetString(), root.GetProperty("mode").GetString(), root.GetProperty("logSize").GetInt64()));

        // The same numbers as TotalsCsvTests.WriteAsync_Night_KnownAnswer, nested.
        var areas = root.GetProperty("areas").EnumerateArray().ToArray();
        Assert.Equal(
            [
                "overall|null|3,2,1,1900,750,500|parties:P01=401/300,parties:P02=336/190,candidates:P01-C01=121/120",
                "municipality|01|2,1,1,1400,500,500|parties:P01=301/300,parties:P02=191/190,candidates:P01-C01=121/120",
                "municipality|02|1,1,0,500,250,0|parties:P01=100/0,parties:P02=145/0,candidates:P01-C01=0/0",
            ],
            areas.Select(Flatten));
    }

    private static string Flatten(JsonElement area)
    {
        Assert.Equal(
            ["area", "municipalityCode", "stationsRegistered", "stationsReportedProvisional", "stationsReportedCertified",
             "registeredVoters", "ballotsUsedProvisional", "ballotsUsedCertified", "contests"],
            Names(area));
        var code = area.GetProperty("municipalityCode");
        var counts = string.Join(',', area.EnumerateObject().Skip(2).Take(6).Select(p => p.Value.GetInt64()));
        var votes = string.Join(',', area.GetProperty("contests").EnumerateArray().SelectMany(c =>
        {
            Assert.Equal(["contestId", "choices"], Names(c));
            return c.GetProperty("choices").EnumerateArray().Select(ch =>
            {
                Assert.Equal(["choiceId", "votesProvisional", "votesCertified"], Names(ch));
                return $"{c.GetProperty("contestId").GetString()}:{ch.GetProperty("choiceId").GetString()}=" +
                    $"{ch.GetProperty("votesProvisional").GetInt64()}/{ch.GetProperty("votesCertified").GetInt64()}";
            });
        }));
        return $"{area.GetProperty("area").GetString()}|{(code.ValueKind == JsonValueKind.Null ? "null" : code.GetString())}|{counts}|{votes}";
    }
}
