using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Transmission.Core.Election;

namespace Transmission.Core.Tests.Election;

public sealed class ElectionDefinitionTests
{
    [Fact]
    public void Parse_ValidDefinition_ReadsEveryField()
    {
        var result = ElectionDefinition.Parse(TestDefinitions.Bytes);

        Assert.True(result.IsSuccess, result.ToString());
        var d = result.Definition;
        Assert.Empty(result.Errors);
        Assert.Equal("ks-test-1", d.ElectionId);
        Assert.Equal(ElectionMode.Test, d.Mode);
        Assert.Equal(5, d.UsedAllowance);
        Assert.Equal(new DateTimeOffset(2025, 12, 28, 19, 0, 0, TimeSpan.FromHours(1)), d.NightWindow.OpensAt);
        Assert.Equal(new DateTimeOffset(2025, 12, 29, 7, 0, 0, TimeSpan.FromHours(1)), d.NightWindow.ClosesAt);
        Assert.Equal(["parties", "candidates"], d.Contests.Select(c => c.Id));
        Assert.Equal(ContestKind.SingleChoice, d.Contests[0].Kind);
        Assert.Equal(1, d.Contests[0].MaxPreferences);
        Assert.Equal(ContestKind.Preference, d.Contests[1].Kind);
        Assert.Equal(2, d.Contests[1].MaxPreferences);
        Assert.Equal("P01", d.Contests[1].Choices[0].Party);
        Assert.Null(d.Contests[0].Choices[0].Party);
        Assert.Equal(2, d.Municipalities.Count);
        Assert.Equal(3, d.Stations.Count);
    }

    [Fact]
    public void Parse_ValidDefinition_Sha256IsOfTheExactBytes()
    {
        var bytes = TestDefinitions.Bytes;

        var result = ElectionDefinition.Parse(bytes);

        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(expected, result.Sha256Hex);
        Assert.Equal(expected, result.Definition!.Sha256Hex);
        Assert.Equal(SHA256.HashData(bytes), result.Definition.Sha256.ToArray());
        Assert.Matches("^[0-9a-f]{64}$", expected);
    }

    [Fact]
    public void Parse_WhitespaceChanged_SameContentDifferentHash()
    {
        var original = ElectionDefinition.Parse(TestDefinitions.Bytes);
        var reformatted = ElectionDefinition.Parse(Encoding.UTF8.GetBytes(TestDefinitions.Json.Replace("\"mode\": \"test\"", "\"mode\":  \"test\"", StringComparison.Ordinal)));

        Assert.True(reformatted.IsSuccess, reformatted.ToString());
        Assert.Equal(original.Definition!.Stations.Count, reformatted.Definition.Stations.Count);
        Assert.NotEqual(original.Sha256Hex, reformatted.Sha256Hex);
    }

