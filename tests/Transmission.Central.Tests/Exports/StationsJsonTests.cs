using System.Text.Json;
using Transmission.Central.Exports;
using static Transmission.Central.Tests.Exports.ExportTestData;

namespace Transmission.Central.Tests.Exports;

public sealed class StationsJsonTests
{
    [Fact]
    public async Task WriteAsync_Night_ParsesWithTheValuesInOrder()
    {
        var night = Night();

        using var document = JsonDocument.Parse(await WriteAsync(night, ExportKind.Stations, ExportFormat.Json));

        var root = document.RootElement;
        Assert.Equal(["electionId", "definitionSha256", "mode", "logSize", "stations"], Names(root));
        Assert.Equal("xk-export-1", root.GetProperty("electionId").GetString());
        Assert.Equal(night.Definition.Sha256Hex, root.GetProperty("definitionSha256").GetString());
        Assert.Equal("test", root.GetProperty("mode").GetString());
        Assert.Equal(4, root.GetProperty("logSize").GetInt64());

        var stations = root.GetProperty("stations").EnumerateArray().ToArray();
        Assert.Equal(["01-0001-01", "02-0001-01"], stations.Select(s => s.GetProperty("stationCode").GetString()));
        var a = stations[0];
        Assert.Equal(["stationCode", "municipalityCode", "pollingCentre", "revisions"], Names(a));
        Assert.Equal("01", a.GetProperty("municipalityCode").GetString());
        Assert.Equal("Shkolla \"Naim Frashëri\", Prishtinë", a.GetProperty("pollingCentre").GetString());

        var revisions = a.GetProperty("revisions").EnumerateArray().ToArray();
        Assert.Equal([1, 2], revisions.Select(r => r.GetProperty("revision").GetInt32()));
        var a1 = revisions[0];
        Assert.Equal(
            ["revision", "reviewState", "countedProvisional", "countedCertified", "envelopeSha256", "logIndex", "receivedAt", "signedAt", "ballots", "contests"],
            Names(a1));
        Assert.Equal("accepted", a1.GetProperty("reviewState").GetString());
        Assert.False(a1.GetProperty("countedProvisional").GetBoolean());
        Assert.True(a1.GetProperty("countedCertified").GetBoolean());
        Assert.Equal(Hash0, a1.GetProperty("envelopeSha256").GetString());
        Assert.Equal(0, a1.GetProperty("logIndex").GetInt64());
        Assert.Equal("2025-12-28T19:06:00.123Z", a1.GetProperty("receivedAt").GetString());
        Assert.Equal("2025-12-28T19:05:00.000Z", a1.GetProperty("signedAt").GetString());
        var ballots = a1.GetProperty("ballots");
        Assert.Equal(["registeredVoters", "received", "used", "unused", "spoiled", "invalid", "valid"], Names(ballots));
        Assert.Equal([800L, 810, 500, 305, 5, 10, 490], ballots.EnumerateObject().Select(p => p.Value.GetInt64()));
        Assert.Equal(["parties:P01=300", "parties:P02=190", "candidates:P01-C01=120"], Votes(a1));

        var a2 = revisions[1];
        Assert.Equal(("pending", true, false), (a2.GetProperty("reviewState").GetString(), a2.GetProperty("countedProvisional").GetBoolean(), a2.GetProperty("countedCertified").GetBoolean()));
        Assert.Equal(Hash3, a2.GetProperty("envelopeSha256").GetString());
        Assert.Equal(["parties:P01=301", "parties:P02=191", "candidates:P01-C01=121"], Votes(a2));

        var b = stations[1];
        Assert.Equal("Migjeni school", b.GetProperty("pollingCentre").GetString());
        var b1 = Assert.Single(b.GetProperty("revisions").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, b1.GetProperty("signedAt").ValueKind);
        Assert.Equal("2025-12-28T20:40:07.009Z", b1.GetProperty("receivedAt").GetString());
        Assert.Equal(["parties:P01=100", "parties:P02=145", "candidates:P01-C01=0"], Votes(b1));
    }

    [Fact]
    public async Task WriteAsync_NamesInAnyScript_WrittenAsTextNotEscapes()
    {
        var json = await WriteTextAsync(Night(), ExportKind.Stations, ExportFormat.Json);

        Assert.Contains("\"pollingCentre\": \"Shkolla \\\"Naim Frashëri\\\", Prishtinë\"", json, StringComparison.Ordinal);
        Assert.StartsWith("{\n  \"electionId\": \"xk-export-1\",\n", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_NoStationReported_EmptyArray()
    {
        var night = Night();

        using var document = JsonDocument.Parse(await WriteAsync(night with { Stations = [] }, ExportKind.Stations, ExportFormat.Json));

        Assert.Equal(0, document.RootElement.GetProperty("stations").GetArrayLength());
    }

    internal static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    private static string[] Votes(JsonElement revision) =>
        revision.GetProperty("contests").EnumerateArray()
            .SelectMany(c =>
            {
                Assert.Equal(["contestId", "choices"], Names(c));
                return c.GetProperty("choices").EnumerateArray().Select(ch =>
                {
                    Assert.Equal(["choiceId", "votes"], Names(ch));
                    return $"{c.GetProperty("contestId").GetString()}:{ch.GetProperty("choiceId").GetString()}={ch.GetProperty("votes").GetInt64()}";
                });
            })
            .ToArray();
}
