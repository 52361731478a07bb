using System.Runtime.InteropServices;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using static Transmission.Core.Anomalies.AnomalyText;

namespace Transmission.Core.Anomalies;

/// <summary>
/// The anomaly flags that compare each station with the other stations of its municipality: a turnout, or a choice's
/// share of its contest's votes, far from what is typical there. "Far" is a robust z-score (median and median
/// absolute deviation, see <see cref="AnomalyOptions.OutlierThreshold"/>), so a few odd stations do not drag the
/// "typical" value and the spread along with them and so hide each other, as they would with a mean and standard deviation.
/// </summary>
/// <remarks>
/// <para>
/// Compared values: turnout = ballots used ÷ the registry's registered voters (stations the registry lists with 0
/// voters are left out); share = a choice's votes ÷ the sum of its contest's choice votes in the protocol (a station
/// whose contest has no votes is left out of that contest). A comparison with fewer stations than
/// <see cref="AnomalyOptions.MinimumPeers"/> raises nothing, nor does one where every value is equal.
/// </para>
/// <para>
/// Numbers: <c>TURNOUT_OUTLIER</c> turnout, median, mad, z, peers, threshold, used, registered;
/// <c>CHOICE_SHARE_OUTLIER</c> share, median, mad, z, peers, threshold, votes, contestVotes. Both add
/// meanAbsoluteDeviation when the MAD was 0 and the score used it instead.
/// </para>
/// <para>
/// Cost: two sorts per compared value set (the turnouts, then each choice's shares), O(n log n) each; 20,000 stations
/// and a 135-choice ballot took about 1.5 s in a Release build on a busy 2-core machine, almost all of it sorting.
/// </para>
/// </remarks>
public static class MunicipalityOutliers
{
    /// <summary>
    /// The outlier flags of every station in <paramref name="latest"/>, by station code (ordinal): an empty list for a
    /// station that does not stand out, so a caller can replace what it stored before. Each list has
    /// <c>TURNOUT_OUTLIER</c> first, then <c>CHOICE_SHARE_OUTLIER</c> in the definition's contest and ballot order.
    /// </summary>
    /// <param name="definition">The election definition (contests, choices and their names).</param>
    /// <param name="options">Valid options (<see cref="AnomalyOptions.Validate"/> returns <see langword="null"/>).</param>
    /// <param name="latest">
    /// The latest protocol of each reported station of one municipality, each station once, with its registry entry.
    /// </param>
    public static IReadOnlyDictionary<string, IReadOnlyList<AnomalyFlag>> Assess(
        ElectionDefinition definition,
        AnomalyOptions options,
        IReadOnlyList<(StationEntry Station, ResultProtocol Protocol)> latest)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(latest);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        CheckOneMunicipality(latest);
        var flags = new List<AnomalyFlag>?[latest.Count];
        AddTurnoutOutliers(options, latest, flags);
        foreach (var contest in definition.Contests)
        {
            AddShareOutliers(options, contest, latest, flags);
        }

        var result = new Dictionary<string, IReadOnlyList<AnomalyFlag>>(latest.Count, StringComparer.Ordinal);
        for (var i = 0; i < latest.Count; i++)
        {
            result.Add(latest[i].Station.Code, (IReadOnlyList<AnomalyFlag>?)flags[i] ?? []);
        }

