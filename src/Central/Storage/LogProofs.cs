using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Transmission.Core.Log;

namespace Transmission.Central.Storage;

/// <summary>
/// Read side of the transparency log for auditors and stations: the latest signed checkpoint and inclusion and
/// consistency proofs from the stored nodes (O(log n) primary-key reads each). Proofs are only given for sizes up to
/// the latest signed checkpoint, so every answer can be checked against a signed root.
/// </summary>
public sealed class LogProofs(DbContextOptions<CentralDbContext> dbOptions)
{
    /// <summary>The latest signed checkpoint, or null when none was signed yet (a store without a log issuer).</summary>
    public async Task<CheckpointRow?> LatestCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var db = new CentralDbContext(dbOptions);
        return await LatestAsync(db, cancellationToken);
    }

    /// <summary>
    /// The inclusion proof of leaf <paramref name="index"/> in the tree of <paramref name="treeSize"/> entries (0: the
    /// latest checkpoint's), or why not.
    /// </summary>
    public async Task<LogProofResult> InclusionProofAsync(long index, long treeSize, CancellationToken cancellationToken)
    {
        await using var db = new CentralDbContext(dbOptions);
        var latest = await LatestAsync(db, cancellationToken);
        if (Size(latest, treeSize) is not { } size)
        {
            return LogProofResult.Refused(LogProofFailure.SizeBeyondCheckpoint, SizeProblem(latest, treeSize));
        }

        if (index < 0 || index >= size)
        {
            return LogProofResult.Refused(LogProofFailure.IndexOutOfRange, $"index {index} is not in a tree of {size} entries.");
        }

        return await ProveAsync(db, size, index, tree => MerkleProofs.InclusionProof(tree, index, size), cancellationToken);
    }

    /// <summary>
    /// As <see cref="InclusionProofAsync(long, long, CancellationToken)"/> for the first entry whose leaf hash is
    /// <paramref name="leafHash"/>.
    /// </summary>
    public async Task<LogProofResult> InclusionProofAsync(byte[] leafHash, long treeSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        long? index;
        await using (var db = new CentralDbContext(dbOptions))
        {
            index = await db.LogEntries.AsNoTracking().Where(e => e.EntrySha256 == leafHash).OrderBy(e => e.Index)
                .Select(e => (long?)e.Index).FirstOrDefaultAsync(cancellationToken);
        }

        return index is { } found
            ? await InclusionProofAsync(found, treeSize, cancellationToken)
            : LogProofResult.Refused(LogProofFailure.EntryUnknown, "no log entry has this leaf hash.");
    }

    /// <summary>
    /// The consistency proof from the tree of <paramref name="firstSize"/> entries to the tree of
    /// <paramref name="secondSize"/> (0: the latest checkpoint's), or why not.
    /// </summary>
    public async Task<LogProofResult> ConsistencyProofAsync(long firstSize, long secondSize, CancellationToken cancellationToken)
    {
        await using var db = new CentralDbContext(dbOptions);
        var latest = await LatestAsync(db, cancellationToken);
        if (Size(latest, secondSize) is not { } size)
        {
            return LogProofResult.Refused(LogProofFailure.SizeBeyondCheckpoint, SizeProblem(latest, secondSize));
        }

        if (firstSize < 0 || firstSize > size)
        {
            return LogProofResult.Refused(LogProofFailure.IndexOutOfRange, $"first size {firstSize} is above the second size {size}.");
        }

        return await ProveAsync(db, size, firstSize, tree => MerkleProofs.ConsistencyProof(tree, firstSize, size), cancellationToken);
    }

    private static async Task<CheckpointRow?> LatestAsync(CentralDbContext db, CancellationToken cancellationToken) =>
        await db.Checkpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync(cancellationToken);

    private static long? Size(CheckpointRow? latest, long requested) => latest switch
    {
        null => null,
        _ when requested == 0 => latest.TreeSize,
        _ when requested > 0 && requested <= latest.TreeSize => requested,
        _ => null,
    };

    private static string SizeProblem(CheckpointRow? latest, long requested) => latest is null
        ? "the log has no signed checkpoint yet."
        : $"tree size {requested} is beyond the latest signed checkpoint ({latest.TreeSize}).";

    private static async Task<LogProofResult> ProveAsync(CentralDbContext db, long size, long first, Func<IMerkleNodeReader, IReadOnlyList<byte[]>> prove, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        DbConnection connection = db.Database.GetDbConnection();
        using var tree = new StoredMerkleTree(connection, transaction: null, size);
        return LogProofResult.Ok(first, size, prove(tree));
    }
}

/// <summary>Why a proof was not given.</summary>
public enum LogProofFailure
{
    /// <summary>The size asked for is beyond the latest signed checkpoint (or there is none).</summary>
    SizeBeyondCheckpoint,

    /// <summary>The index or first size is not inside the tree.</summary>
    IndexOutOfRange,

    /// <summary>No entry has the leaf hash asked for.</summary>
    EntryUnknown,
}

/// <summary>A proof (its hashes and the index or first size and tree size it is for) or a refusal.</summary>
public sealed record LogProofResult(long First, long Size, IReadOnlyList<byte[]> Hashes, LogProofFailure? Failure, string Detail)
{
    /// <summary>A proof for <paramref name="first"/> (index or first size) in the tree of <paramref name="size"/>.</summary>
    public static LogProofResult Ok(long first, long size, IReadOnlyList<byte[]> hashes) => new(first, size, hashes, null, string.Empty);

    /// <summary>A refusal.</summary>
    public static LogProofResult Refused(LogProofFailure failure, string detail) => new(0, 0, [], failure, detail);
}