    [Fact]
    public void Parse_InvalidFile_StillReportsTheHashOfItsBytes()
    {
        var bytes = "{}"u8.ToArray();

        var result = ElectionDefinition.Parse(bytes);

        Assert.False(result.IsSuccess);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), result.Sha256Hex);
    }

    [Fact]
    public void Lookups_KnownAndUnknownIds_FoundOrNot()
    {
        var d = TestDefinitions.Definition;

        Assert.True(d.TryGetStation("01-0001-02", out var station));
        Assert.Equal(640, station.RegisteredVoters);
        Assert.Equal("01", station.MunicipalityCode);
        Assert.False(d.TryGetStation("01-0001-99", out _));
        Assert.False(d.TryGetStation("01-0001-0", out _));
        Assert.True(d.TryGetContest("candidates", out var contest));
        Assert.True(contest.HasChoice("P02-C01"));
        Assert.False(contest.HasChoice("P02"));
        Assert.True(d.TryGetChoice("parties", "P03", out var choice));
        Assert.Equal("Ura", choice.Name.Default);
        Assert.False(d.TryGetChoice("parties", "P04", out _));
        Assert.False(d.TryGetChoice("nope", "P01", out _));
        Assert.True(d.TryGetMunicipality("02", out var municipality));
        Assert.Equal("Prizren", municipality.Name.Get("sq"));
        Assert.False(d.TryGetMunicipality("03", out _));
    }

    [Fact]
    public void LocalizedName_Lookup_ExactThenParentThenEnglishThenFirst()
    {
        var d = TestDefinitions.Definition;
        var name = d.Name;

        Assert.False(name.IsPlain);
        Assert.Equal(["sq", "sr-Latn", "en"], name.Texts.Select(t => t.Key));
        Assert.Equal("Probni izbori", name.Get("sr-Latn"));
        Assert.Equal("Probni izbori", name.Get("sr-Latn-RS"));
        Assert.Equal("Probni izbori", name.Get("SR-LATN"));
        Assert.Equal("Zgjedhjet provë", name.Get(CultureInfo.GetCultureInfo("sq-AL")));
        Assert.Equal("Rehearsal election", name.Get("de-DE"));
        Assert.Equal("Rehearsal election", name.Default);

        d.TryGetMunicipality("01", out var prishtina);
        Assert.Equal("Prishtinë", prishtina!.Name.Get("fr"));
        Assert.Equal("Priština", prishtina.Name.Get("sr-Latn"));
        Assert.Equal("Prishtinë", prishtina.Name.Get((string?)null));
    }

    [Fact]
    public void LocalizedName_Plain_SameTextForEveryCulture()
    {
        var d = TestDefinitions.Definition;
        d.TryGetChoice("parties", "P02", out var choice);

        Assert.True(choice!.Name.IsPlain);
        Assert.Equal("Lista e Gjelbër", choice.Name.Get("sr-Latn"));
        Assert.Equal("Lista e Gjelbër", choice.Name.Get("en"));
        Assert.Empty(choice.Name.Texts);
    }

    [Fact]
    public void Parse_PollingCentreNames_PlainOrLocalized()
    {
        var d = TestDefinitions.Definition;

        Assert.Equal("Shkolla \"Naim Frashëri\"", d.Stations[0].PollingCentre.Default);
        Assert.Same(d.Stations[0].PollingCentre, d.Stations[1].PollingCentre);
        Assert.Equal("Migjeni school", d.Stations[2].PollingCentre.Get("en"));
    }

    [Fact]
    public void Parse_UsedAllowanceAbsent_DefaultsToZero()
    {
        var result = ElectionDefinition.Parse(TestDefinitions.With(root => root.Remove("usedAllowance")));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(0, result.Definition.UsedAllowance);
    }

    public static TheoryData<string, string, string> Broken => new()
    {
        { "not-json", "JSON_MALFORMED", "$" },
        { "array-root", "JSON_MALFORMED", "$" },
        { "string-not-utf8", "JSON_MALFORMED", "$" },
        { "duplicate-property", "JSON_MALFORMED", "$" },
        { "missing-electionId", "FIELD_MISSING", "$" },
        { "unknown-field", "FIELD_UNKNOWN", "$" },
        { "name-empty", "FIELD_INVALID", "$.name" },
        { "name-number", "FIELD_INVALID", "$.name" },
        { "name-object-empty", "FIELD_INVALID", "$.name" },
        { "name-language-not-text", "FIELD_INVALID", "$.name.en" },
        { "voters-not-integer", "FIELD_INVALID", "$.stations[0].registeredVoters" },
        { "time-without-offset", "FIELD_INVALID", "$.nightWindow.opensAt" },
        { "time-not-a-date", "FIELD_INVALID", "$.nightWindow.closesAt" },
        { "electionId-unsafe", "ELECTION_ID_INVALID", "$.electionId" },
        { "mode-unknown", "MODE_INVALID", "$.mode" },
        { "window-reversed", "NIGHT_WINDOW_INVALID", "$.nightWindow" },
        { "allowance-negative", "USED_ALLOWANCE_NEGATIVE", "$.usedAllowance" },
        { "contests-empty", "CONTESTS_EMPTY", "$.contests" },
        { "contest-duplicate", "CONTEST_ID_DUPLICATE", "$.contests[1].id" },
        { "contest-kind", "CONTEST_KIND_INVALID", "$.contests[0].kind" },
        { "preference-without-max", "MAX_PREFERENCES_INVALID", "$.contests[1].maxPreferences" },
        { "preference-max-too-big", "MAX_PREFERENCES_INVALID", "$.contests[1].maxPreferences" },
        { "preference-max-zero", "MAX_PREFERENCES_INVALID", "$.contests[1].maxPreferences" },
        { "single-choice-max-2", "MAX_PREFERENCES_INVALID", "$.contests[0].maxPreferences" },
        { "choices-empty", "CHOICES_EMPTY", "$.contests[0].choices" },
        { "choice-duplicate", "CHOICE_ID_DUPLICATE", "$.contests[0].choices[1].id" },
        { "choice-party-unknown", "CHOICE_PARTY_UNKNOWN", "$.contests[1].choices[0].party" },
        { "municipalities-empty", "MUNICIPALITIES_EMPTY", "$.municipalities" },
        { "municipality-duplicate", "MUNICIPALITY_CODE_DUPLICATE", "$.municipalities[1].code" },
        { "stations-empty", "STATIONS_EMPTY", "$.stations" },
        { "station-code-slash", "STATION_CODE_INVALID", "$.stations[0].code" },
        { "station-code-dotdot", "STATION_CODE_INVALID", "$.stations[0].code" },
        { "station-code-too-long", "STATION_CODE_INVALID", "$.stations[0].code" },
        { "station-duplicate", "STATION_CODE_DUPLICATE", "$.stations[1].code" },
        { "station-duplicate-case", "STATION_CODE_DUPLICATE", "$.stations[1].code" },
        { "station-municipality-unknown", "STATION_MUNICIPALITY_UNKNOWN", "$.stations[2].municipality" },
        { "voters-negative", "REGISTERED_VOTERS_NEGATIVE", "$.stations[0].registeredVoters" },
        { "station-missing-field", "FIELD_MISSING", "$.stations[0]" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Parse_BrokenDefinition_ReportsCodeAndPath(string scenario, string code, string path)
    {
        var result = ElectionDefinition.Parse(BrokenBytes(scenario));

        Assert.False(result.IsSuccess);
        Assert.Null(result.Definition);
        Assert.Contains(result.Errors, e => e.ReasonCode == code && e.Path == path);
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsThemAll()
    {
        var bytes = TestDefinitions.With(root =>
        {
            root["mode"] = "rehearsal";
            root["stations"]![0]!["registeredVoters"] = -1;
            root["stations"]![1]!["code"] = "bad code";
            root["contests"]![0]!["kind"] = "ranked";
        });

        var result = ElectionDefinition.Parse(bytes);

        Assert.Equal(
            ["MODE_INVALID", "CONTEST_KIND_INVALID", "REGISTERED_VOTERS_NEGATIVE", "STATION_CODE_INVALID"],
            result.Errors.Select(e => e.ReasonCode));
    }

    [Fact]
    public void Parse_ManyBrokenStations_ErrorListCutWithTooManyErrors()
    {
        var bytes = TestDefinitions.With(root =>
        {
            var stations = new JsonArray();
            for (var i = 0; i < ElectionDefinition.MaxErrors + 10; i++)
            {
                stations.Add(new JsonObject { ["code"] = $"S-{i}", ["pollingCentre"] = "x", ["municipality"] = "01", ["registeredVoters"] = -1 });
            }

            root["stations"] = stations;
        });

        var result = ElectionDefinition.Parse(bytes);

        Assert.Equal(ElectionDefinition.MaxErrors + 1, result.Errors.Count);
        Assert.Equal("TOO_MANY_ERRORS", result.Errors[^1].ReasonCode);
    }

    [Fact]
    public void Parse_ErrorMessage_EchoedInputIsBoundedAndPrintable()
    {
        var bytes = TestDefinitions.With(root => root["stations"]![0]!["code"] = new string('x', 300) + "\n\u0007");

        var result = ElectionDefinition.Parse(bytes);

        var error = Assert.Single(result.Errors);
        Assert.Equal("STATION_CODE_INVALID", error.ReasonCode);
        Assert.True(error.Message.Length < 300, error.Message);
        Assert.DoesNotContain(error.Message, char.IsControl);
    }

    private static byte[] BrokenBytes(string scenario) => scenario switch
    {
        "not-json" => "{ \"electionId\": "u8.ToArray(),
        "array-root" => "[]"u8.ToArray(),
        // A byte that is not UTF-8 inside a string: JsonDocument.Parse accepts it and only GetString throws.
        "string-not-utf8" => Encoding.UTF8.GetBytes(TestDefinitions.Json).Select(b => b == (byte)'Z' ? (byte)0xB2 : b).ToArray(),
        "duplicate-property" => Encoding.UTF8.GetBytes(TestDefinitions.Json.Replace("\"mode\": \"test\",", "\"mode\": \"test\", \"mode\": \"live\",", StringComparison.Ordinal)),
        "missing-electionId" => TestDefinitions.With(r => r.Remove("electionId")),
        "unknown-field" => TestDefinitions.With(r => r["usedAllowence"] = 3),
        "name-empty" => TestDefinitions.With(r => r["name"] = " "),
        "name-number" => TestDefinitions.With(r => r["name"] = 7),
        "name-object-empty" => TestDefinitions.With(r => r["name"] = new JsonObject()),
        "name-language-not-text" => TestDefinitions.With(r => r["name"] = new JsonObject { ["en"] = 1 }),
        "voters-not-integer" => TestDefinitions.With(r => r["stations"]![0]!["registeredVoters"] = 1.5),
        "time-without-offset" => TestDefinitions.With(r => r["nightWindow"]!["opensAt"] = "2025-12-28T19:00:00"),
        "time-not-a-date" => TestDefinitions.With(r => r["nightWindow"]!["closesAt"] = "tomorrow"),
        "electionId-unsafe" => TestDefinitions.With(r => r["electionId"] = "../etc"),
        "mode-unknown" => TestDefinitions.With(r => r["mode"] = "Live"),
        "window-reversed" => TestDefinitions.With(r => r["nightWindow"]!["closesAt"] = "2025-12-28T18:00:00+01:00"),
        "allowance-negative" => TestDefinitions.With(r => r["usedAllowance"] = -1),
        "contests-empty" => TestDefinitions.With(r => r["contests"] = new JsonArray()),
        "contest-duplicate" => TestDefinitions.With(r => r["contests"]![1]!["id"] = "parties"),
        "contest-kind" => TestDefinitions.With(r => r["contests"]![0]!["kind"] = "ranked"),
        "preference-without-max" => TestDefinitions.With(r => r["contests"]![1]!.AsObject().Remove("maxPreferences")),
        "preference-max-too-big" => TestDefinitions.With(r => r["contests"]![1]!["maxPreferences"] = 5),
        "preference-max-zero" => TestDefinitions.With(r => r["contests"]![1]!["maxPreferences"] = 0),
        "single-choice-max-2" => TestDefinitions.With(r => r["contests"]![0]!["maxPreferences"] = 2),
        "choices-empty" => TestDefinitions.With(r => r["contests"]![0]!["choices"] = new JsonArray()),
        "choice-duplicate" => TestDefinitions.With(r => r["contests"]![0]!["choices"]![1]!["id"] = "P01"),
        "choice-party-unknown" => TestDefinitions.With(r => r["contests"]![1]!["choices"]![0]!["party"] = "P09"),
        "municipalities-empty" => TestDefinitions.With(r => r["municipalities"] = new JsonArray()),
        "municipality-duplicate" => TestDefinitions.With(r => r["municipalities"]![1]!["code"] = "01"),
        "stations-empty" => TestDefinitions.With(r => r["stations"] = new JsonArray()),
        "station-code-slash" => TestDefinitions.With(r => r["stations"]![0]!["code"] = "01/0001"),
        "station-code-dotdot" => TestDefinitions.With(r => r["stations"]![0]!["code"] = ".."),
        "station-code-too-long" => TestDefinitions.With(r => r["stations"]![0]!["code"] = new string('A', 65)),
        "station-duplicate" => TestDefinitions.With(r => r["stations"]![1]!["code"] = "01-0001-01"),
        "station-duplicate-case" => TestDefinitions.With(r =>
        {
            r["stations"]![0]!["code"] = "ks-01";
            r["stations"]![1]!["code"] = "KS-01";
        }),
        "station-municipality-unknown" => TestDefinitions.With(r => r["stations"]![2]!["municipality"] = "03"),
        "voters-negative" => TestDefinitions.With(r => r["stations"]![0]!["registeredVoters"] = -1),
        "station-missing-field" => TestDefinitions.With(r => r["stations"]![0]!.AsObject().Remove("pollingCentre")),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
    };
}