        return result;
    }

    private static void CheckOneMunicipality(IReadOnlyList<(StationEntry Station, ResultProtocol Protocol)> latest)
    {
        var seen = new HashSet<string>(latest.Count, StringComparer.Ordinal);
        var first = latest.Count == 0 ? null : latest[0].Station;
        foreach (var (station, protocol) in latest)
        {
            ArgumentNullException.ThrowIfNull(station, nameof(latest));
            ArgumentNullException.ThrowIfNull(protocol, nameof(latest));
            ArgumentNullException.ThrowIfNull(protocol.Ballots, nameof(latest));
            ArgumentNullException.ThrowIfNull(protocol.Contests, nameof(latest));
            if (!string.Equals(station.MunicipalityCode, first!.MunicipalityCode, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"The protocols must all be of one municipality: station '{station.Code}' is in municipality '{station.MunicipalityCode}', station '{first.Code}' in '{first.MunicipalityCode}'.",
                    nameof(latest));
            }

            if (!seen.Add(station.Code))
            {
                throw new ArgumentException($"Station '{station.Code}' is listed more than once; give only its latest protocol.", nameof(latest));
            }

            if (!string.Equals(protocol.StationCode, station.Code, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The protocol given for station '{station.Code}' is of station '{protocol.StationCode}'.", nameof(latest));
            }
        }
    }

    private static void AddTurnoutOutliers(
        AnomalyOptions options,
        IReadOnlyList<(StationEntry Station, ResultProtocol Protocol)> latest,
        List<AnomalyFlag>?[] flags)
    {
        var stations = new List<int>(latest.Count);
        var turnouts = new List<double>(latest.Count);
        for (var i = 0; i < latest.Count; i++)
        {
            var registered = latest[i].Station.RegisteredVoters;
            if (registered > 0)
            {
                stations.Add(i);
                turnouts.Add((double)latest[i].Protocol.Ballots.Used / registered);
            }
        }

        if (turnouts.Count < options.MinimumPeers)
        {
            return;
        }

        var spread = RobustSpread.Of(CollectionsMarshal.AsSpan(turnouts));
        for (var k = 0; k < turnouts.Count; k++)
        {
            var z = spread.Score(turnouts[k]);
            if (Math.Abs(z) > options.OutlierThreshold && Math.Abs(turnouts[k] - spread.Median) >= options.MinimumDifference)
            {
                var (station, protocol) = latest[stations[k]];
                var numbers = Numbers(
                    ("turnout", turnouts[k]),
                    ("median", spread.Median),
                    ("mad", spread.Mad),
                    ("z", z),
                    ("peers", spread.Count),
                    ("threshold", options.OutlierThreshold),
                    ("used", protocol.Ballots.Used),
                    ("registered", station.RegisteredVoters));
                AddFallback(spread, numbers);
                Add(flags, stations[k], new AnomalyFlag
                {
                    Code = AnomalyCodes.TurnoutOutlier,
                    Message = $"Turnout {Percent(turnouts[k])} % is far from this municipality's typical {Percent(spread.Median)} % (robust z = {Score(z)} over {Count(spread.Count)} stations; flagged above {Plain(options.OutlierThreshold)}).",
                    Numbers = numbers,
                });
            }
        }
    }

    private static void AddShareOutliers(
        AnomalyOptions options,
        Contest contest,
        IReadOnlyList<(StationEntry Station, ResultProtocol Protocol)> latest,
        List<AnomalyFlag>?[] flags)
    {
        var choices = contest.Choices.Count;
        var position = new Dictionary<string, int>(choices, StringComparer.Ordinal);
        for (var c = 0; c < choices; c++)
        {
            position.Add(contest.Choices[c].Id, c);
        }

        // votes[c][k]: choice c at the k-th station that has votes in this contest.
        var stations = new List<int>(latest.Count);
        var totals = new List<Int128>(latest.Count);
        var votes = new List<long>[choices];
        for (var c = 0; c < choices; c++)
        {
            votes[c] = new List<long>(latest.Count);
        }

        var row = new long[choices];
        var filled = new bool[choices];
        for (var i = 0; i < latest.Count; i++)
        {
            if (ReadVotes(latest[i].Protocol, contest.Id, position, row, filled) is not { } total)
            {
                continue;
            }

            stations.Add(i);
            totals.Add(total);
            for (var c = 0; c < choices; c++)
            {
                votes[c].Add(row[c]);
            }
        }

        if (stations.Count < options.MinimumPeers)
        {
            return;
        }

        var shares = new double[stations.Count];
        var contestName = contest.Name.Get("en");
        var ofVotes = contest.Kind == ContestKind.SingleChoice ? "valid votes" : "preference votes";
        for (var c = 0; c < choices; c++)
        {
            for (var k = 0; k < shares.Length; k++)
            {
                shares[k] = votes[c][k] / (double)totals[k];
            }

            var spread = RobustSpread.Of(shares);
            if (!spread.HasScores)
            {
                continue;
            }

            var choice = contest.Choices[c];
            for (var k = 0; k < shares.Length; k++)
            {
                var z = spread.Score(shares[k]);
                if (Math.Abs(z) > options.OutlierThreshold && Math.Abs(shares[k] - spread.Median) >= options.MinimumDifference)
                {
                    var numbers = Numbers(
                        ("share", shares[k]),
                        ("median", spread.Median),
                        ("mad", spread.Mad),
                        ("z", z),
                        ("peers", spread.Count),
                        ("threshold", options.OutlierThreshold),
                        ("votes", votes[c][k]),
                        ("contestVotes", (double)totals[k]));
                    AddFallback(spread, numbers);
                    Add(flags, stations[k], new AnomalyFlag
                    {
                        Code = AnomalyCodes.ChoiceShareOutlier,
                        ContestId = contest.Id,
                        ChoiceId = choice.Id,
                        Message = $"{choice.Name.Get("en")} has {Percent(shares[k])} % of the {ofVotes} in {contestName} here; typical in this municipality is {Percent(spread.Median)} % (robust z = {Score(z)} over {Count(spread.Count)} stations).",
                        Numbers = numbers,
                    });
                }
            }
        }
    }

    /// <summary>
    /// The contest's votes per choice (ballot order) into <paramref name="row"/> and their sum, or <see langword="null"/>
    /// when the station has no votes to compare in this contest. A choice left out has 0 votes; an unknown or repeated
    /// choice or contest (already a rejection at submission) is ignored after its first entry.
    /// </summary>
    private static Int128? ReadVotes(ResultProtocol protocol, string contestId, Dictionary<string, int> position, long[] row, bool[] filled)
    {
        Array.Clear(row);
        Array.Clear(filled);
        ContestResult? result = null;
        foreach (var candidate in protocol.Contests)
        {
            if (string.Equals(candidate?.ContestId, contestId, StringComparison.Ordinal))
            {
                result = candidate;
                break;
            }
        }

        if (result?.Choices is null)
        {
            return null;
        }

        Int128 total = 0;
        foreach (var choice in result.Choices)
        {
            if (choice?.ChoiceId is null || !position.TryGetValue(choice.ChoiceId, out var c) || filled[c])
            {
                continue;
            }

            // Negative counts are rejected at submission; a share of them would mean nothing.
            if (choice.Votes < 0)
            {
                return null;
            }

            filled[c] = true;
            row[c] = choice.Votes;
            total += choice.Votes;
        }

        return total > 0 ? total : null;
    }

    private static void AddFallback(RobustSpread spread, Dictionary<string, double> numbers)
    {
        if (spread.Mad == 0)
        {
            numbers.Add("meanAbsoluteDeviation", spread.MeanAbsoluteDeviation);
        }
    }

    private static void Add(List<AnomalyFlag>?[] flags, int station, AnomalyFlag flag) => (flags[station] ??= []).Add(flag);
}
