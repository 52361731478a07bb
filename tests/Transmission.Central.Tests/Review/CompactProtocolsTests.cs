using Google.Protobuf;
using Transmission.Central.Review;
using Transmission.Contracts.Mapping;
using Transmission.Core.Election;
using Transmission.Core.Protocol;

namespace Transmission.Central.Tests.Review;

public sealed class CompactProtocolsTests
{
    private static readonly ElectionDefinition Definition =
        ElectionDefinition.Parse(ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions { Stations = 3, Municipalities = 1 })).Definition!;

    [Fact]
    public void Compact_DecodedProtocol_SameBytesHoldingTheDefinitionsStrings()
    {
        var station = Definition.Stations[1].Code;
        var payload = SampleProtocols.Create(Definition, station, seed: 5).ToContract().Value!.ToByteArray();
        var decoded = Contracts.V1.ResultProtocol.Parser.ParseFrom(payload).ToDomain().Value!;

        var compact = new CompactProtocols(Definition).Compact(decoded, Definition.Stations[1].Code);

        Assert.Equal(payload, compact.ToContract().Value!.ToByteArray());
        Assert.Same(Definition.ElectionId, compact.ElectionId);
        Assert.Same(Definition.Stations[1].Code, compact.StationCode);
        Assert.NotEmpty(compact.Contests);
        foreach (var contest in compact.Contests)
        {
            var defined = Definition.Contests.Single(c => c.Id == contest.ContestId);
            Assert.Same(defined.Id, contest.ContestId);
            Assert.NotEmpty(contest.Choices);
            foreach (var choice in contest.Choices)
            {
                Assert.True(defined.TryGetChoice(choice.ChoiceId, out var definedChoice));
                Assert.Same(definedChoice.Id, choice.ChoiceId);
            }
        }

        // The parsed protocol had strings of its own: that is what compacting saves.
        Assert.NotSame(Definition.Contests.Single(c => c.Id == decoded.Contests[0].ContestId).Id, decoded.Contests[0].ContestId);
    }

    [Fact]
    public void Compact_IdNotInTheDefinition_KeptAsItIs()
    {
        var protocol = SampleProtocols.Create(Definition, Definition.Stations[0].Code, seed: 5);
        var odd = protocol with { Contests = [new ContestResult("no-such-contest", [new ChoiceVotes("no-such-choice", 7)])] };

        var compact = new CompactProtocols(Definition).Compact(odd, "ST-OTHER");

        var contest = Assert.Single(compact.Contests);
        Assert.Equal(Definition.Stations[0].Code, compact.StationCode);
        Assert.Equal("no-such-contest", contest.ContestId);
        Assert.Equal(new ChoiceVotes("no-such-choice", 7), Assert.Single(contest.Choices));
    }
}
