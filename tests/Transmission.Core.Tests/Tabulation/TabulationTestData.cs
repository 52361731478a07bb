using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Tabulation;

namespace Transmission.Core.Tests.Tabulation;

internal static class TabulationTestData
{
    /// <summary>A protocol for <paramref name="station"/> of the <see cref="Election.TestDefinitions"/> shape with the given party votes.</summary>
    public static ResultProtocol Protocol(ElectionDefinition definition, string station, int revision, long used, long p01, long p02 = 0, long p03 = 0) =>
        new()
        {
            ElectionId = definition.ElectionId,
            DefinitionSha256 = definition.Sha256.ToArray(),
            Mode = definition.Mode,
            StationCode = station,
            Revision = revision,
            CorrectionReason = revision > 1 ? "recounted" : string.Empty,
            Ballots = new BallotCounts(0, used, used, 0, 0, 0, used),
            Contests =
            [
                new ContestResult("parties", [new("P01", p01), new("P02", p02), new("P03", p03)]),
                new ContestResult("candidates", [new("P01-C01", p01)]),
            ],
        };

    public static SubmissionAccepted Submission(ElectionDefinition definition, string station, int revision, long used, long p01, long p02 = 0, long p03 = 0, params string[] flags) =>
        new(station, revision, Protocol(definition, station, revision, used, p01, p02, p03), flags);

    /// <summary>Every number of a snapshot under a readable key, so two snapshots compare with one assertion.</summary>
    public static SortedDictionary<string, long> Flatten(TabulationSnapshot snapshot)
    {
        var values = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["pending"] = snapshot.PendingSubmissions,
            ["flagged"] = snapshot.FlaggedSubmissions,
            ["flaggedPending"] = snapshot.FlaggedPendingSubmissions,
        };
        Add("provisional", snapshot.Provisional);
        Add("certified", snapshot.Certified);
        return values;

        void Add(string kind, TallySet set)
        {
            foreach (var area in set.Municipalities.Prepend(set.Overall))
            {
                var prefix = $"{kind}|{area.MunicipalityCode ?? "*"}|";
                values[prefix + "used"] = area.BallotsUsed;
                values[prefix + "stationsReported"] = area.StationsReported;
                values[prefix + "stationsRegistered"] = area.StationsRegistered;
                values[prefix + "registeredReported"] = area.RegisteredVotersReported;
                values[prefix + "registeredAll"] = area.RegisteredVotersAll;
                foreach (var contest in area.Contests)
                {
                    foreach (var choice in contest.Choices)
                    {
                        values[$"{prefix}{contest.ContestId}|{choice.ChoiceId}"] = choice.Votes;
                    }
                }
            }
        }
    }
}
