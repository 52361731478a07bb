using Transmission.Core.Election;
using Transmission.Core.Protocol;

namespace Transmission.Central.Exports;

/// <summary>
/// The definition's contests and choices in ballot order, flattened: choice <c>k</c> of contest <c>c</c> is at
/// <see cref="Offset"/>(c) + k. Maps a protocol's votes onto that order, whatever order the protocol lists them in.
/// </summary>
/// <remarks>Not thread-safe (reuses scratch arrays); one per export.</remarks>
internal sealed class BallotLayout
{
    private readonly int[] _offsets;
    private readonly Dictionary<string, int> _contestIndexById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>[] _choiceIndexByContest;
    private readonly bool[] _contestSeen;
    private readonly bool[] _choiceSeen;

    public BallotLayout(ElectionDefinition definition)
    {
        Contests = definition.Contests;
        _offsets = new int[Contests.Count];
        _choiceIndexByContest = new Dictionary<string, int>[Contests.Count];
        var offset = 0;
        for (var c = 0; c < Contests.Count; c++)
        {
            _contestIndexById.Add(Contests[c].Id, c);
            _offsets[c] = offset;
            _choiceIndexByContest[c] = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var k = 0; k < Contests[c].Choices.Count; k++)
            {
                _choiceIndexByContest[c].Add(Contests[c].Choices[k].Id, k);
            }

            offset += Contests[c].Choices.Count;
        }

        ChoiceCount = offset;
        _contestSeen = new bool[Contests.Count];
        _choiceSeen = new bool[ChoiceCount];
    }

    /// <summary>The contests in ballot order, each with its choices in ballot order.</summary>
    public IReadOnlyList<Contest> Contests { get; }

    /// <summary>The number of choices of all contests together.</summary>
    public int ChoiceCount { get; }

    /// <summary>Where contest <paramref name="contest"/>'s first choice is in the flat order.</summary>
    public int Offset(int contest) => _offsets[contest];

    /// <summary>
    /// Fills <paramref name="votes"/> (length <see cref="ChoiceCount"/>) with the protocol's votes in ballot order; a
    /// choice the protocol leaves out has 0 votes (<see cref="ContestResult"/>). A stored protocol passed the Reject
    /// rules, so an unknown, repeated or missing contest, an unknown or repeated choice or negative votes are a bug:
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public void VotesOf(ResultProtocol protocol, long[] votes)
    {
        Array.Clear(votes);
        Array.Clear(_contestSeen);
        Array.Clear(_choiceSeen);
        foreach (var contest in protocol.Contests)
        {
            if (!_contestIndexById.TryGetValue(contest.ContestId, out var c) || _contestSeen[c])
            {
                throw Inconsistent(protocol, $"contest '{contest.ContestId}' is unknown or appears twice");
            }

            _contestSeen[c] = true;
            foreach (var choice in contest.Choices)
            {
                if (!_choiceIndexByContest[c].TryGetValue(choice.ChoiceId, out var k) || _choiceSeen[_offsets[c] + k])
                {
                    throw Inconsistent(protocol, $"choice '{choice.ChoiceId}' of contest '{contest.ContestId}' is unknown or appears twice");
                }

                if (choice.Votes < 0)
                {
                    throw Inconsistent(protocol, $"choice '{choice.ChoiceId}' of contest '{contest.ContestId}' has negative votes");
                }

                _choiceSeen[_offsets[c] + k] = true;
                votes[_offsets[c] + k] = choice.Votes;
            }
        }

        var missing = Array.IndexOf(_contestSeen, false);
        if (missing >= 0)
        {
            throw Inconsistent(protocol, $"contest '{Contests[missing].Id}' is missing");
        }
    }

    private static ArgumentException Inconsistent(ResultProtocol protocol, string problem) =>
        new($"Revision {protocol.Revision} of station {protocol.StationCode} does not fit the election definition: {problem}.", nameof(protocol));
}
