using Transmission.Core.Election;
using Transmission.Core.Review;

namespace Transmission.Core.Tabulation;

/// <summary>
/// Incremental totals (design §6 "Totals"). Each event costs O(contests × choices): the affected station's old
/// contribution is subtracted and its new one added; stored protocols are never read again.
/// </summary>
/// <remarks>
/// <para>Supersession rules, per station (design §6: "a later revision supersedes an earlier one for tabulation
/// once accepted"):</para>
/// <list type="bullet">
/// <item><b>Provisional</b> counts the station's highest received revision, whatever its review state: provisional
/// totals are "all verified submissions, latest revision", and what the station last said is the best
/// provisional figure.</item>
/// <item><b>Certified</b> counts the station's highest <em>accepted</em> revision. A later revision supersedes an
/// earlier accepted one only once it is itself accepted; a later revision that is pending, rejected or sent back for
/// recount does not remove the earlier accepted one, because nobody has vouched for the correction and the
/// accepted figures are still the last ones a verifier stood behind.</item>
/// </list>
/// <para>Both are functions of the set of stored revisions and their latest decisions, not of the order the events
/// arrive in: a decision may arrive before its submission (it is kept and applied when the submission comes), a
/// lower revision may arrive after a higher one, and decisions on different revisions may come in any order.</para>
/// <para>Arithmetic is checked: a total that would pass <see cref="long.MaxValue"/> throws
/// <see cref="OverflowException"/> and leaves the tabulator exactly as it was before the event.</para>
/// <para>Not thread-safe: one writer applies the log in order; readers take <see cref="Snapshot"/>s.</para>
/// </remarks>
public sealed class Tabulator
{
    private readonly ElectionDefinition _definition;
    private readonly Dictionary<string, int>[] _choiceIndexByContest;
    private readonly Dictionary<string, int> _contestIndexById;
    private readonly int[] _contestOffsets;
    private readonly int _choiceCount;
    private readonly string[] _municipalityCodes;
    private readonly Dictionary<string, int> _municipalityIndexByCode;
    private readonly long[] _stationsRegisteredByMunicipality;
    private readonly long[] _registeredVotersByMunicipality;
    private readonly Dictionary<string, StationTally> _stations = new(StringComparer.Ordinal);
    private readonly Totals _provisional;
    private readonly Totals _certified;
    private long _pending;
    private long _flagged;
    private long _flaggedPending;

    /// <summary>Empty totals for the election <paramref name="definition"/>.</summary>
    public Tabulator(ElectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _definition = definition;
        _contestIndexById = new Dictionary<string, int>(StringComparer.Ordinal);
        _choiceIndexByContest = new Dictionary<string, int>[definition.Contests.Count];
        _contestOffsets = new int[definition.Contests.Count];
        var offset = 0;
        for (var c = 0; c < definition.Contests.Count; c++)
        {
            var contest = definition.Contests[c];
            _contestIndexById.Add(contest.Id, c);
            _contestOffsets[c] = offset;
            _choiceIndexByContest[c] = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var choice in contest.Choices)
            {
                _choiceIndexByContest[c].Add(choice.Id, offset++);
            }
        }

