using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Transmission.Core.Log;
using Transmission.Core.Review;

namespace Transmission.Central.Storage;

/// <summary>
/// Central's write path with group commit. Many callers (concurrent gRPC streams) call
/// <see cref="SubmitAsync"/>; one writer loop takes up to <see cref="StorageOptions.MaxBatchSize"/> pending
/// writes (or what arrived within <see cref="StorageOptions.BatchWait"/>) and commits them in ONE
/// transaction, deciding duplicate / conflict / stale inside it, so the rules hold between concurrent
/// callers and between items of the same batch. A caller's task completes only after that transaction
/// committed; if it cannot commit, every item of the batch gets <see cref="StorageUnavailable"/> and
/// nothing of the batch is visible.
/// </summary>
public sealed partial class SubmissionStore : IAsyncDisposable
{
    /// <summary>Media type recorded for envelope blobs.</summary>
    public const string EnvelopeMediaType = "application/vnd.transmission.envelope.v1+protobuf";

    /// <summary>Security event kind for a conflicting revision.</summary>
    public const string ConflictEventKind = "SUBMISSION_CONFLICT";

    /// <summary>Security event kind for a stale revision.</summary>
    public const string StaleEventKind = "SUBMISSION_STALE";

    private readonly DbContextOptions<CentralDbContext> _dbOptions;
    private readonly StorageOptions _options;
    private readonly ILogger _logger;
    private readonly ILogIssuer? _logIssuer;
    private readonly SubmissionGate? _gate;
    private readonly TimeProvider _time;
    private readonly Channel<WriteRequest> _queue;
    private readonly Task _writer;
    private long _transactions;

