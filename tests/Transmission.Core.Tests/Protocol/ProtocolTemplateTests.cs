using System.Text;
using System.Text.Json.Nodes;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Tests.Election;

namespace Transmission.Core.Tests.Protocol;

public sealed class ProtocolTemplateTests
{
    private readonly ElectionDefinition _definition = TestDefinitions.Definition;

    [Fact]
    public void Create_Station_ListsEveryContestAndChoiceWithZero()
    {
        var root = JsonNode.Parse(ProtocolTemplate.Create(_definition, "01-0001-01"))!.AsObject();

        Assert.Equal("ks-test-1", (string?)root["electionId"]);
        Assert.Equal(_definition.Sha256Hex, (string?)root["definitionSha256"]);
        Assert.Equal("test", (string?)root["mode"]);
        Assert.Equal("01-0001-01", (string?)root["stationCode"]);
        Assert.Equal(1, (int)root["revision"]!);
        Assert.Equal(812, (long)root["ballots"]!["registeredVoters"]!);
        Assert.Equal(0, (long)root["ballots"]!["valid"]!);
        var contests = root["contests"]!.AsArray();
        Assert.Equal(["parties", "candidates"], contests.Select(c => (string?)c!["id"]));
        Assert.Equal(["P01", "P02", "P03"], contests[0]!["choices"]!.AsArray().Select(c => (string?)c!["id"]));
        Assert.All(contests.SelectMany(c => c!["choices"]!.AsArray()), c => Assert.Equal(0, (long)c!["votes"]!));
        Assert.Equal("Civic Alliance", (string?)contests[0]!["choices"]![0]!["name"]);
    }

    [Fact]
    public void Create_Culture_NamesInThatLanguage()
    {
        var root = JsonNode.Parse(ProtocolTemplate.Create(_definition, "01-0001-01", "sq"))!;

        Assert.Equal("Aleanca Qytetare", (string?)root["contests"]![0]!["choices"]![0]!["name"]);
    }

