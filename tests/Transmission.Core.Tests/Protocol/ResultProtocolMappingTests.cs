using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.Mapping;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Tests.Election;
using V1 = Transmission.Contracts.V1;

namespace Transmission.Core.Tests.Protocol;

public sealed class ResultProtocolMappingTests
{
    private readonly ElectionDefinition _definition = TestDefinitions.Definition;

    [Fact]
    public void RoundTrip_DomainToContractToDomain_SameProtocolAndSameBytes()
    {
        var original = TestProtocols.Valid(_definition) with { Revision = 3, CorrectionReason = "recount", Explanation = "note" };

        var message = original.ToContract();
        Assert.True(message.IsSuccess, message.ToString());
        var bytes = message.Value.ToByteArray();
        var back = V1.ResultProtocol.Parser.ParseFrom(bytes).ToDomain();

        Assert.True(back.IsSuccess, back.ToString());
        var p = back.Value;
        Assert.Equal(original.ElectionId, p.ElectionId);
        Assert.Equal(original.DefinitionSha256.ToArray(), p.DefinitionSha256.ToArray());
        Assert.Equal(original.Mode, p.Mode);
        Assert.Equal(original.StationCode, p.StationCode);
        Assert.Equal(3, p.Revision);
        Assert.Equal("recount", p.CorrectionReason);
        Assert.Equal(original.SignedAt, p.SignedAt);
        Assert.Equal(original.Ballots, p.Ballots);
        Assert.Equal(original.Contests.SelectMany(c => c.Choices), p.Contests.SelectMany(c => c.Choices));
        Assert.Equal(original.Contests.Select(c => c.ContestId), p.Contests.Select(c => c.ContestId));
        var attachment = Assert.Single(p.Attachments);
        Assert.Equal(original.Attachments[0].Name, attachment.Name);
        Assert.Equal(original.Attachments[0].MediaType, attachment.MediaType);
        Assert.Equal(original.Attachments[0].Size, attachment.Size);
        Assert.Equal(original.Attachments[0].Sha256.ToArray(), attachment.Sha256.ToArray());
        Assert.Equal("note", p.Explanation);
        Assert.True(ProtocolValidator.Validate(p with { Revision = 1, CorrectionReason = "" }, _definition).IsClean);
        Assert.Equal(bytes, p.ToContract().Value!.ToByteArray());
    }