    /// <summary>Starts the writer loop. <paramref name="options"/> must be valid (see <see cref="StorageOptions.Validate"/>).</summary>
    /// <param name="dbOptions">The database.</param>
    /// <param name="options">Batching and lock waits.</param>
    /// <param name="logger">Where batches and failures are logged.</param>
    /// <param name="logIssuer">
    /// Signs a checkpoint after every commit that appends to the log, and each accepted submission's receipt with its
    /// inclusion proof; without one the tree is still stored, but no checkpoint or receipt is made.
    /// </param>
    /// <param name="gate">The last check of each submission before it is decided; without one every submission is decided.</param>
    /// <param name="time">The clock that stamps signed checkpoints (Central's own, with microsecond precision on PostgreSQL); the system clock when null.</param>
    public SubmissionStore(DbContextOptions<CentralDbContext> dbOptions, StorageOptions options, ILogger<SubmissionStore> logger, ILogIssuer? logIssuer = null, SubmissionGate? gate = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dbOptions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _dbOptions = dbOptions;
        _options = options;
        _logger = logger;
        _logIssuer = logIssuer;
        _gate = gate;
        _time = time ?? TimeProvider.System;
        _queue = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Media type of a decision log entry's PAE (see <see cref="ReviewDecisionRow.EntryBytes"/>).</summary>
    public const string DecisionEntryType = Transmission.Core.Log.LogEntryTypes.Decision;

    /// <summary>Signalled after every commit that stored a submission or a decision (for the read model).</summary>
    public StorageChanges Changes { get; } = new();

    /// <summary>How many batch transactions have committed so far (for tests and metrics).</summary>
    public long CommittedTransactions => Interlocked.Read(ref _transactions);

    /// <summary>
    /// Queues <paramref name="submission"/> for the next batch and returns its outcome once that batch
    /// committed (or could not). Cancelling stops the wait, not the write: a queued submission may still be
    /// stored, and sending it again then yields <see cref="SubmissionDuplicate"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The store is shutting down.</exception>
    public async Task<SubmissionOutcome> SubmitAsync(PendingSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        CheckSha256(submission.PayloadSha256, nameof(submission.PayloadSha256));
        CheckSha256(submission.EnvelopeSha256, nameof(submission.EnvelopeSha256));
        CheckSha256(submission.SignerCertificateSha256, nameof(submission.SignerCertificateSha256));
        ArgumentOutOfRangeException.ThrowIfLessThan(submission.Revision, 1, nameof(submission));

        // Hashing happens here, on the caller's thread, to keep the single writer doing only database work.
        var attachmentShas = new byte[submission.Attachments.Count][];
        for (var i = 0; i < attachmentShas.Length; i++)
        {
            attachmentShas[i] = SHA256.HashData(submission.Attachments[i].Bytes);
        }

        var request = new SubmissionRequest(submission, attachmentShas, LeafHash(submission.EnvelopeBytes));
        await EnqueueAsync(request, cancellationToken);
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Queues a verifier's decision for the next batch and returns its outcome once that batch committed (or could
    /// not). The decision is checked with <see cref="Transmission.Core.Review.ReviewStateMachine"/> against the state
    /// inside the transaction and, when allowed, stored and appended to the log with the next index.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The store is shutting down.</exception>
    public async Task<DecisionOutcome> DecideAsync(PendingDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(decision.EntryBytes);
        var request = new DecisionRequest(decision, LeafHash(decision.EntryBytes));
        await EnqueueAsync(request, cancellationToken);
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Makes sure the latest signed checkpoint covers the whole log (signing one through the writer if it does not,
    /// e.g. for an empty log at start-up) and returns its note; null when the store has no <see cref="ILogIssuer"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Storage is unavailable.</exception>
    public async Task<string?> EnsureCheckpointAsync(CancellationToken cancellationToken)
    {
        var request = new CheckpointRequest();
        await EnqueueAsync(request, cancellationToken);
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops accepting writes, commits what is queued and waits for the writer to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    /// <summary>Queues a security event; true once committed, false when storage was unavailable.</summary>
    internal async Task<bool> RecordSecurityEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        var request = new SecurityEventRequest(securityEvent);
        await EnqueueAsync(request, cancellationToken);
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>RFC 9162 §2.1.1 leaf hash: SHA-256(0x00 ‖ entry).</summary>
    internal static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x00]);
        hash.AppendData(entry);
        return hash.GetHashAndReset();
    }

    private static void CheckSha256(byte[] value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"{name} must be {SHA256.HashSizeInBytes} bytes.", name);
        }
    }