    [Fact]
    public void Parse_EmptyTemplate_CleanUnsignedDraft()
    {
        var result = ProtocolTemplate.Parse(ProtocolTemplate.Create(_definition, "01-0001-01"), _definition);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Null(result.Draft.SignedAt);
        Assert.Empty(result.Draft.Attachments);
        var report = ProtocolValidator.Validate(result.Draft, _definition);
        Assert.False(report.HasRejections, report.ToString());
        Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public void Fill_ThenParse_RoundTripsTheProtocol()
    {
        var expected = TestProtocols.Valid(_definition);
        var root = JsonNode.Parse(ProtocolTemplate.Fill(ProtocolTemplate.Create(_definition, "01-0001-01"), expected))!.AsObject();
        root["explanation"] = "All good.";

        var result = ProtocolTemplate.Parse(Encoding.UTF8.GetBytes(root.ToJsonString()), _definition);

        Assert.True(result.IsSuccess, result.ToString());
        var draft = result.Draft;
        Assert.Equal(expected.ElectionId, draft.ElectionId);
        Assert.Equal(expected.DefinitionSha256.ToArray(), draft.DefinitionSha256.ToArray());
        Assert.Equal(expected.Mode, draft.Mode);
        Assert.Equal(expected.StationCode, draft.StationCode);
        Assert.Equal(expected.Revision, draft.Revision);
        Assert.Equal(expected.Ballots, draft.Ballots);
        Assert.Equal(
            expected.Contests.Select(c => (c.ContestId, string.Join(",", c.Choices.Select(v => $"{v.ChoiceId}={v.Votes}")))),
            draft.Contests.Select(c => (c.ContestId, string.Join(",", c.Choices.Select(v => $"{v.ChoiceId}={v.Votes}")))));
        Assert.Equal("All good.", draft.Explanation);
        Assert.True(ProtocolValidator.Validate(draft with { Attachments = expected.Attachments }, _definition).IsClean);
    }

    [Theory]
    [InlineData("\"12\"", "NOT_A_NUMBER", "Valid ballots is \"12\"; write a whole number without quotes, for example 0 or 812.")]
    [InlineData("12.5", "NOT_A_NUMBER", "Valid ballots is 12.5; write a whole number, for example 0 or 812.")]
    [InlineData("1e3", "NOT_A_NUMBER", "Valid ballots is 1e3; write a whole number, for example 0 or 812.")]
    [InlineData("null", "NOT_A_NUMBER", "Valid ballots is null; write a whole number, for example 0 or 812.")]
    [InlineData("-3", "COUNT_NEGATIVE", "Valid ballots is -3; a count cannot be negative.")]
    [InlineData("-99999999999999999999", "COUNT_NEGATIVE", "Valid ballots is -99999999999999999999; a count cannot be negative.")]
    [InlineData("99999999999999999999", "COUNT_TOO_LARGE", "Valid ballots is 99999999999999999999, which is too large to be a count.")]
    [InlineData("1000000000001", "COUNT_TOO_LARGE", "Valid ballots is 1000000000001, which is too large to be a count.")]
    [InlineData("9223372036854775807", "COUNT_TOO_LARGE", "Valid ballots is 9223372036854775807, which is too large to be a count.")]
    public void Parse_BadBallotCount_ReadableError(string value, string code, string message)
    {
        var json = Encoding.UTF8.GetString(ProtocolTemplate.Create(_definition, "01-0001-01"))
            .Replace("\"valid\": 0", $"\"valid\": {value}", StringComparison.Ordinal);

        var result = ProtocolTemplate.Parse(Encoding.UTF8.GetBytes(json), _definition);

        Assert.False(result.IsSuccess);
        var error = Assert.Single(result.Errors);
        Assert.Equal(code, error.ReasonCode);
        Assert.Equal("$.ballots.valid", error.Path);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_NegativeVotes_CountNegativeWithChoice()
    {
        var root = Template();
        root["contests"]![1]!["choices"]![2]!["votes"] = -7;

        var error = Assert.Single(Parse(root).Errors);

        Assert.Equal("COUNT_NEGATIVE", error.ReasonCode);
        Assert.Equal("$.contests[1].choices[2].votes", error.Path);
        Assert.Equal("Votes for 'P02-C01' is -7; a count cannot be negative.", error.Message);
    }

    [Fact]
    public void Parse_UnknownIds_ContestUnknownAndChoiceUnknown()
    {
        var root = Template();
        root["contests"]![0]!["choices"]![1]!["id"] = "P77";
        root["contests"]!.AsArray().Add(new JsonObject { ["id"] = "mayor", ["choices"] = new JsonArray() });

        var errors = Parse(root).Errors;

        Assert.Equal(["CHOICE_UNKNOWN", "CONTEST_UNKNOWN"], errors.Select(e => e.ReasonCode));
        Assert.Equal("$.contests[0].choices[1].id", errors[0].Path);
        Assert.Equal("Choice 'P77' is not on the ballot of contest 'parties'.", errors[0].Message);
        Assert.Equal("$.contests[2].id", errors[1].Path);
    }

    [Theory]
    [InlineData("missing-ballots", "FIELD_MISSING", "$")]
    [InlineData("missing-count", "FIELD_MISSING", "$.ballots")]
    [InlineData("unknown-field", "FIELD_UNKNOWN", "$.ballots")]
    [InlineData("bad-sha", "FIELD_INVALID", "$.definitionSha256")]
    [InlineData("bad-mode", "FIELD_INVALID", "$.mode")]
    [InlineData("revision-text", "NOT_A_NUMBER", "$.revision")]
    [InlineData("revision-huge", "COUNT_TOO_LARGE", "$.revision")]
    [InlineData("not-json", "JSON_MALFORMED", "$")]
    [InlineData("duplicate-key", "JSON_MALFORMED", "$")]
    public void Parse_StructuralProblem_ReportsCodeAndPath(string scenario, string code, string path)
    {
        var root = Template();
        byte[]? bytes = null;
        switch (scenario)
        {
            case "missing-ballots": root.Remove("ballots"); break;
            case "missing-count": root["ballots"]!.AsObject().Remove("spoiled"); break;
            case "unknown-field": root["ballots"]!["extra"] = 1; break;
            case "bad-sha": root["definitionSha256"] = "abc"; break;
            case "bad-mode": root["mode"] = "Live"; break;
            case "revision-text": root["revision"] = "2"; break;
            case "revision-huge": root["revision"] = 3_000_000_000L; break;
            case "not-json": bytes = "{ \"ballots\": "u8.ToArray(); break;
            default: bytes = Encoding.UTF8.GetBytes("{\"revision\": 1, \"revision\": 2}"); break;
        }

        var result = ProtocolTemplate.Parse(bytes ?? Encoding.UTF8.GetBytes(root.ToJsonString()), _definition);

        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.ReasonCode == code && e.Path == path);
    }

    [Fact]
    public void Parse_BindingWrong_LeftToValidator()
    {
        var root = Template();
        root["stationCode"] = "02-0001-01";
        root["electionId"] = "ks-other";

        var result = Parse(root);

        Assert.True(result.IsSuccess, result.ToString());
        var codes = ProtocolValidator.Validate(result.Draft, _definition).Codes;
        Assert.Contains(ProtocolRules.ElectionMismatch, codes);
        Assert.Contains(ProtocolRules.RegisteredMismatch, codes);
    }

    private JsonObject Template() => JsonNode.Parse(ProtocolTemplate.Create(_definition, "01-0001-01"))!.AsObject();

    private ProtocolTemplateParseResult Parse(JsonObject root) => ProtocolTemplate.Parse(Encoding.UTF8.GetBytes(root.ToJsonString()), _definition);
}
