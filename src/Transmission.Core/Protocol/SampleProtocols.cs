using Transmission.Core.Election;

namespace Transmission.Core.Protocol;

/// <summary>
/// Realistic, fully valid result protocols for demos, tests and benchmarks: deterministic from the seed and the
/// station code, with counts that add up (turnout 35–65 %, 0.5–3 % invalid, party votes that sum to the valid
/// ballots, preference votes within the limits).
/// </summary>
public static class SampleProtocols
{
    /// <summary>
    /// A revision-1 protocol for <paramref name="stationCode"/> that passes <see cref="ProtocolValidator"/> with no
    /// violation; signed "at" a time inside the night window, without attachments.
    /// </summary>
    /// <exception cref="ArgumentException">The station is not in the definition (a bug in the caller).</exception>
    public static ResultProtocol Create(ElectionDefinition definition, string stationCode, long seed)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(stationCode);
        if (!definition.TryGetStation(stationCode, out var station))
        {
            throw new ArgumentException($"Station '{stationCode}' is not in election {definition.ElectionId}.", nameof(stationCode));
        }

        // Party popularity depends on the seed only (the same parties lead everywhere); the rest varies per station.
        var electionRandom = new SeededRandom(seed);
        var random = new SeededRandom(unchecked(seed ^ (long)StableHash(stationCode)));

        var registered = station.RegisteredVoters;
        var used = (long)(registered * (0.35 + (0.30 * random.NextDouble())));
        var invalid = (long)(used * (0.005 + (0.025 * random.NextDouble())));
        var valid = used - invalid;
        var spoiled = random.Next(0L, 6L);
        var received = registered + spoiled + random.Next(0L, 11L);
        var unused = received - used - spoiled;
        var ballots = new BallotCounts(registered, received, used, unused, spoiled, invalid, valid);

        var partyVotes = new Dictionary<string, long>(StringComparer.Ordinal);
        var contests = new List<ContestResult>(definition.Contests.Count);
        foreach (var contest in definition.Contests)
        {
            if (contest.Kind == ContestKind.SingleChoice)
            {
                var weights = contest.Choices.Select(_ =>
                {
                    // Stations differ from each other by ±20 % around the election-wide popularity, as neighbouring
                    // polling stations do; wider noise would make every station look like an outlier.
                    var popularity = electionRandom.NextDouble();
                    return popularity * popularity * (0.8 + (0.4 * random.NextDouble()));
                }).ToArray();
                var votes = Split(valid, weights);
                var choices = new ChoiceVotes[contest.Choices.Count];
                for (var i = 0; i < choices.Length; i++)
                {
                    choices[i] = new ChoiceVotes(contest.Choices[i].Id, votes[i]);
                    partyVotes.TryAdd(contest.Choices[i].Id, votes[i]);
                }

                contests.Add(new ContestResult(contest.Id, choices));
            }
            else
            {
                contests.Add(new ContestResult(contest.Id, PreferenceVotes(contest, valid, partyVotes, electionRandom, random)));
            }
        }

        return new ResultProtocol
        {
            ElectionId = definition.ElectionId,
            DefinitionSha256 = definition.Sha256.ToArray(),
            Mode = definition.Mode,
            StationCode = station.Code,
            Revision = 1,
            SignedAt = definition.NightWindow.OpensAt + TimeSpan.FromMinutes(random.Next(5, 180)),
            Ballots = ballots,
            Contests = contests,
        };
    }

    // A voter of party P marks on average about k/2 of P's n candidates (k = min(maxPreferences, n)), so each candidate
    // stays below P's votes and the contest below valid × maxPreferences; candidates without a known party draw on
    // all valid ballots.
    private static ChoiceVotes[] PreferenceVotes(Contest contest, long valid, Dictionary<string, long> partyVotes, SeededRandom electionRandom, SeededRandom random)
    {
        var groups = contest.Choices
            .Select((choice, index) => (choice, index))
            .GroupBy(c => c.choice.Party is { } party && partyVotes.ContainsKey(party) ? c.choice.Party : null)
            .ToArray();
        var votes = new long[contest.Choices.Count];
        foreach (var group in groups)
        {
            var baseVotes = group.Key is null ? valid : partyVotes[group.Key];
            var n = group.Count();
            var k = Math.Min(contest.MaxPreferences, n);
            foreach (var (_, index) in group)
            {
                // A candidate's popularity is election-wide (from the seed); the station adds ±20 %. The product stays
                // below 1, so each candidate stays below its party's votes × k / n.
                var popularity = 0.1 + (0.7 * electionRandom.NextDouble());
                votes[index] = (long)(baseVotes * popularity * (0.8 + (0.4 * random.NextDouble())) * k / n);
            }
        }

        // Mixing party-less and party candidates could exceed the contest limit in theory: trim the largest.
        var limit = valid * contest.MaxPreferences;
        var excess = votes.Sum() - limit;
        while (excess > 0)
        {
            var largest = Array.IndexOf(votes, votes.Max());
            var cut = Math.Min(excess, votes[largest]);
            votes[largest] -= cut;
            excess -= cut;
        }

        return contest.Choices.Select((choice, i) => new ChoiceVotes(choice.Id, votes[i])).ToArray();
    }

    // Splits total over the weights exactly (largest remainder).
    private static long[] Split(long total, double[] weights)
    {
        var sum = weights.Sum();
        var result = new long[weights.Length];
        if (total == 0 || weights.Length == 0)
        {
            return result;
        }

        var shares = weights.Select(w => sum > 0 ? total * (w / sum) : (double)total / weights.Length).ToArray();
        long assigned = 0;
        for (var i = 0; i < shares.Length; i++)
        {
            result[i] = (long)Math.Floor(shares[i]);
            assigned += result[i];
        }

        var order = Enumerable.Range(0, shares.Length).OrderByDescending(i => shares[i] - Math.Floor(shares[i])).ThenBy(i => i).ToArray();
        for (var j = 0; assigned < total; j = (j + 1) % order.Length)
        {
            result[order[j]]++;
            assigned++;
        }

        return result;
    }

    // FNV-1a over the UTF-16 code units: stable across processes, unlike string.GetHashCode.
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return hash;
    }
}