    private async Task EnqueueAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(request, cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            throw new ObjectDisposedException("The submission store is shut down.", ex);
        }
    }

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<WriteRequest>(_options.MaxBatchSize);
        while (await reader.WaitToReadAsync())
        {
            await FillBatchAsync(reader, batch);
            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task FillBatchAsync(ChannelReader<WriteRequest> reader, List<WriteRequest> batch)
    {
        while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var request))
        {
            batch.Add(request);
        }

        if (batch.Count >= _options.MaxBatchSize || _options.BatchWait <= TimeSpan.Zero)
        {
            return;
        }

        // A short real-time wait (not TimeProvider: it is a throughput knob, and a fake clock in tests must
        // not stall the writer) lets concurrent callers join the same fsync.
        using var window = new CancellationTokenSource(_options.BatchWait);
        try
        {
            while (batch.Count < _options.MaxBatchSize)
            {
                if (reader.TryRead(out var request))
                {
                    batch.Add(request);
                }
                else if (!await reader.WaitToReadAsync(window.Token))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            // The window closed: commit what we have.
        }
    }

    private async Task CommitAsync(List<WriteRequest> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var appends = 0;
        try
        {
            var db = new CentralDbContext(_dbOptions);
            await using (db)
            {
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                // On SQLite this is BEGIN IMMEDIATE: the write lock is taken before anything is read, so the
                // rules and the next log index are decided on data no other writer can change. On PostgreSQL the
                // same holds across Central instances sharing the database through the log's advisory lock, taken
                // first in the transaction; nothing decided here is cached between batches (log size, tree, last
                // checkpoint, stations' revisions and decisions are all read again under the lock).
                var transaction = await db.Database.BeginTransactionAsync();
                await using (transaction)
                {
                    await PostgreSqlDatabase.TakeWriteLockAsync(db.Database, _options.BusyTimeout, CancellationToken.None);
                    appends = await DecideAsync(db, batch);
                    await db.SaveChangesAsync();
                    await transaction.CommitAsync();
                }
            }
        }
        catch (Exception ex) when (UnavailableReason(ex) is { } reason)
        {
            StorageLog.StorageUnavailable(_logger, reason, batch.Count, ex);
            foreach (var request in batch)
            {
                request.Unavailable(reason);
            }

            return;
        }
#pragma warning disable CA1031 // The writer must survive anything; the callers get the exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            StorageLog.CommitFaulted(_logger, batch.Count, ex);
            foreach (var request in batch)
            {
                request.Fail(ex);
            }

            return;
        }

        Interlocked.Increment(ref _transactions);
        StorageLog.BatchCommitted(_logger, batch.Count, appends, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (appends > 0)
        {
            Changes.Signal();
        }

        foreach (var request in batch)
        {
            request.Complete();
        }
    }

    private async Task<int> DecideAsync(CentralDbContext db, List<WriteRequest> batch)
    {
        var submissions = new List<SubmissionRequest>(batch.Count);
        var logWork = false;
        foreach (var request in batch)
        {
            if (request is SubmissionRequest submission)
            {
                submissions.Add(submission);
            }

            logWork |= request is SubmissionRequest or DecisionRequest or CheckpointRequest or RevocationListRequest;
        }

        using var tree = logWork
            ? new StoredMerkleTree(
                db.Database.GetDbConnection(),
                db.Database.CurrentTransaction?.GetDbTransaction(),
                (await db.LogEntries.MaxAsync(e => (long?)e.Index) ?? -1) + 1)
            : null;
        var state = new BatchState(
            await LoadStationsAsync(db, submissions),
            await LoadExistingBlobsAsync(db, submissions),
            tree);
        var sizeBefore = tree?.Size ?? 0;

        foreach (var request in batch)
        {
            switch (request)
            {
                case SubmissionRequest submission:
                    submission.Decided = _gate?.Invoke(submission.Pending) ?? Decide(db, state, submission);
                    break;
                case SecurityEventRequest securityEvent:
                    db.SecurityEvents.Add(securityEvent.Event);
                    break;
                case DecisionRequest decision:
                    decision.Decided = await DecideReviewAsync(db, state, decision);
                    break;
                case RevocationListRequest revocationList:
                    revocationList.Decided = await DecideRevocationListAsync(db, state, revocationList);
                    break;
                case CheckpointRequest:
                    break;
                default:
                    throw new UnreachableException();
            }
        }

        if (tree is not null)
        {
            await SealLogAsync(db, state, tree, batch);
        }

        return checked((int)((tree?.Size ?? 0) - sizeBefore));
    }

    /// <summary>
    /// After the batch's appends: stores the Merkle nodes they completed, signs the checkpoint of the new tree (only
    /// if consistent with the last one signed; otherwise the whole batch fails and nothing is committed), and issues
    /// the receipts of the batch's new submissions with their inclusion proofs against that checkpoint.
    /// </summary>
    private async Task SealLogAsync(CentralDbContext db, BatchState state, StoredMerkleTree tree, List<WriteRequest> batch)
    {
        db.MerkleNodes.AddRange(tree.NewNodes);
        if (_logIssuer is null)
        {
            return;
        }

        var last = await db.Checkpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync();
        var note = last?.Note;
        if (last is not null && last.TreeSize == tree.Size && !last.RootHash.AsSpan().SequenceEqual(MerkleProofs.Root(tree, tree.Size)))
        {
            throw new LogIntegrityException($"The last signed checkpoint (size {last.TreeSize}) does not have the stored tree's root: INCONSISTENT.");
        }

        if (last is null || last.TreeSize != tree.Size)
        {
            var lastSigned = last is null ? null : new Checkpoint(_logIssuer.Origin, last.TreeSize, last.RootHash);
            var next = new Checkpoint(_logIssuer.Origin, tree.Size, MerkleProofs.Root(tree, tree.Size));
            var proof = last is null ? [] : MerkleProofs.ConsistencyProof(tree, last.TreeSize, tree.Size);
            var signed = _logIssuer.SignCheckpoint(next, lastSigned, proof);
            if (signed.SignedNote is not { } signedNote)
            {
                // Never sign (or hand out receipts for) a tree that does not extend the last signed one.
                throw new LogIntegrityException($"Central refused to sign the checkpoint of size {tree.Size}: {signed.ReasonCode}: {signed.Detail}");
            }

            note = signedNote;
            db.Checkpoints.Add(new CheckpointRow { TreeSize = tree.Size, RootHash = next.RootHash, Note = note, SignedAt = _time.GetUtcNow() });
        }

        foreach (var (request, submission) in state.Stored)
        {
            var index = submission.LogIndex!.Value;
            var receipt = _logIssuer.IssueReceipt(request.Pending, index, note!, MerkleProofs.InclusionProof(tree, index, tree.Size));
            // Through the change tracker: a decision earlier in the batch may already have saved the row.
            db.Entry(submission).Property(s => s.ReceiptBytes).CurrentValue = receipt;
            request.Decided = new SubmissionStored(index, request.Pending.ReceivedAt) { Receipt = receipt };
        }

        foreach (var (duplicate, original) in state.DuplicatesInBatch)
        {
            var receipt = ((SubmissionStored)original.Decided!).Receipt;
            duplicate.Decided = ((SubmissionDuplicate)duplicate.Decided!) with { Receipt = receipt };
        }

        foreach (var request in batch)
        {
            if (request is CheckpointRequest checkpoint)
            {
                checkpoint.Note = note;
            }
        }
    }

    private SubmissionOutcome Decide(CentralDbContext db, BatchState state, SubmissionRequest request)
    {
        var pending = request.Pending;
        var known = state.Stations[(pending.ElectionId, pending.StationCode)];

        // 1. Same payload already accepted for this station: answer as the first time. When that first time is
        // earlier in this batch (a station's retry racing its own stalled call), its receipt does not exist yet: the
        // duplicate gets it once the batch's checkpoint is signed.
        foreach (var row in known)
        {
            if (row.Status == SubmissionStatus.Accepted && row.PayloadSha256.AsSpan().SequenceEqual(pending.PayloadSha256))
            {
                if (row.StoredInBatch is { } original)
                {
                    state.DuplicatesInBatch.Add((request, original));
                }

                return new SubmissionDuplicate(row.LogIndex!.Value, row.ReceivedAt, row.EnvelopeSha256) { Receipt = row.Receipt };
            }
        }

        var highest = 0;
        KnownSubmission? sameRevision = null;
        var envelopeKnown = false;
        foreach (var row in known)
        {
            envelopeKnown |= row.EnvelopeSha256.AsSpan().SequenceEqual(pending.EnvelopeSha256);
            if (row.Status == SubmissionStatus.Accepted)
            {
                highest = Math.Max(highest, row.Revision);
                if (row.Revision == pending.Revision)
                {
                    sameRevision = row;
                }
            }
        }

        // 2. Lower than what the station already has accepted: refuse, store nothing but the event.
        if (pending.Revision < highest)
        {
            StorageLog.Stale(_logger, pending.StationCode, pending.Revision, highest);
            db.SecurityEvents.Add(SecurityEventFor(pending, StaleEventKind, CentralDatabase.Invariant(
                $"station {pending.StationCode} sent revision {pending.Revision} (envelope {CentralDatabase.Hex(pending.EnvelopeSha256)}) after revision {highest} was accepted")));
            return new SubmissionStale(highest);
        }

        // 3. Same revision, different payload: keep the envelope as evidence (once), raise a security event.
        if (sameRevision is not null)
        {
            StorageLog.Conflict(_logger, pending.StationCode, pending.Revision, CentralDatabase.Hex(pending.EnvelopeSha256), CentralDatabase.Hex(sameRevision.EnvelopeSha256));
            if (!envelopeKnown)
            {
                var evidence = AddSubmission(db, state, request, SubmissionStatus.Conflict, logIndex: null);
                known.Add(KnownSubmission.From(evidence));
            }

            db.SecurityEvents.Add(SecurityEventFor(pending, ConflictEventKind, CentralDatabase.Invariant(
                $"station {pending.StationCode} revision {pending.Revision}: envelope {CentralDatabase.Hex(pending.EnvelopeSha256)} differs from accepted envelope {CentralDatabase.Hex(sameRevision.EnvelopeSha256)}")));
            return new SubmissionConflict(sameRevision.EnvelopeSha256);
        }

        // 4. New: store and append to the log with the next gap-free index. The receipt (with the checkpoint and the
        // inclusion proof) is made once the batch's tree is complete, still inside the transaction: if the batch rolls
        // back, no receipt is ever sent; once it commits, it is durable with its row.
        var index = state.Tree!.Append(request.LeafHash);
        var submission = AddSubmission(db, state, request, SubmissionStatus.Accepted, index);
        state.Stored.Add((request, submission));
        db.LogEntries.Add(new LogEntry
        {
            Index = index,
            Kind = LogEntryKind.Submission,
            EntrySha256 = request.LeafHash,
            Submission = submission,
            CreatedAt = pending.ReceivedAt,
        });
        known.Add(KnownSubmission.From(submission) with { StoredInBatch = request });
        return new SubmissionStored(index, pending.ReceivedAt);
    }

    private static async Task<DecisionOutcome> DecideReviewAsync(CentralDbContext db, BatchState state, DecisionRequest request)
    {
        var pending = request.Pending;
        var key = pending.Decision.Submission;
        var envelopeSha256 = Convert.FromHexString(key.EnvelopeSha256Hex);
        var target = await db.Submissions.AsNoTracking()
            .Where(s => s.EnvelopeSha256 == envelopeSha256 && s.ElectionId == pending.ElectionId && s.Status == SubmissionStatus.Accepted)
            .Select(s => new { s.Id, s.StationCode, s.Revision })
            .SingleOrDefaultAsync();
        if (target is null || !string.Equals(target.StationCode, key.StationCode, StringComparison.Ordinal) || target.Revision != key.Revision)
        {
            return new DecisionSubmissionNotFound();
        }

        // Submissions added earlier in this batch are not visible to queries yet; a later revision among them
        // supersedes the decided one all the same.
        var latest = await db.Submissions.AsNoTracking()
            .Where(s => s.ElectionId == pending.ElectionId && s.StationCode == key.StationCode && s.Status == SubmissionStatus.Accepted)
            .MaxAsync(s => s.Revision);
        if (state.Stations.TryGetValue((pending.ElectionId, key.StationCode), out var batchRows))
        {
            foreach (var known in batchRows)
            {
                if (known.Status == SubmissionStatus.Accepted)
                {
                    latest = Math.Max(latest, known.Revision);
                }
            }
        }

        var existing = state.DecidedSubmissions.TryGetValue(target.Id, out var decidedInBatch)
            ? decidedInBatch
            : await db.ReviewDecisions.AsNoTracking().Where(d => d.SubmissionId == target.Id).Select(d => (DecisionState?)d.State).SingleOrDefaultAsync();
        var current = existing is { } decided ? (ReviewState)(int)decided : ReviewState.Pending;
        var transition = ReviewStateMachine.Decide(current, pending.Decision, latest);
        if (!transition.IsAllowed)
        {
            return new DecisionRefused(transition.Refusal, transition.State);
        }

        var index = state.Tree!.Append(request.LeafHash);
        var row = new ReviewDecisionRow
        {
            SubmissionId = target.Id,
            State = (DecisionState)(int)transition.State,
            Reason = transition.Decision.Reason,
            VerifierUri = transition.Decision.Verifier.OriginalString,
            DecidedAt = transition.Decision.DecidedAt,
            LogIndex = index,
            EntryBytes = pending.EntryBytes,
        };
        db.ReviewDecisions.Add(row);
        db.LogEntries.Add(new LogEntry
        {
            Index = index,
            Kind = LogEntryKind.Decision,
            EntrySha256 = request.LeafHash,
            Reference = key.EnvelopeSha256Hex,
            CreatedAt = transition.Decision.DecidedAt,
        });
        state.DecidedSubmissions[target.Id] = row.State;
        // The id is assigned by the database on insert; the save is part of the batch transaction.
        await db.SaveChangesAsync();
        return new DecisionStored(transition.State, row.Id, index, row.DecidedAt);
    }

    private static Submission AddSubmission(CentralDbContext db, BatchState state, SubmissionRequest request, SubmissionStatus status, long? logIndex)
    {
        var pending = request.Pending;
        AddBlobIfAbsent(db, state, pending.EnvelopeSha256, pending.EnvelopeBytes, EnvelopeMediaType);
        var submission = new Submission
        {
            ElectionId = pending.ElectionId,
            StationCode = pending.StationCode,
            Revision = pending.Revision,
            PayloadSha256 = pending.PayloadSha256,
            EnvelopeSha256 = pending.EnvelopeSha256,
            ReceivedAt = pending.ReceivedAt,
            Status = status,
            Flags = string.Join(',', pending.Flags),
            VerifiedCosignatures = pending.VerifiedCosignatures,
            LogIndex = logIndex,
            SignerCertificateSha256 = pending.SignerCertificateSha256,
        };
        for (var i = 0; i < pending.Attachments.Count; i++)
        {
            var attachment = pending.Attachments[i];
            AddBlobIfAbsent(db, state, request.AttachmentShas[i], attachment.Bytes, attachment.MediaType);
            submission.Attachments.Add(new SubmissionAttachment
            {
                Index = i,
                Name = attachment.Name,
                MediaType = attachment.MediaType,
                Size = attachment.Bytes.LongLength,
                BlobSha256 = request.AttachmentShas[i],
            });
        }

        db.Submissions.Add(submission);
        return submission;
    }

    private static void AddBlobIfAbsent(CentralDbContext db, BatchState state, byte[] sha256, byte[] bytes, string mediaType)
    {
        if (state.Blobs.Add(CentralDatabase.Hex(sha256)))
        {
            db.Blobs.Add(new Blob { Sha256 = sha256, Bytes = bytes, Size = bytes.LongLength, MediaType = mediaType });
        }
    }

    private static SecurityEvent SecurityEventFor(PendingSubmission pending, string kind, string detail) => new()
    {
        At = pending.ReceivedAt,
        Kind = kind,
        Peer = pending.Peer,
        CallerUri = pending.CallerUri,
        Detail = detail,
    };

    private static async Task<Dictionary<(string ElectionId, string StationCode), List<KnownSubmission>>> LoadStationsAsync(
        CentralDbContext db, List<SubmissionRequest> submissions)
    {
        var stations = new Dictionary<(string, string), List<KnownSubmission>>();
        foreach (var election in submissions.GroupBy(s => s.Pending.ElectionId, StringComparer.Ordinal))
        {
            var electionId = election.Key;
            var codes = election.Select(s => s.Pending.StationCode).Distinct(StringComparer.Ordinal).ToList();
            foreach (var code in codes)
            {
                stations[(electionId, code)] = [];
            }

            var rows = await db.Submissions
                .AsNoTracking()
                .Where(s => s.ElectionId == electionId && codes.Contains(s.StationCode))
                .Select(s => new KnownSubmission(s.StationCode, s.Revision, s.PayloadSha256, s.EnvelopeSha256, s.Status, s.LogIndex, s.ReceivedAt, s.ReceiptBytes))
                .ToListAsync();
            foreach (var row in rows)
            {
                stations[(electionId, row.StationCode)].Add(row);
            }
        }

        return stations;
    }

    private static async Task<HashSet<string>> LoadExistingBlobsAsync(CentralDbContext db, List<SubmissionRequest> submissions)
    {
        var keys = new List<byte[]>();
        foreach (var submission in submissions)
        {
            keys.Add(submission.Pending.EnvelopeSha256);
            keys.AddRange(submission.AttachmentShas);
        }

        var existing = new HashSet<string>(StringComparer.Ordinal);
        // Chunked so the statement stays far below any provider's parameter limit. One parameter per key
        // (EF Core's default for Contains): a primary-key probe each. EF.Parameter would send one JSON array
        // and compare against unhex(json_each.value), which SQLite may answer by scanning the table.
        foreach (var chunk in keys.Chunk(500))
        {
            var found = await db.Blobs.AsNoTracking()
                .Where(b => chunk.Contains(b.Sha256))
                .Select(b => b.Sha256)
                .ToListAsync();
            foreach (var sha in found)
            {
                existing.Add(CentralDatabase.Hex(sha));
            }
        }

        return existing;
    }

    private static string? UnavailableReason(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (PostgreSqlDatabase.UnavailableReason(current) is { } postgres)
            {
                return postgres;
            }

            switch (current)
            {
                case SqliteException sqlite when (sqlite.SqliteErrorCode & 0xFF) is
                    SqliteBusy or SqliteLocked or SqliteNoMem or SqliteReadOnly or SqliteIoErr or SqliteCorrupt or SqliteFull or SqliteCantOpen or SqliteProtocol or SqliteNotADb:
                    return SqliteErrorName(sqlite.SqliteErrorCode & 0xFF);
                case IOException:
                    return nameof(IOException);
                default:
                    break;
            }
        }

        return null;
    }

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNoMem = 7;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteProtocol = 15;
    private const int SqliteNotADb = 26;

    private static string SqliteErrorName(int primaryCode) => primaryCode switch
    {
        SqliteBusy => "SQLITE_BUSY",
        SqliteLocked => "SQLITE_LOCKED",
        SqliteNoMem => "SQLITE_NOMEM",
        SqliteReadOnly => "SQLITE_READONLY",
        SqliteIoErr => "SQLITE_IOERR",
        SqliteCorrupt => "SQLITE_CORRUPT",
        SqliteFull => "SQLITE_FULL",
        SqliteCantOpen => "SQLITE_CANTOPEN",
        SqliteProtocol => "SQLITE_PROTOCOL",
        SqliteNotADb => "SQLITE_NOTADB",
        _ => "SQLITE_" + primaryCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>What the writer knows while deciding one batch; includes rows added earlier in the batch.</summary>
    private sealed class BatchState(
        Dictionary<(string ElectionId, string StationCode), List<KnownSubmission>> stations,
        HashSet<string> blobs,
        StoredMerkleTree? tree)
    {
        public Dictionary<(string ElectionId, string StationCode), List<KnownSubmission>> Stations { get; } = stations;

        /// <summary>Hex SHA-256 of every blob already stored or added in this batch.</summary>
        public HashSet<string> Blobs { get; } = blobs;

        /// <summary>The log's tree, appended to in queue order; null when the batch does not touch the log.</summary>
        public StoredMerkleTree? Tree { get; } = tree;

        /// <summary>Submissions newly accepted in this batch, to get their receipts once the tree is complete.</summary>
        public List<(SubmissionRequest Request, Submission Row)> Stored { get; } = [];

        /// <summary>Duplicates of a submission stored earlier in this batch, to get its receipt once it has one.</summary>
        public List<(SubmissionRequest Duplicate, SubmissionRequest Original)> DuplicatesInBatch { get; } = [];

        /// <summary>Submissions decided earlier in this batch (by submission id).</summary>
        public Dictionary<long, DecisionState> DecidedSubmissions { get; } = [];

        /// <summary>CRLs stored earlier in this batch.</summary>
        public List<RevocationListRow> RevocationLists { get; } = [];

        /// <summary>Serials whose revocation was logged earlier in this batch.</summary>
        public HashSet<string> RevokedSerials { get; } = new(StringComparer.Ordinal);
    }

    private sealed record KnownSubmission(
        string StationCode, int Revision, byte[] PayloadSha256, byte[] EnvelopeSha256, SubmissionStatus Status, long? LogIndex, DateTimeOffset ReceivedAt, byte[]? Receipt)
    {
        /// <summary>The request that stored this row, when that was earlier in the current batch (no receipt yet).</summary>
        public SubmissionRequest? StoredInBatch { get; init; }

        public static KnownSubmission From(Submission s) =>
            new(s.StationCode, s.Revision, s.PayloadSha256, s.EnvelopeSha256, s.Status, s.LogIndex, s.ReceivedAt, s.ReceiptBytes);
    }

    private abstract class WriteRequest
    {
        /// <summary>Called only after the batch committed.</summary>
        public abstract void Complete();

        public abstract void Unavailable(string reason);

        public abstract void Fail(Exception exception);
    }

    private sealed class SubmissionRequest(PendingSubmission pending, byte[][] attachmentShas, byte[] leafHash) : WriteRequest
    {
        public PendingSubmission Pending { get; } = pending;

        public byte[][] AttachmentShas { get; } = attachmentShas;

        public byte[] LeafHash { get; } = leafHash;

        public SubmissionOutcome? Decided { get; set; }

        public TaskCompletionSource<SubmissionOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Complete() => Completion.TrySetResult(Decided ?? throw new UnreachableException("A committed submission has an outcome."));

        public override void Unavailable(string reason) => Completion.TrySetResult(new StorageUnavailable(reason));

        public override void Fail(Exception exception) => Completion.TrySetException(exception);
    }

    private sealed class DecisionRequest(PendingDecision pending, byte[] leafHash) : WriteRequest
    {
        public PendingDecision Pending { get; } = pending;

        public byte[] LeafHash { get; } = leafHash;

        public DecisionOutcome? Decided { get; set; }

        public TaskCompletionSource<DecisionOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Complete() => Completion.TrySetResult(Decided ?? throw new UnreachableException("A committed decision has an outcome."));

        public override void Unavailable(string reason) => Completion.TrySetResult(new DecisionStorageUnavailable(reason));

        public override void Fail(Exception exception) => Completion.TrySetException(exception);
    }

    private sealed class CheckpointRequest : WriteRequest
    {
        public string? Note { get; set; }

        public TaskCompletionSource<string?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Complete() => Completion.TrySetResult(Note);

        public override void Unavailable(string reason) =>
            Completion.TrySetException(new InvalidOperationException($"Central's storage is unavailable ({reason}): no checkpoint could be signed."));

        public override void Fail(Exception exception) => Completion.TrySetException(exception);
    }

    private sealed class SecurityEventRequest(SecurityEvent securityEvent) : WriteRequest
    {
        public SecurityEvent Event { get; } = securityEvent;

        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Complete() => Completion.TrySetResult(true);

        public override void Unavailable(string reason) => Completion.TrySetResult(false);

        public override void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}
