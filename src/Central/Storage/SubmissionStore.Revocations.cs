using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Transmission.Central.Storage;

/// <summary>The writer's part for CRLs: a stored CRL and the log entries of its new revocations commit together.</summary>
public sealed partial class SubmissionStore
{
    /// <summary>Media type of a revocation log entry's PAE (see <see cref="RevocationRow.EntryBytes"/>).</summary>
    public const string RevocationEntryType = Transmission.Core.Log.LogEntryTypes.Revocation;

    /// <summary>
    /// Queues a CRL Central has put in force for the next batch and returns once that batch committed (or could not).
    /// Inside the transaction: the same CRL already stored → <see cref="RevocationListAlreadyStored"/>; a number lower than
    /// a stored one, or a stored CRL with the same number or bytes but not both → <see cref="RevocationListRefused"/>;
    /// otherwise the row is stored and every revocation whose serial no stored CRL revoked before is appended to the log
    /// with the next gap-free index, in the order given.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The store is shutting down.</exception>
    public async Task<RevocationListOutcome> StoreRevocationListAsync(PendingRevocationList revocationList, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocationList);
        ArgumentNullException.ThrowIfNull(revocationList.Der);
        CheckSha256(revocationList.Sha256, nameof(revocationList.Sha256));
        ArgumentOutOfRangeException.ThrowIfNegative(revocationList.Number, nameof(revocationList));
        var leafHashes = new byte[revocationList.Revocations.Count][];
        for (var i = 0; i < leafHashes.Length; i++)
        {
            leafHashes[i] = LeafHash(revocationList.Revocations[i].EntryBytes);
        }

        var request = new RevocationListRequest(revocationList, leafHashes);
        await EnqueueAsync(request, cancellationToken);
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    private static async Task<RevocationListOutcome> DecideRevocationListAsync(CentralDbContext db, BatchState state, RevocationListRequest request)
    {
        var pending = request.Pending;
        var known = await db.RevocationLists.AsNoTracking()
            .Where(r => r.Number == pending.Number || r.Sha256 == pending.Sha256)
            .Select(r => new { r.Number, r.Sha256 })
            .ToListAsync();
        known.AddRange(state.RevocationLists
            .Where(r => r.Number == pending.Number || r.Sha256.AsSpan().SequenceEqual(pending.Sha256))
            .Select(r => new { r.Number, r.Sha256 }));
        if (known.Any(r => r.Number == pending.Number && r.Sha256.AsSpan().SequenceEqual(pending.Sha256)))
        {
            return new RevocationListAlreadyStored();
        }

        if (known.Count > 0)
        {
            return new RevocationListRefused(CentralDatabase.Invariant($"a stored CRL has number {known[0].Number} or these bytes, but not both (CRL number {pending.Number}, SHA-256 {CentralDatabase.Hex(pending.Sha256)})"));
        }

        var highest = await db.RevocationLists.MaxAsync(r => (long?)r.Number) ?? -1;
        foreach (var row in state.RevocationLists)
        {
            highest = Math.Max(highest, row.Number);
        }

        if (pending.Number < highest)
        {
            return new RevocationListRefused(CentralDatabase.Invariant($"CRL number {pending.Number} is lower than stored CRL number {highest}"));
        }

        var list = new RevocationListRow
        {
            Number = pending.Number,
            Sha256 = pending.Sha256,
            Der = pending.Der,
            ThisUpdate = pending.ThisUpdate,
            LoadedAt = pending.LoadedAt,
        };
        db.RevocationLists.Add(list);
        state.RevocationLists.Add(list);

        var serials = pending.Revocations.Select(r => r.SerialNumber).ToList();
        var logged = new HashSet<string>(state.RevokedSerials, StringComparer.Ordinal);
        foreach (var chunk in serials.Chunk(500))
        {
            logged.UnionWith(await db.Revocations.AsNoTracking().Where(r => chunk.Contains(r.SerialNumber)).Select(r => r.SerialNumber).ToListAsync());
        }

        var appended = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < pending.Revocations.Count; i++)
        {
            var revocation = pending.Revocations[i];
            if (!logged.Add(revocation.SerialNumber))
            {
                continue;
            }

            var index = state.Tree!.Append(request.LeafHashes[i]);
            db.Revocations.Add(new RevocationRow
            {
                SerialNumber = revocation.SerialNumber,
                RevokedAt = revocation.RevokedAt,
                Reason = revocation.Reason,
                SubjectUri = revocation.SubjectUri,
                RevocationList = list,
                LogIndex = index,
                EntryBytes = revocation.EntryBytes,
            });
            db.LogEntries.Add(new LogEntry
            {
                Index = index,
                Kind = LogEntryKind.Revocation,
                EntrySha256 = request.LeafHashes[i],
                Reference = revocation.SerialNumber,
                CreatedAt = pending.LoadedAt,
            });
            state.RevokedSerials.Add(revocation.SerialNumber);
            appended[revocation.SerialNumber] = index;
        }

        return new RevocationListStored(appended);
    }

    private sealed class RevocationListRequest(PendingRevocationList pending, byte[][] leafHashes) : WriteRequest
    {
        public PendingRevocationList Pending { get; } = pending;

        public byte[][] LeafHashes { get; } = leafHashes;

        public RevocationListOutcome? Decided { get; set; }

        public TaskCompletionSource<RevocationListOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Complete() => Completion.TrySetResult(Decided ?? throw new UnreachableException("A committed CRL has an outcome."));

        public override void Unavailable(string reason) => Completion.TrySetResult(new RevocationListStorageUnavailable(reason));

        public override void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}