    [Fact]
    public void ToContract_Fields_MappedToProtobuf()
    {
        var message = TestProtocols.Valid(_definition).ToContract().Value!;

        Assert.Equal(V1.ElectionMode.Test, message.Mode);
        Assert.Equal(1u, message.Revision);
        Assert.Equal(588ul, message.Ballots.Valid);
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 12, 28, 19, 15, 0, TimeSpan.Zero)), message.SignedAt);
        Assert.Equal(_definition.Sha256.ToArray(), message.DefinitionSha256.ToByteArray());
    }

    [Fact]
    public void ToContract_UnsignedDraft_NoTimestamp()
    {
        var message = (TestProtocols.Valid(_definition) with { SignedAt = null }).ToContract().Value!;

        Assert.Null(message.SignedAt);
        Assert.Null(message.ToDomain().Value!.SignedAt);
    }

    [Fact]
    public void ToDomain_CountAboveLongMax_CountTooLarge()
    {
        var message = TestProtocols.Valid(_definition).ToContract().Value!;
        message.Ballots.Used = (ulong)long.MaxValue + 1;

        var result = message.ToDomain();

        Assert.False(result.IsSuccess);
        Assert.Equal("COUNT_TOO_LARGE", result.ReasonCode);
        Assert.Equal("ballots.used", result.Field);
        Assert.Contains("9223372036854775808", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDomain_CountExactlyMaxCount_Accepted()
    {
        var message = TestProtocols.Valid(_definition).ToContract().Value!;
        message.Ballots.Used = (ulong)ResultProtocol.MaxCount;

        Assert.Equal(ResultProtocol.MaxCount, message.ToDomain().Value!.Ballots.Used);
    }

    [Theory]
    [InlineData(1_000_000_000_001UL)]
    [InlineData((ulong)long.MaxValue)]
    public void ToDomain_CountAboveMaxCount_CountTooLarge(ulong votes)
    {
        // A single count near long.MaxValue would make the election's checked totals overflow for every station after it.
        var message = TestProtocols.Valid(_definition).ToContract().Value!;
        message.Contests[0].Choices[0].Votes = votes;

        var result = message.ToDomain();

        Assert.Equal(("COUNT_TOO_LARGE", "contests[0].choices[0].votes"), (result.ReasonCode, result.Field));
        Assert.Contains("above the largest count accepted (1000000000000)", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDomain_VotesOrSizeAboveLongMax_CountTooLarge()
    {
        var votes = TestProtocols.Valid(_definition).ToContract().Value!;
        votes.Contests[1].Choices[2].Votes = ulong.MaxValue;
        var size = TestProtocols.Valid(_definition).ToContract().Value!;
        size.Attachments[0].Size = ulong.MaxValue;

        Assert.Equal("contests[1].choices[2].votes", votes.ToDomain().Field);
        Assert.Equal("COUNT_TOO_LARGE", votes.ToDomain().ReasonCode);
        Assert.Equal("attachments[0].size", size.ToDomain().Field);
    }

    [Fact]
    public void ToDomain_RevisionAboveIntMax_RevisionOutOfRange()
    {
        var message = TestProtocols.Valid(_definition).ToContract().Value!;
        message.Revision = uint.MaxValue;

        Assert.Equal("REVISION_OUT_OF_RANGE", message.ToDomain().ReasonCode);
    }

    [Fact]
    public void ToDomain_UnknownMode_ModeUnknown()
    {
        var message = TestProtocols.Valid(_definition).ToContract().Value!;
        message.Mode = (V1.ElectionMode)7;

        Assert.Equal("MODE_UNKNOWN", message.ToDomain().ReasonCode);
    }

    [Fact]
    public void ToDomain_UnspecifiedMode_MappedForTheValidatorToReject()
    {
        var message = TestProtocols.Valid(_definition).ToContract().Value!;
        message.Mode = V1.ElectionMode.Unspecified;

        var protocol = message.ToDomain().Value!;

        Assert.Equal(ElectionMode.Unspecified, protocol.Mode);
        Assert.Equal([ProtocolRules.ModeMismatch], ProtocolValidator.Validate(protocol, _definition).Codes);
    }

    [Theory]
    [InlineData(253_402_300_800L, 0)]
    [InlineData(-62_135_596_801L, 0)]
    [InlineData(0L, -1)]
    [InlineData(0L, 1_000_000_000)]
    public void ToDomain_TimestampOutOfRange_TimestampInvalid(long seconds, int nanos)
    {
        var message = TestProtocols.Valid(_definition).ToContract().Value!;
        message.SignedAt = new Timestamp { Seconds = seconds, Nanos = nanos };

        var result = message.ToDomain();

        Assert.Equal("TIMESTAMP_INVALID", result.ReasonCode);
        Assert.Equal("signed_at", result.Field);
    }

    [Fact]
    public void ToDomain_MissingBallots_ZerosThatTheValidatorFlags()
    {
        var message = TestProtocols.Valid(_definition).ToContract().Value!;
        message.Ballots = null;

        var protocol = message.ToDomain().Value!;

        Assert.Equal(BallotCounts.Zero, protocol.Ballots);
        Assert.True(ProtocolValidator.Validate(protocol, _definition).HasFlags);
    }

    [Fact]
    public void ToContract_NegativeCount_CountNegative()
    {
        var protocol = TestProtocols.Valid(_definition);

        var result = (protocol with { Ballots = protocol.Ballots with { Spoiled = -1 } }).ToContract();

        Assert.Equal("COUNT_NEGATIVE", result.ReasonCode);
        Assert.Equal("ballots.spoiled", result.Field);
    }

    [Fact]
    public void ToContract_NegativeRevision_RevisionOutOfRange()
    {
        Assert.Equal("REVISION_OUT_OF_RANGE", (TestProtocols.Valid(_definition) with { Revision = -1 }).ToContract().ReasonCode);
    }

    [Fact]
    public void RoundTrip_GeneratedSample_ByteIdentical()
    {
        var definition = ElectionDefinition.Parse(ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions { Stations = 20 })).Definition!;
        var sample = SampleProtocols.Create(definition, definition.Stations[5].Code, 9);

        var bytes = sample.ToContract().Value!.ToByteArray();
        var again = V1.ResultProtocol.Parser.ParseFrom(bytes).ToDomain().Value!.ToContract().Value!.ToByteArray();

        Assert.Equal(bytes, again);
    }
}
