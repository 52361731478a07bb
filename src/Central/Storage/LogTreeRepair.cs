using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Transmission.Core.Log;

namespace Transmission.Central.Storage;

/// <summary>
/// Start-up check that every complete subtree of the stored log has its <see cref="MerkleNode"/> row (n − popcount(n)
/// rows for n entries). A database written before the Merkle store existed has entries but no nodes: the missing
/// ones are computed from the stored leaf hashes once, in one transaction. Existing nodes are never rewritten.
/// </summary>
internal static class LogTreeRepair
{
    /// <summary>Adds the missing nodes; returns how many were added (0 for a complete tree).</summary>
    /// <remarks>
    /// Counted and repaired inside one transaction holding the log's write lock (PostgreSQL: the advisory lock every
    /// batch takes; SQLite: BEGIN IMMEDIATE), so a second Central starting at the same time, or one already writing,
    /// cannot append or add the same nodes in between.
    /// </remarks>
    public static int AddMissingNodes(CentralDbContext db, TimeSpan lockTimeout)
    {
        ArgumentNullException.ThrowIfNull(db);
        using var transaction = db.Database.BeginTransaction();
        PostgreSqlDatabase.TakeWriteLockAsync(db.Database, lockTimeout, CancellationToken.None).GetAwaiter().GetResult();
        var size = db.LogEntries.LongCount();
        var expected = size - BitOperations.PopCount((ulong)size);
        if (db.MerkleNodes.LongCount() == expected)
        {
            return 0;
        }

        var existing = db.MerkleNodes.AsNoTracking().Select(n => new { n.Level, n.Index }).AsEnumerable()
            .Select(n => (n.Level, n.Index)).ToHashSet();
        var tree = new MerkleTree();
        foreach (var leaf in db.LogEntries.AsNoTracking().OrderBy(e => e.Index).Select(e => e.EntrySha256).AsEnumerable())
        {
            tree.AppendLeafHash(leaf);
        }

        var added = 0;
        for (var level = 1; (1L << level) <= size; level++)
        {
            for (long index = 0; (index + 1) << level <= size; index++)
            {
                if (!existing.Contains((level, index)))
                {
                    db.MerkleNodes.Add(new MerkleNode { Level = level, Index = index, Hash = tree.NodeHash(level, index) });
                    added++;
                }
            }
        }

        db.SaveChanges();
        transaction.Commit();
        return added;
    }
}
