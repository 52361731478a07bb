using System.Data.Common;
using Transmission.Core.Log;

namespace Transmission.Central.Storage;

/// <summary>
/// The log's Merkle tree as stored: leaf hashes in <see cref="LogEntry.EntrySha256"/>, higher complete subtrees in
/// <see cref="MerkleNode"/> rows. Roots and proofs read O(log n) nodes by primary key (<see cref="MerkleProofs"/>);
/// nothing is ever recomputed over the whole tree. The writer appends through it inside its transaction: new leaves
/// and the nodes they complete are held in memory until the batch is saved, so proofs for the batch see them.
/// </summary>
/// <remarks>Not thread-safe: one instance per batch or per request, on one connection.</remarks>
internal sealed class StoredMerkleTree : IMerkleNodeReader, IDisposable
{
    private readonly Dictionary<(int Level, long Index), byte[]> _known = [];
    private readonly List<MerkleNode> _newNodes = [];
    private readonly DbCommand _leafQuery;
    private readonly DbCommand _nodeQuery;
    private readonly DbParameter _leafIndex;
    private readonly DbParameter _nodeLevel;
    private readonly DbParameter _nodeIndex;

    /// <summary>A tree of <paramref name="size"/> stored leaves, read through <paramref name="connection"/> (open).</summary>
    public StoredMerkleTree(DbConnection connection, DbTransaction? transaction, long size)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        Size = size;
        _leafQuery = connection.CreateCommand();
        _leafQuery.Transaction = transaction;
        _leafQuery.CommandText = """SELECT "EntrySha256" FROM "LogEntries" WHERE "Index" = @index""";
        _leafIndex = AddParameter(_leafQuery, "@index");
        _nodeQuery = connection.CreateCommand();
        _nodeQuery.Transaction = transaction;
        _nodeQuery.CommandText = """SELECT "Hash" FROM "MerkleNodes" WHERE "Level" = @level AND "Index" = @index""";
        _nodeLevel = AddParameter(_nodeQuery, "@level");
        _nodeIndex = AddParameter(_nodeQuery, "@index");
    }

    /// <inheritdoc/>
    public long Size { get; private set; }

    /// <summary>The nodes (level ≥ 1) completed by <see cref="Append"/> since this instance was made, to be stored.</summary>
    public IReadOnlyList<MerkleNode> NewNodes => _newNodes;

    /// <summary>Appends a leaf hash as leaf <see cref="Size"/> and returns its index; completed subtrees go to <see cref="NewNodes"/>.</summary>
    public long Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("A leaf hash has 32 bytes.", nameof(leafHash));
        }

        var index = Size;
        _known[(0, index)] = leafHash;
        Size++;

        // Each time the new node is a right child, its parent subtree has just become complete.
        var hash = leafHash;
        var position = index;
        for (var level = 0; (position & 1) == 1; level++)
        {
            hash = MerkleHash.NodeHash(NodeHash(level, position - 1), hash);
            position >>= 1;
            _known[(level + 1, position)] = hash;
            _newNodes.Add(new MerkleNode { Level = level + 1, Index = position, Hash = hash });
        }

        return index;
    }

    /// <inheritdoc/>
    public byte[] NodeHash(int level, long index)
    {
        if (level < 0 || level > 62 || index < 0 || ((index + 1) << level) > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"No complete subtree at level {level}, index {index} in a tree of {Size}.");
        }

        if (_known.TryGetValue((level, index), out var known))
        {
            return known;
        }

        DbCommand query;
        if (level == 0)
        {
            _leafIndex.Value = index;
            query = _leafQuery;
        }
        else
        {
            _nodeLevel.Value = level;
            _nodeIndex.Value = index;
            query = _nodeQuery;
        }

        var hash = query.ExecuteScalar() as byte[]
            ?? throw new InvalidOperationException($"The log's Merkle node at level {level}, index {index} is missing from the database (tree of {Size}).");
        _known[(level, index)] = hash;
        return hash;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _leafQuery.Dispose();
        _nodeQuery.Dispose();
    }

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