        _choiceCount = offset;
        _municipalityCodes = definition.Municipalities.Select(m => m.Code).Order(StringComparer.Ordinal).ToArray();
        _municipalityIndexByCode = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var m = 0; m < _municipalityCodes.Length; m++)
        {
            _municipalityIndexByCode.Add(_municipalityCodes[m], m);
        }

        _stationsRegisteredByMunicipality = new long[_municipalityCodes.Length];
        _registeredVotersByMunicipality = new long[_municipalityCodes.Length];
        foreach (var station in definition.Stations)
        {
            var m = _municipalityIndexByCode[station.MunicipalityCode];
            _stationsRegisteredByMunicipality[m] = checked(_stationsRegisteredByMunicipality[m] + 1);
            _registeredVotersByMunicipality[m] = checked(_registeredVotersByMunicipality[m] + station.RegisteredVoters);
        }

        _provisional = new Totals(_municipalityCodes.Length, VectorLength);
        _certified = new Totals(_municipalityCodes.Length, VectorLength);
    }

    // A station's contribution: the votes of every choice (contests in ballot order), then ballots used, then 1
    // (one station reported), then the registry's registered voters. Everything is summed the same checked way.
    private int BallotsUsedIndex => _choiceCount;

    private int StationsIndex => _choiceCount + 1;

    private int RegisteredIndex => _choiceCount + 2;

    private int VectorLength => _choiceCount + 3;

    /// <summary>
    /// Counts a stored submission. Throws for an unknown station, a protocol of another station or revision, an
    /// unknown contest or choice, a negative count, or a revision already applied: Central validated and
    /// de-duplicated the submission before storing it, so each of these is a bug, not bad input.
    /// </summary>
    /// <exception cref="OverflowException">A total would pass <see cref="long.MaxValue"/>; nothing changed.</exception>
    public void Apply(SubmissionAccepted submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(submission.Protocol);
        ArgumentNullException.ThrowIfNull(submission.Flags);
        ArgumentOutOfRangeException.ThrowIfLessThan(submission.Revision, 1);
        if (!string.Equals(submission.Protocol.StationCode, submission.StationCode, StringComparison.Ordinal)
            || submission.Protocol.Revision != submission.Revision)
        {
            throw new ArgumentException("The protocol's station and revision are not the submission's.", nameof(submission));
        }

        var station = GetStation(submission.StationCode);
        station.ThrowIfForgotten(submission.StationCode, submission.Revision);
        if (station.Revisions.TryGetValue(submission.Revision, out var existing) && existing.Contribution is not null)
        {
            throw new InvalidOperationException($"Revision {submission.Revision} of station {submission.StationCode} was already counted.");
        }

        var contribution = ContributionOf(submission, station);
        var revision = existing ?? new RevisionTally();
        Change(station, () =>
        {
            revision.Contribution = contribution;
            revision.Flagged = submission.Flags.Count > 0;
            station.Revisions[submission.Revision] = revision;
        });
    }

    /// <summary>
    /// Records a review decision. A decision for a revision not counted yet is kept until the submission arrives.
    /// A second decision for the same revision replaces the first (the state machine never allows one; the
    /// tabulator simply follows the log).
    /// </summary>
    /// <exception cref="OverflowException">A total would pass <see cref="long.MaxValue"/>; nothing changed.</exception>
    public void Apply(DecisionRecorded decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentOutOfRangeException.ThrowIfLessThan(decision.Revision, 1);
        if (!Enum.IsDefined(decision.State))
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision.State, "Unknown review state.");
        }

        var station = GetStation(decision.StationCode);
        station.ThrowIfForgotten(decision.StationCode, decision.Revision);
        Change(station, () =>
        {
            if (!station.Revisions.TryGetValue(decision.Revision, out var revision))
            {
                revision = new RevisionTally();
                station.Revisions.Add(decision.Revision, revision);
            }

            revision.State = decision.State;
        });
    }

    /// <summary>
    /// Lets go of what the tabulator holds for station <paramref name="stationCode"/>'s revisions below
    /// <paramref name="revision"/> that count in neither total, so memory grows with stations, not with corrections.
    /// The station's highest revision and its highest accepted one stay, so the totals do not change.
    /// </summary>
    /// <remarks>
    /// The caller promises that no event for a revision below <paramref name="revision"/> follows. Central's log keeps
    /// that promise once <paramref name="revision"/> is stored: its store refuses a decision on a revision once a later
    /// one is stored (SUPERSEDED) and a revision lower than one already stored (stale). An event that breaks it throws
    /// <see cref="InvalidOperationException"/> and changes nothing, because counting it would need what was let go.
    /// </remarks>
    /// <exception cref="ArgumentException">The station is not in the definition.</exception>
    public void Forget(string stationCode, int revision)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(revision, 1);
        var station = GetStation(stationCode);
        station.Forget(revision);
    }

    /// <summary>How many revisions the tabulator holds over all stations (each costs one vector of contests × choices).</summary>
    public long RevisionsKept => _stations.Values.Sum(s => (long)s.Revisions.Count);

    /// <summary>The current totals. Costs O(municipalities × contests × choices); does not change the tabulator.</summary>
    public TabulationSnapshot Snapshot() => new(
        TallySetOf(_provisional),
        TallySetOf(_certified),
        _pending,
        _flagged,
        _flaggedPending);

    private StationTally GetStation(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (_stations.TryGetValue(code, out var station))
        {
            return station;
        }

        if (!_definition.TryGetStation(code, out var entry))
        {
            throw new ArgumentException($"Station {code} is not in the election definition.", nameof(code));
        }

        station = new StationTally(_municipalityIndexByCode[entry.MunicipalityCode], entry.RegisteredVoters);
        _stations.Add(code, station);
        return station;
    }

    private long[] ContributionOf(SubmissionAccepted submission, StationTally station)
    {
        var vector = new long[VectorLength];
        foreach (var contest in submission.Protocol.Contests)
        {
            if (!_contestIndexById.TryGetValue(contest.ContestId, out var c))
            {
                throw new ArgumentException($"Contest {contest.ContestId} is not in the election definition.", nameof(submission));
            }

            foreach (var choice in contest.Choices)
            {
                if (!_choiceIndexByContest[c].TryGetValue(choice.ChoiceId, out var i))
                {
                    throw new ArgumentException($"Choice {choice.ChoiceId} is not in contest {contest.ContestId}.", nameof(submission));
                }

                ArgumentOutOfRangeException.ThrowIfNegative(choice.Votes, nameof(submission));
                vector[i] = checked(vector[i] + choice.Votes);
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegative(submission.Protocol.Ballots.Used, nameof(submission));
        vector[BallotsUsedIndex] = submission.Protocol.Ballots.Used;
        vector[StationsIndex] = 1;
        vector[RegisteredIndex] = station.RegisteredVoters;
        return vector;
    }

    /// <summary>
    /// Applies <paramref name="mutate"/> to a station and moves the totals from its old to its new contribution.
    /// All new totals are computed before any is stored, and the station is restored if that throws, so an
    /// overflow leaves everything as it was.
    /// </summary>
    private void Change(StationTally station, Action mutate)
    {
        var before = station.Capture();
        mutate();
        var after = station.Capture();
        try
        {
            _provisional.Stage(station.Municipality, before.Provisional, after.Provisional);
            _certified.Stage(station.Municipality, before.Certified, after.Certified);
        }
        catch
        {
            station.Restore(before);
            throw;
        }

        _provisional.Commit(station.Municipality);
        _certified.Commit(station.Municipality);
        _pending += after.Pending - before.Pending;
        _flagged += after.Flagged - before.Flagged;
        _flaggedPending += after.FlaggedPending - before.FlaggedPending;
    }

    private TallySet TallySetOf(Totals totals)
    {
        var overall = AreaOf(null, totals.Overall, _stationsRegisteredByMunicipality.Sum(), _registeredVotersByMunicipality.Sum());
        var municipalities = new AreaTally[_municipalityCodes.Length];
        for (var m = 0; m < municipalities.Length; m++)
        {
            municipalities[m] = AreaOf(_municipalityCodes[m], totals.ByMunicipality[m], _stationsRegisteredByMunicipality[m], _registeredVotersByMunicipality[m]);
        }

        return new TallySet(overall, municipalities);
    }

    private AreaTally AreaOf(string? municipalityCode, long[] vector, long stationsRegistered, long registeredVoters)
    {
        var contests = new ContestTally[_definition.Contests.Count];
        for (var c = 0; c < contests.Length; c++)
        {
            var contest = _definition.Contests[c];
            var choices = new ChoiceTally[contest.Choices.Count];
            for (var k = 0; k < choices.Length; k++)
            {
                choices[k] = new ChoiceTally(contest.Choices[k].Id, vector[_contestOffsets[c] + k]);
            }

            contests[c] = new ContestTally(contest.Id, choices);
        }

        return new AreaTally(
            municipalityCode,
            contests,
            vector[BallotsUsedIndex],
            vector[StationsIndex],
            stationsRegistered,
            vector[RegisteredIndex],
            registeredVoters);
    }

    private sealed class RevisionTally
    {
        public long[]? Contribution { get; set; }

        public bool Flagged { get; set; }

        public ReviewState State { get; set; } = ReviewState.Pending;
    }

    private readonly record struct StationView(
        Dictionary<int, (long[]? Contribution, bool Flagged, ReviewState State)> Saved,
        long[]? Provisional,
        long[]? Certified,
        long Pending,
        long Flagged,
        long FlaggedPending);

    private sealed class StationTally(int municipality, long registeredVoters)
    {
        public int Municipality { get; } = municipality;

        public long RegisteredVoters { get; } = registeredVoters;

        public Dictionary<int, RevisionTally> Revisions { get; } = [];

        /// <summary>No event may come for a revision below this (see <see cref="Tabulator.Forget"/>); 0 while none was forgotten.</summary>
        public int ForgottenBelow { get; private set; }

        public void ThrowIfForgotten(string code, int revision)
        {
            if (revision < ForgottenBelow)
            {
                throw new InvalidOperationException(
                    $"Revision {revision} of station {code} is below revision {ForgottenBelow}, which the tabulator was told no event would come for; it cannot be counted.");
            }
        }

        /// <summary>Drops every revision below <paramref name="revision"/> except the counted ones (highest, highest accepted).</summary>
        public void Forget(int revision)
        {
            ForgottenBelow = Math.Max(ForgottenBelow, revision);
            var latest = 0;
            var accepted = 0;
            foreach (var (number, tally) in Revisions)
            {
                if (tally.Contribution is null)
                {
                    continue;
                }

                latest = Math.Max(latest, number);
                if (tally.State == ReviewState.Accepted)
                {
                    accepted = Math.Max(accepted, number);
                }
            }

            foreach (var number in Revisions.Keys.Where(n => n < ForgottenBelow && n != latest && n != accepted).ToArray())
            {
                Revisions.Remove(number);
            }
        }

        // Stations have a handful of revisions, so scanning them is O(1) against the O(choices) of the totals.
        public StationView Capture()
        {
            RevisionTally? latest = null;
            var latestNumber = 0;
            RevisionTally? accepted = null;
            var acceptedNumber = 0;
            var saved = new Dictionary<int, (long[]?, bool, ReviewState)>(Revisions.Count);
            foreach (var (number, revision) in Revisions)
            {
                saved.Add(number, (revision.Contribution, revision.Flagged, revision.State));
                if (revision.Contribution is null)
                {
                    continue;
                }

                if (number > latestNumber)
                {
                    (latest, latestNumber) = (revision, number);
                }

                if (revision.State == ReviewState.Accepted && number > acceptedNumber)
                {
                    (accepted, acceptedNumber) = (revision, number);
                }
            }

            var pending = latest is { State: ReviewState.Pending } ? 1 : 0;
            var flagged = latest is { Flagged: true } ? 1 : 0;
            return new StationView(saved, latest?.Contribution, accepted?.Contribution, pending, flagged, pending & flagged);
        }

        public void Restore(StationView view)
        {
            Revisions.Clear();
            foreach (var (number, (contribution, flagged, state)) in view.Saved)
            {
                Revisions.Add(number, new RevisionTally { Contribution = contribution, Flagged = flagged, State = state });
            }
        }
    }

    /// <summary>Sums of station contributions overall and per municipality, with staging for all-or-nothing updates.</summary>
    private sealed class Totals
    {
        private readonly long[] _stagedOverall;
        private readonly long[] _stagedMunicipal;

        public Totals(int municipalities, int length)
        {
            Overall = new long[length];
            ByMunicipality = new long[municipalities][];
            for (var m = 0; m < municipalities; m++)
            {
                ByMunicipality[m] = new long[length];
            }

            _stagedOverall = new long[length];
            _stagedMunicipal = new long[length];
        }

        public long[] Overall { get; }

        public long[][] ByMunicipality { get; }

        public void Stage(int municipality, long[]? old, long[]? @new)
        {
            var area = ByMunicipality[municipality];
            for (var i = 0; i < Overall.Length; i++)
            {
                var delta = checked((@new is null ? 0 : @new[i]) - (old is null ? 0 : old[i]));
                _stagedOverall[i] = checked(Overall[i] + delta);
                _stagedMunicipal[i] = checked(area[i] + delta);
            }
        }

        public void Commit(int municipality)
        {
            _stagedOverall.CopyTo(Overall, 0);
            _stagedMunicipal.CopyTo(ByMunicipality[municipality], 0);
        }
    }
}
