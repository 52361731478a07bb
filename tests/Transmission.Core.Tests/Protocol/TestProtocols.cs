using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Tests.Election;

namespace Transmission.Core.Tests.Protocol;

internal static class TestProtocols
{
    /// <summary>A clean protocol of station 01-0001-01 (812 registered) of <see cref="TestDefinitions"/>.</summary>
    public static ResultProtocol Valid(ElectionDefinition definition) => new()
    {
        ElectionId = "ks-test-1",
        DefinitionSha256 = definition.Sha256.ToArray(),
        Mode = ElectionMode.Test,
        StationCode = "01-0001-01",
        Revision = 1,
        SignedAt = new DateTimeOffset(2025, 12, 28, 20, 15, 0, TimeSpan.FromHours(1)),
        // 600 + 225 + 5 = 830 received; 588 + 12 = 600 used.
        Ballots = new BallotCounts(RegisteredVoters: 812, Received: 830, Used: 600, Unused: 225, Spoiled: 5, Invalid: 12, Valid: 588),
        Contests =
        [
            new ContestResult("parties", [new("P01", 300), new("P02", 200), new("P03", 88)]),
            new ContestResult("candidates", [new("P01-C01", 250), new("P01-C02", 100), new("P02-C01", 150), new("P03-C01", 40)]),
        ],
        Attachments = [AttachmentDigest.Of("protocol-page-1.jpg", "image/jpeg", "not really a jpeg"u8)],
    };

    public static ResultProtocol WithContest(this ResultProtocol protocol, string contestId, params ChoiceVotes[] choices) =>
        protocol with { Contests = protocol.Contests.Select(c => c.ContestId == contestId ? new ContestResult(contestId, choices) : c).ToArray() };
}
