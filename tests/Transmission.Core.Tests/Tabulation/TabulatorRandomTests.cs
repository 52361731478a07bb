using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Review;
using Transmission.Core.Tabulation;
using static Transmission.Core.Tests.Tabulation.TabulationTestData;

namespace Transmission.Core.Tests.Tabulation;

/// <summary>
/// The incremental totals against a naive recomputation from every event so far, over seeded random event
/// sequences (corrections, lower revisions late, decisions before submissions, decisions in any order).
/// </summary>
public sealed class TabulatorRandomTests
{
    private const int Events = 1000;
    private const int MaxRevision = 5;

    private static readonly ReviewState[] Decisions = [ReviewState.Accepted, ReviewState.Rejected, ReviewState.RecountRequested];

    private static readonly ElectionDefinition Definition = ElectionDefinition.Parse(ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions
    {
        Seed = 7,
        Stations = 50,
        Municipalities = 6,
        Parties = 4,
        CandidatesPerParty = 2,
        MaxPreferences = 2,
    })).Definition!;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Apply_RandomEvents_TotalsEqualNaiveRecomputation(int seed)
    {
        var random = new Random(seed);
        var tabulator = new Tabulator(Definition);
        var submissions = new Dictionary<(string Station, int Revision), SubmissionAccepted>();
        var decisions = new Dictionary<(string Station, int Revision), ReviewState>();

        for (var i = 1; i <= Events; i++)
        {
            var station = Definition.Stations[random.Next(Definition.Stations.Count)].Code;
            var revision = random.Next(1, MaxRevision + 1);
            if (random.Next(100) < 55 && !submissions.ContainsKey((station, revision)))
            {
                var submission = RandomSubmission(random, station, revision);
                tabulator.Apply(submission);
                submissions.Add((station, revision), submission);
            }
            else
            {
                var state = Decisions[random.Next(Decisions.Length)];
                tabulator.Apply(new DecisionRecorded(station, revision, state));
                decisions[(station, revision)] = state;
            }

            if (i % 25 == 0 || i == Events)
            {
                var snapshot = tabulator.Snapshot();
                Assert.Equal(Naive(submissions, decisions), Flatten(snapshot));
                AssertMunicipalitiesAddUp(snapshot.Provisional);
                AssertMunicipalitiesAddUp(snapshot.Certified);
            }
        }

        // The sequence exercised what it is meant to.
        Assert.Contains(submissions.Keys, k => k.Revision > 1);
        Assert.True(tabulator.Snapshot().Certified.Overall.StationsReported > 0);
    }

    private static SubmissionAccepted RandomSubmission(Random random, string station, int revision)
    {
        var contests = Definition.Contests
            .Select(c => new ContestResult(
                c.Id,
                c.Choices.Where(_ => random.Next(10) > 0).Select(ch => new ChoiceVotes(ch.Id, random.Next(0, 10_000))).ToArray()))
            .ToArray();
        var used = random.Next(0, 5_000);
        var protocol = new ResultProtocol
        {
            ElectionId = Definition.ElectionId,
            DefinitionSha256 = Definition.Sha256.ToArray(),
            Mode = Definition.Mode,
            StationCode = station,
            Revision = revision,
            Ballots = new BallotCounts(0, used, used, 0, 0, 0, used),
            Contests = contests,
        };
        string[] flags = random.Next(4) == 0 ? [ProtocolRules.BallotsNotBalanced] : [];
        return new SubmissionAccepted(station, revision, protocol, flags);
    }

    /// <summary>Straight from design §6: provisional = highest revision received, certified = highest accepted.</summary>
    private static SortedDictionary<string, long> Naive(
        Dictionary<(string Station, int Revision), SubmissionAccepted> submissions,
        Dictionary<(string Station, int Revision), ReviewState> decisions)
    {
        var values = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["pending"] = 0, ["flagged"] = 0, ["flaggedPending"] = 0 };
        var areas = Definition.Municipalities.Select(m => m.Code).Append("*").ToArray();
        foreach (var kind in new[] { "provisional", "certified" })
        {
            foreach (var area in areas)
            {
                var prefix = $"{kind}|{area}|";
                var stations = Definition.Stations.Where(s => area == "*" || s.MunicipalityCode == area).ToArray();
                values[prefix + "used"] = 0;
                values[prefix + "stationsReported"] = 0;
                values[prefix + "registeredReported"] = 0;
                values[prefix + "stationsRegistered"] = stations.Length;
                values[prefix + "registeredAll"] = stations.Sum(s => s.RegisteredVoters);
                foreach (var contest in Definition.Contests)
                {
                    foreach (var choice in contest.Choices)
                    {
                        values[$"{prefix}{contest.Id}|{choice.Id}"] = 0;
                    }
                }
            }
        }

        foreach (var station in Definition.Stations)
        {
            var received = submissions.Keys.Where(k => k.Station == station.Code).Select(k => k.Revision).ToArray();
            if (received.Length == 0)
            {
                continue;
            }

            var latest = received.Max();
            var latestState = decisions.GetValueOrDefault((station.Code, latest), ReviewState.Pending);
            var latestFlagged = submissions[(station.Code, latest)].Flags.Count > 0;
            values["pending"] += latestState == ReviewState.Pending ? 1 : 0;
            values["flagged"] += latestFlagged ? 1 : 0;
            values["flaggedPending"] += latestFlagged && latestState == ReviewState.Pending ? 1 : 0;
            Add("provisional", station, submissions[(station.Code, latest)]);

            var accepted = received.Where(r => decisions.GetValueOrDefault((station.Code, r)) == ReviewState.Accepted).ToArray();
            if (accepted.Length > 0)
            {
                Add("certified", station, submissions[(station.Code, accepted.Max())]);
            }
        }

        return values;

        void Add(string kind, StationEntry station, SubmissionAccepted submission)
        {
            foreach (var area in new[] { "*", station.MunicipalityCode })
            {
                var prefix = $"{kind}|{area}|";
                values[prefix + "used"] += submission.Protocol.Ballots.Used;
                values[prefix + "stationsReported"] += 1;
                values[prefix + "registeredReported"] += station.RegisteredVoters;
                foreach (var contest in submission.Protocol.Contests)
                {
                    foreach (var choice in contest.Choices)
                    {
                        values[$"{prefix}{contest.ContestId}|{choice.ChoiceId}"] += choice.Votes;
                    }
                }
            }
        }
    }

    private static void AssertMunicipalitiesAddUp(TallySet set)
    {
        var overall = FlattenArea(set.Overall);
        var sum = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var municipality in set.Municipalities)
        {
            foreach (var (key, value) in FlattenArea(municipality))
            {
                sum[key] = sum.GetValueOrDefault(key) + value;
            }
        }

        Assert.Equal(overall, sum);
    }

    private static SortedDictionary<string, long> FlattenArea(AreaTally area)
    {
        var values = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["used"] = area.BallotsUsed,
            ["stationsReported"] = area.StationsReported,
            ["stationsRegistered"] = area.StationsRegistered,
            ["registeredReported"] = area.RegisteredVotersReported,
            ["registeredAll"] = area.RegisteredVotersAll,
        };
        foreach (var contest in area.Contests)
        {
            foreach (var choice in contest.Choices)
            {
                values[$"{contest.ContestId}|{choice.ChoiceId}"] = choice.Votes;
            }
        }

        return values;
    }
}
