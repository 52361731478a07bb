using System.Text.Json.Serialization;

namespace Transmission.Audit.Verification;

// The published exports as documented in docs/exports.md ("totals.json", "stations.json"), for strict reading.
// Parsed from the documented JSON, never from Central's code, so a change on either side shows up here.

internal sealed record TotalsFile
{
    [JsonPropertyName("electionId")]
    public required string ElectionId { get; init; }

    [JsonPropertyName("definitionSha256")]
    public required string DefinitionSha256 { get; init; }

    [JsonPropertyName("mode")]
    public required string Mode { get; init; }

    [JsonPropertyName("logSize")]
    public required long LogSize { get; init; }

    [JsonPropertyName("areas")]
    public required IReadOnlyList<TotalsArea> Areas { get; init; }
}

internal sealed record TotalsArea
{
    [JsonPropertyName("area")]
    public required string Area { get; init; }

    [JsonPropertyName("municipalityCode")]
    public required string? MunicipalityCode { get; init; }

    [JsonPropertyName("stationsRegistered")]
    public required long StationsRegistered { get; init; }

    [JsonPropertyName("stationsReportedProvisional")]
    public required long StationsReportedProvisional { get; init; }

    [JsonPropertyName("stationsReportedCertified")]
    public required long StationsReportedCertified { get; init; }

    [JsonPropertyName("registeredVoters")]
    public required long RegisteredVoters { get; init; }

    [JsonPropertyName("ballotsUsedProvisional")]
    public required long BallotsUsedProvisional { get; init; }

    [JsonPropertyName("ballotsUsedCertified")]
    public required long BallotsUsedCertified { get; init; }

    [JsonPropertyName("contests")]
    public required IReadOnlyList<TotalsContest> Contests { get; init; }
}

internal sealed record TotalsContest
{
    [JsonPropertyName("contestId")]
    public required string ContestId { get; init; }

    [JsonPropertyName("choices")]
    public required IReadOnlyList<TotalsChoice> Choices { get; init; }
}

internal sealed record TotalsChoice
{
    [JsonPropertyName("choiceId")]
    public required string ChoiceId { get; init; }

    [JsonPropertyName("votesProvisional")]
    public required long VotesProvisional { get; init; }

    [JsonPropertyName("votesCertified")]
    public required long VotesCertified { get; init; }
}

internal sealed record StationsFile
{
    [JsonPropertyName("electionId")]
    public required string ElectionId { get; init; }

    [JsonPropertyName("definitionSha256")]
    public required string DefinitionSha256 { get; init; }

    [JsonPropertyName("mode")]
    public required string Mode { get; init; }

    [JsonPropertyName("logSize")]
    public required long LogSize { get; init; }

    [JsonPropertyName("stations")]
    public required IReadOnlyList<PublishedStation> Stations { get; init; }
}

internal sealed record PublishedStation
{
    [JsonPropertyName("stationCode")]
    public required string StationCode { get; init; }

    [JsonPropertyName("municipalityCode")]
    public required string MunicipalityCode { get; init; }

    [JsonPropertyName("pollingCentre")]
    public required string PollingCentre { get; init; }

    [JsonPropertyName("revisions")]
    public required IReadOnlyList<PublishedRevision> Revisions { get; init; }
}

internal sealed record PublishedRevision
{
    [JsonPropertyName("revision")]
    public required int Revision { get; init; }

    [JsonPropertyName("reviewState")]
    public required string ReviewState { get; init; }

    [JsonPropertyName("countedProvisional")]
    public required bool CountedProvisional { get; init; }

    [JsonPropertyName("countedCertified")]
    public required bool CountedCertified { get; init; }

    [JsonPropertyName("envelopeSha256")]
    public required string EnvelopeSha256 { get; init; }

    [JsonPropertyName("logIndex")]
    public required long LogIndex { get; init; }

    [JsonPropertyName("receivedAt")]
    public required string ReceivedAt { get; init; }

    [JsonPropertyName("signedAt")]
    public required string? SignedAt { get; init; }

    [JsonPropertyName("ballots")]
    public required PublishedBallots Ballots { get; init; }

    [JsonPropertyName("contests")]
    public required IReadOnlyList<PublishedContest> Contests { get; init; }
}

internal sealed record PublishedBallots
{
    [JsonPropertyName("registeredVoters")]
    public required long RegisteredVoters { get; init; }

    [JsonPropertyName("received")]
    public required long Received { get; init; }

    [JsonPropertyName("used")]
    public required long Used { get; init; }

    [JsonPropertyName("unused")]
    public required long Unused { get; init; }

    [JsonPropertyName("spoiled")]
    public required long Spoiled { get; init; }

    [JsonPropertyName("invalid")]
    public required long Invalid { get; init; }

    [JsonPropertyName("valid")]
    public required long Valid { get; init; }
}

internal sealed record PublishedContest
{
    [JsonPropertyName("contestId")]
    public required string ContestId { get; init; }

    [JsonPropertyName("choices")]
    public required IReadOnlyList<PublishedChoice> Choices { get; init; }
}

internal sealed record PublishedChoice
{
    [JsonPropertyName("choiceId")]
    public required string ChoiceId { get; init; }

    [JsonPropertyName("votes")]
    public required long Votes { get; init; }
}
