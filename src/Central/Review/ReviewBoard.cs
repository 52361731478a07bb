using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Transmission.Central.Storage;
using Transmission.Central.Submission;
using Transmission.Contracts.Mapping;
using Transmission.Core.Anomalies;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Review;
using Transmission.Core.Tabulation;

namespace Transmission.Central.Review;

/// <summary>
/// The verifiers' read model: every station of the registry with its stored revisions, decisions and flags, and the
/// incremental totals. It follows the transparency log in index order (submissions and decisions, exactly as
/// committed), so it is a pure function of the log; it decodes each envelope once, when it first sees it, and
/// never re-reads stored protocols for totals.
/// </summary>
/// <remarks>
/// <para>Reads first call <see cref="RefreshAsync"/>, so a verifier always sees at least what was committed before
/// the request (read-your-writes for decisions). A background loop also follows the log, woken by
/// <see cref="StorageChanges"/> and by a poll for other Central instances sharing the database.</para>
/// <para>Thread-safety: one refresh at a time applies entries under a lock; readers take the same lock briefly and get
/// immutable views.</para>
/// </remarks>
public sealed partial class ReviewBoard : IAsyncDisposable
{
    private const int EntriesPerRead = 1000;

    private readonly DbContextOptions<CentralDbContext> _dbOptions;
    private readonly ElectionDefinition _definition;
    private readonly CompactProtocols _compact;
    private readonly ReviewOptions _options;
    private readonly StorageChanges _changes;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Tabulator _tabulator;
    private readonly Dictionary<string, StationState> _stations = new(StringComparer.Ordinal);
    private readonly StationState[] _ordered;
    private readonly Dictionary<string, MunicipalityState> _municipalities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string StationCode, int Revision)> _byEnvelope = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _follower;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextLogIndex;
    private long _eventsApplied;
    private Derived? _derived;

    /// <summary>Creates the board for <paramref name="election"/> and starts following the log.</summary>
    public ReviewBoard(DbContextOptions<CentralDbContext> dbOptions, CentralElection election, ReviewOptions options, StorageChanges changes, ILogger<ReviewBoard> logger)
    {
        ArgumentNullException.ThrowIfNull(dbOptions);
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _dbOptions = dbOptions;
        _definition = election.Definition;
        _compact = new CompactProtocols(_definition);
        _options = options;
        _changes = changes;
        _logger = logger;
        _tabulator = new Tabulator(_definition);
        foreach (var municipality in _definition.Municipalities)
        {
            _municipalities.Add(municipality.Code, new MunicipalityState(municipality));
        }

        foreach (var station in _definition.Stations)
        {
            _stations.Add(station.Code, new StationState(station, _municipalities[station.MunicipalityCode]));
        }

        _ordered = [.. _stations.Values.OrderBy(s => s.Entry.Code, StringComparer.Ordinal)];
        _follower = Task.Run(FollowAsync);
    }

    /// <summary>The election the board is for.</summary>
    public ElectionDefinition Definition => _definition;

    /// <summary>The options in force (anomaly thresholds).</summary>
    public ReviewOptions Options => _options;

    /// <summary>
    /// How many log entries of the kinds that can change the board (submissions and decisions) it has applied; grows
    /// with every change. Other entries (certificate revocations) are passed over without counting.
    /// </summary>
    public long EventsApplied
    {
        get
        {
            lock (_lock)
            {
                return _eventsApplied;
            }
        }
    }

    /// <summary>The number of log entries the board has read (its position in the log).</summary>
    public long LogSize
    {
        get
        {
            lock (_lock)
            {
                return _nextLogIndex;
            }
        }
    }

    /// <summary>Applies every log entry committed so far that the board has not seen yet.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            while (await ApplyNextAsync(cancellationToken))
            {
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Completes when <see cref="EventsApplied"/> grows past <paramref name="eventsApplied"/> (or at once if it has).</summary>
    public Task WaitForChangeAsync(long eventsApplied, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _eventsApplied > eventsApplied ? Task.CompletedTask : _changed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>One station with its revisions and flags, or <see langword="null"/> for a code not in the registry.</summary>
    public StationView? GetStation(string stationCode)
    {
        ArgumentNullException.ThrowIfNull(stationCode);
        lock (_lock)
        {
            return _stations.TryGetValue(stationCode, out var station) ? View(station) : null;
        }
    }

    /// <summary>The station and revision whose envelope has this SHA-256 (lowercase hex), or <see langword="null"/>.</summary>
    public (StationView Station, RevisionView Revision)? FindByEnvelope(string envelopeSha256Hex)
    {
        ArgumentNullException.ThrowIfNull(envelopeSha256Hex);
        lock (_lock)
        {
            if (!_byEnvelope.TryGetValue(envelopeSha256Hex, out var key))
            {
                return null;
            }

            var view = View(_stations[key.StationCode]);
            return (view, view.Revisions.Single(r => r.Revision == key.Revision));
        }
    }

    /// <summary>
    /// <paramref name="revision"/> of <paramref name="station"/> with its protocol and flags, given the protocol read back
    /// from storage (<see cref="StoredSubmissions"/>). A latest or certified revision has both already. A superseded
    /// one gets them back here, its flags worked out again as when it arrived: the same rules, and the anomalies with
    /// the same earlier decisions (no revision below a stored one is decided afterwards: SUPERSEDED).
    /// </summary>
    public RevisionView Complete(StationView station, RevisionView revision, ResultProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(station);
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(protocol);
        if (revision.Protocol is not null)
        {
            return revision;
        }

        if (protocol.Revision != revision.Revision || !string.Equals(protocol.StationCode, station.Station.Code, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The protocol is revision {protocol.Revision} of {protocol.StationCode}, not revision {revision.Revision} of {station.Station.Code}.", nameof(protocol));
        }

        var earlierAccepted = station.Revisions.Any(r => r.Revision < revision.Revision && r.State == ReviewState.Accepted);
        return revision with { Protocol = protocol, Flags = FlagsFor(station.Station, protocol, revision.VerifiedCosignatures, earlierAccepted).Flags };
    }

    /// <summary>The stations matching <paramref name="filter"/>, ordered by code, from <paramref name="offset"/>.</summary>
    public BoardPage List(BoardFilter filter, int offset, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        lock (_lock)
        {
            var derived = Derive();
            var page = new List<StationView>(Math.Min(pageSize, 1024));
            var matching = 0;
            int? next = null;
            foreach (var station in _ordered)
            {
                if (!Matches(station, filter, derived))
                {
                    continue;
                }

                if (matching >= offset)
                {
                    if (page.Count < pageSize)
                    {
                        page.Add(View(station));
                    }
                    else
                    {
                        next ??= matching;
                    }
                }

                matching++;
            }

            return new BoardPage(page, matching, next);
        }
    }

    /// <summary>The totals now: provisional and certified, overall and per municipality.</summary>
    public TabulationSnapshot Totals()
    {
        lock (_lock)
        {
            return Derive().Totals;
        }
    }

    /// <summary>The review queue counts, overall first, then per municipality by code.</summary>
    public IReadOnlyList<QueueCounts> Queue()
    {
        lock (_lock)
        {
            return Derive().Queue;
        }
    }

    /// <summary>
    /// Every reported station with every revision (ordered by code), the totals and the log size, all at one moment
    /// (for exports: the same log size always gives the same content).
    /// </summary>
    public BoardSnapshot Snapshot()
    {
        lock (_lock)
        {
            var derived = Derive();
            var reported = new List<StationView>();
            foreach (var station in _ordered)
            {
                if (station.Revisions.Count > 0)
                {
                    reported.Add(View(station));
                }
            }

            return new BoardSnapshot(reported, derived.Totals, _nextLogIndex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _follower;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stopping.Dispose();
        _refresh.Dispose();
    }

    private async Task FollowAsync()
    {
        var token = _stopping.Token;
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await RefreshAsync(token);
            ReviewLog.CaughtUp(_logger, EventsApplied, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Logged; the loop below tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReviewLog.FollowFailed(_logger, ex);
        }

        while (!token.IsCancellationRequested)
        {
            var wake = _changes.NextAsync();
            try
            {
                await RefreshAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The follower must survive a failing database; it logs and tries again at the next wake-up.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ReviewLog.FollowFailed(_logger, ex);
            }

            try
            {
                await wake.WaitAsync(_options.PollInterval, token);
            }
            catch (TimeoutException)
            {
                // Poll: another Central instance may have appended.
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> ApplyNextAsync(CancellationToken cancellationToken)
    {
        long start;
        lock (_lock)
        {
            start = _nextLogIndex;
        }

        var entries = await ReadEntriesAsync(start, cancellationToken);
        if (entries.Count == 0)
        {
            return false;
        }

        lock (_lock)
        {
            var applied = 0;
            foreach (var entry in entries)
            {
                switch (entry)
                {
                    case SubmissionEntry submission:
                        ApplySubmission(submission);
                        applied++;
                        break;
                    case DecisionEntry decision:
                        ApplyDecision(decision);
                        applied++;
                        break;
                    default:
                        // A certificate revocation: nothing on the board changes (what was signed before stays valid).
                        break;
                }

                _nextLogIndex = entry.Index + 1;
            }

            if (applied == 0)
            {
                return true;
            }

            _eventsApplied += applied;
            _derived = null;
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }

        return true;
    }

    private async Task<List<BoardEntry>> ReadEntriesAsync(long start, CancellationToken cancellationToken)
    {
        await using var db = new CentralDbContext(_dbOptions);
        // One read transaction: a consistent snapshot of the log, its submissions and decisions.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var entries = await db.LogEntries.AsNoTracking()
            .Where(e => e.Index >= start)
            .OrderBy(e => e.Index)
            .Take(EntriesPerRead)
            .Select(e => new { e.Index, e.Kind, e.SubmissionId })
            .ToListAsync(cancellationToken);

        // Stop at a gap: with several writers sharing a database, a later index may commit before an earlier one;
        // the board waits for the earlier one rather than apply out of order.
        var contiguous = 0;
        while (contiguous < entries.Count && entries[contiguous].Index == start + contiguous)
        {
            contiguous++;
        }

        entries.RemoveRange(contiguous, entries.Count - contiguous);
        if (entries.Count == 0)
        {
            return [];
        }

        var last = entries[^1].Index;
        var submissionIds = entries.Where(e => e.Kind == LogEntryKind.Submission).Select(e => e.SubmissionId!.Value).ToList();
        var submissions = new Dictionary<long, SubmissionEntry>();
        foreach (var chunk in submissionIds.Chunk(500))
        {
            var rows = await (
                from s in db.Submissions.AsNoTracking()
                join b in db.Blobs.AsNoTracking() on s.EnvelopeSha256 equals b.Sha256
                where chunk.Contains(s.Id)
                select new { s.Id, s.StationCode, s.Revision, s.EnvelopeSha256, s.LogIndex, s.ReceivedAt, s.VerifiedCosignatures, s.ElectionId, b.Bytes })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                submissions[row.Id] = new SubmissionEntry(row.LogIndex!.Value, row.Id, row.ElectionId, row.StationCode, row.Revision, row.EnvelopeSha256, row.ReceivedAt, row.VerifiedCosignatures, row.Bytes);
            }
        }

        var decisions = await (
            from d in db.ReviewDecisions.AsNoTracking()
            join s in db.Submissions.AsNoTracking() on d.SubmissionId equals s.Id
            where d.LogIndex >= start && d.LogIndex <= last
            select new { d.LogIndex, s.StationCode, s.Revision, d.State, d.Reason, d.VerifierUri, d.DecidedAt })
            .ToDictionaryAsync(d => d.LogIndex, cancellationToken);

        var result = new List<BoardEntry>(entries.Count);
        foreach (var entry in entries)
        {
            result.Add(entry.Kind switch
            {
                LogEntryKind.Submission => submissions[entry.SubmissionId!.Value],
                LogEntryKind.Decision when decisions.TryGetValue(entry.Index, out var d) =>
                    new DecisionEntry(entry.Index, d.StationCode, d.Revision, new DecisionView((ReviewState)(int)d.State, d.Reason, d.VerifierUri, d.DecidedAt, d.LogIndex)),
                _ => new OtherEntry(entry.Index),
            });
        }

        return result;
    }

    private void ApplySubmission(SubmissionEntry entry)
    {
        if (!string.Equals(entry.ElectionId, _definition.ElectionId, StringComparison.Ordinal) || !_stations.TryGetValue(entry.StationCode, out var station))
        {
            ReviewLog.EntrySkipped(_logger, entry.Index, "not a station of the served election");
            return;
        }

        if (station.Revisions.Count > 0 && entry.Revision <= station.Revisions[^1].Revision)
        {
            // The store refuses a revision not above the station's latest (stale) and logs a duplicate only once.
            ReviewLog.EntrySkipped(_logger, entry.Index, "a revision not above the station's latest");
            return;
        }

        if (Decode(entry.EnvelopeBytes) is not { } decoded)
        {
            // Central verified this envelope before storing it; failing to decode it now means the stored bytes
            // changed. It is not counted, and the error is loud.
            ReviewLog.EntryUnreadable(_logger, entry.Index, entry.StationCode, entry.Revision);
            return;
        }

        // Kept until superseded, by every reporting station: compacted (the definition's strings, exact arrays).
        var protocol = _compact.Compact(decoded, station.Entry.Code);
        var earlierAccepted = station.Revisions.Any(r => r.Revision < entry.Revision && r.State == ReviewState.Accepted);
        var (flags, ruleCodes) = FlagsFor(station.Entry, protocol, entry.VerifiedCosignatures, earlierAccepted);

        try
        {
            // The tabulator leaves its totals unchanged when a sum would overflow.
            _tabulator.Apply(new SubmissionAccepted(station.Entry.Code, entry.Revision, protocol, ruleCodes));
        }
        catch (OverflowException ex)
        {
            ReviewLog.TotalsOverflow(_logger, entry.Index, entry.StationCode, entry.Revision, ex);
            return;
        }

        var hex = Convert.ToHexStringLower(entry.EnvelopeSha256);
        station.Add(new RevisionView(entry.Revision, hex, entry.SubmissionId, entry.Index, entry.ReceivedAt, null, protocol, protocol.CorrectionReason, entry.VerifiedCosignatures, flags));
        _byEnvelope[hex] = (station.Entry.Code, entry.Revision);
        station.Municipality.OutliersStale = true;
        LetGoOfSuperseded(station);
    }

    /// <summary>A revision's flags: the Flag-level arithmetic rules, then the station anomalies; and the rule codes alone.</summary>
    private (List<FlagView> Flags, string[] RuleCodes) FlagsFor(StationEntry entry, ResultProtocol protocol, int verifiedCosignatures, bool earlierAccepted)
    {
        var flags = new List<FlagView>();
        foreach (var violation in ProtocolValidator.Validate(protocol, _definition).Violations)
        {
            if (violation.Severity == ViolationSeverity.Flag)
            {
                flags.Add(new FlagView(violation.Code, violation.Message, violation.ContestId, violation.ChoiceId));
            }
        }

        var ruleCodes = flags.Select(f => f.Code).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var anomaly in StationAnomalies.Assess(_definition, _options.Anomalies, entry, protocol, verifiedCosignatures, earlierAccepted))
        {
            flags.Add(new FlagView(anomaly.Code, anomaly.Message, anomaly.ContestId, anomaly.ChoiceId));
        }

        return (flags, ruleCodes);
    }

    private void ApplyDecision(DecisionEntry entry)
    {
        if (!_stations.TryGetValue(entry.StationCode, out var station) || station.Revisions.Count == 0 || station.Revisions[^1].Revision != entry.Revision)
        {
            // The store decides only on a station's latest revision (an earlier one is SUPERSEDED).
            ReviewLog.EntrySkipped(_logger, entry.Index, "a decision on a submission that is not the station's latest on the board");
            return;
        }

        try
        {
            _tabulator.Apply(new DecisionRecorded(entry.StationCode, entry.Revision, entry.Decision.State));
        }
        catch (OverflowException ex)
        {
            ReviewLog.TotalsOverflow(_logger, entry.Index, entry.StationCode, entry.Revision, ex);
            return;
        }

        station.Decide(entry.Revision, entry.Decision);
        LetGoOfSuperseded(station);
    }

    /// <summary>
    /// Keeps decoded only what the totals, outliers and exports use (the latest and the certified revision), in the
    /// board and in the tabulator, so memory grows with stations and not with corrections. Revisions below the latest
    /// get no further event: the store refuses stale revisions and decisions on superseded ones.
    /// </summary>
    private void LetGoOfSuperseded(StationState station)
    {
        station.ReleaseSuperseded();
        _tabulator.Forget(station.Entry.Code, station.Revisions[^1].Revision);
    }

    private ResultProtocol? Decode(byte[] envelopeBytes)
    {
        var envelope = EnvelopeMapping.Parse(envelopeBytes);
        if (!envelope.IsSuccess)
        {
            return null;
        }

        return StoredSubmissions.DecodeProtocol(envelope.Envelope);
    }

    private StationView View(StationState station)
    {
        if (station.Revisions.Count == 0)
        {
            return new StationView(station.Entry, station.Municipality.Name, []);
        }

        var outliers = OutliersFor(station);
        if (outliers.Count == 0)
        {
            return new StationView(station.Entry, station.Municipality.Name, station.Revisions.ToArray());
        }

        var revisions = station.Revisions.ToArray();
        var latest = revisions[^1];
        revisions[^1] = latest with { Flags = [.. latest.Flags, .. outliers] };
        return new StationView(station.Entry, station.Municipality.Name, revisions);
    }

    private IReadOnlyList<FlagView> OutliersFor(StationState station)
    {
        var municipality = station.Municipality;
        if (municipality.OutliersStale)
        {
            var latest = new List<(StationEntry Station, ResultProtocol Protocol)>();
            foreach (var member in municipality.Stations)
            {
                if (member.Revisions.Count > 0)
                {
                    latest.Add((member.Entry, member.Revisions[^1].CountedProtocol));
                }
            }

            municipality.Outliers = MunicipalityOutliers.Assess(_definition, _options.Anomalies, latest);
            municipality.OutliersStale = false;
        }

        return municipality.Outliers.TryGetValue(station.Entry.Code, out var flags)
            ? [.. flags.Select(a => new FlagView(a.Code, a.Message, a.ContestId, a.ChoiceId))]
            : [];
    }

    private bool Matches(StationState station, BoardFilter filter, Derived derived)
    {
        if (filter.MunicipalityCode is { } municipality && !string.Equals(station.Entry.MunicipalityCode, municipality, StringComparison.Ordinal))
        {
            return false;
        }

        var reported = station.Revisions.Count > 0;
        if (filter.Reported is { } wanted && wanted != reported)
        {
            return false;
        }

        if (filter.State is { } state && (!reported || station.Revisions[^1].State != state))
        {
            return false;
        }

        if (filter.Flag is { } flag)
        {
            if (!reported)
            {
                return false;
            }

            var flags = derived.LatestFlagCodes[station.Entry.Code];
            return flag == BoardFilter.AnyFlag ? flags.Count > 0 : flags.Contains(flag);
        }

        return true;
    }

    private Derived Derive()
    {
        if (_derived is { } current)
        {
            return current;
        }

        var latestFlags = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var pending = new Dictionary<string, (long Pending, long Flagged)>(StringComparer.Ordinal);
        long totalPending = 0;
        long totalFlagged = 0;
        foreach (var station in _ordered)
        {
            if (station.Revisions.Count == 0)
            {
                continue;
            }

            var latest = station.Revisions[^1];
            var codes = new HashSet<string>(latest.Flags.Select(f => f.Code), StringComparer.Ordinal);
            foreach (var outlier in OutliersFor(station))
            {
                codes.Add(outlier.Code);
            }

            latestFlags[station.Entry.Code] = codes;
            if (latest.State == ReviewState.Pending)
            {
                var flagged = codes.Count > 0 ? 1 : 0;
                pending.TryGetValue(station.Entry.MunicipalityCode, out var counts);
                pending[station.Entry.MunicipalityCode] = (counts.Pending + 1, counts.Flagged + flagged);
                totalPending++;
                totalFlagged += flagged;
            }
        }

        var queue = new List<QueueCounts> { new(null, totalPending, totalFlagged) };
        foreach (var municipality in _definition.Municipalities.OrderBy(m => m.Code, StringComparer.Ordinal))
        {
            pending.TryGetValue(municipality.Code, out var counts);
            queue.Add(new QueueCounts(municipality.Code, counts.Pending, counts.Flagged));
        }

        _derived = new Derived(_tabulator.Snapshot(), queue, latestFlags);
        return _derived;
    }

    private sealed record Derived(TabulationSnapshot Totals, IReadOnlyList<QueueCounts> Queue, Dictionary<string, HashSet<string>> LatestFlagCodes);

    private abstract record BoardEntry(long Index);

    private sealed record SubmissionEntry(
        long Index, long SubmissionId, string ElectionId, string StationCode, int Revision, byte[] EnvelopeSha256, DateTimeOffset ReceivedAt, int VerifiedCosignatures, byte[] EnvelopeBytes)
        : BoardEntry(Index);

    private sealed record DecisionEntry(long Index, string StationCode, int Revision, DecisionView Decision) : BoardEntry(Index);

    private sealed record OtherEntry(long Index) : BoardEntry(Index);

    private sealed class MunicipalityState(Municipality municipality)
    {
        public string Name { get; } = municipality.Name.Default;

        public List<StationState> Stations { get; } = [];

        public bool OutliersStale { get; set; } = true;

        public IReadOnlyDictionary<string, IReadOnlyList<AnomalyFlag>> Outliers { get; set; } = new Dictionary<string, IReadOnlyList<AnomalyFlag>>();
    }

    private sealed class StationState
    {
        public StationState(StationEntry entry, MunicipalityState municipality)
        {
            Entry = entry;
            Municipality = municipality;
            municipality.Stations.Add(this);
        }

        public StationEntry Entry { get; }

        public MunicipalityState Municipality { get; }

        /// <summary>Ascending by revision.</summary>
        public List<RevisionView> Revisions { get; } = [];

        public void Add(RevisionView revision)
        {
            var at = Revisions.FindIndex(r => r.Revision > revision.Revision);
            Revisions.Insert(at < 0 ? Revisions.Count : at, revision);
        }

        public void Decide(int revision, DecisionView decision)
        {
            var at = Revisions.FindIndex(r => r.Revision == revision);
            Revisions[at] = Revisions[at] with { Decision = decision };
        }

        /// <summary>Drops the decoded protocol and the flags of every revision that is neither the latest nor the certified one.</summary>
        public void ReleaseSuperseded()
        {
            var certified = Revisions.FindLastIndex(r => r.State == ReviewState.Accepted);
            for (var i = 0; i < Revisions.Count - 1; i++)
            {
                if (i != certified && Revisions[i].Protocol is not null)
                {
                    Revisions[i] = Revisions[i] with { Protocol = null, Flags = [] };
                }
            }
        }
    }
}
