namespace Transmission.Core.Log;

/// <summary>
/// An in-memory append-only Merkle tree that stores, per level, the hashes of its complete subtrees. Appending
/// costs O(log n) hashes; roots and proofs go through <see cref="MerkleProofs"/> in O(log n) reads. Not thread-safe.
/// </summary>
public sealed class MerkleTree : IMerkleNodeReader
{
    // _levels[k][i] is the root of the complete subtree over leaves [i·2^k, (i+1)·2^k).
    private readonly List<List<byte[]>> _levels = [[]];

    /// <inheritdoc/>
    public long Size => _levels[0].Count;

    /// <summary>Appends an entry (hashed as a leaf) and returns its leaf index.</summary>
    public long Append(ReadOnlySpan<byte> entry) => AppendLeafHash(MerkleHash.LeafHash(entry));

    /// <summary>Appends an already computed 32-byte leaf hash and returns its leaf index.</summary>
    public long AppendLeafHash(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("A leaf hash has 32 bytes.", nameof(leafHash));
        }

        long index = Size;
        var hash = (byte[])leafHash.Clone();
        _levels[0].Add(hash);

        // Each time the new node is a right child, its parent subtree has just become complete.
        long position = index;
        for (int level = 0; (position & 1) == 1; level++)
        {
            var left = _levels[level][(int)(position - 1)];
            hash = MerkleHash.NodeHash(left, hash);
            if (_levels.Count == level + 1)
            {
                _levels.Add([]);
            }

            _levels[level + 1].Add(hash);
            position >>= 1;
        }

        return index;
    }

    /// <inheritdoc/>
    public byte[] NodeHash(int level, long index)
    {
        if (level < 0 || level >= _levels.Count || index < 0 || index >= _levels[level].Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"No complete subtree at level {level}, index {index} in a tree of {Size}.");
        }

        return (byte[])_levels[level][(int)index].Clone();
    }

    /// <summary>The root of the tree at <paramref name="size"/> leaves (see <see cref="MerkleProofs.Root"/>).</summary>
    public byte[] Root(long size) => MerkleProofs.Root(this, size);

    /// <summary>The root of the whole tree.</summary>
    public byte[] Root() => MerkleProofs.Root(this, Size);

    /// <summary>The inclusion proof of leaf <paramref name="index"/> in the tree at <paramref name="size"/>.</summary>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size) => MerkleProofs.InclusionProof(this, index, size);

    /// <summary>The consistency proof from the tree at <paramref name="oldSize"/> to the tree at <paramref name="newSize"/>.</summary>
    public IReadOnlyList<byte[]> ConsistencyProof(long oldSize, long newSize) => MerkleProofs.ConsistencyProof(this, oldSize, newSize);
}
