namespace Transmission.Core.Log;

/// <summary>
/// Read access to the complete-subtree hashes of an append-only Merkle tree, so that roots and proofs cost
/// O(log n) reads instead of rehashing the tree (see <see cref="MerkleProofs"/>).
/// </summary>
/// <remarks>
/// Addressing is by level and index: the node at (<c>level</c>, <c>index</c>) is the root of the complete subtree
/// over leaves [index·2^level, (index+1)·2^level). Level 0 holds the leaf hashes. Only complete subtrees exist: a
/// node is readable when (index+1)·2^level ≤ <see cref="Size"/>. A persistent store keeps exactly these nodes
/// (2n − popcount(n) of them for n leaves) and never rewrites one once written.
/// </remarks>
public interface IMerkleNodeReader
{
    /// <summary>The number of leaves currently in the tree.</summary>
    public long Size { get; }

    /// <summary>
    /// The 32-byte hash of the complete subtree at (<paramref name="level"/>, <paramref name="index"/>).
    /// Throws <see cref="ArgumentOutOfRangeException"/> for a node that does not exist (a caller bug).
    /// </summary>
    public byte[] NodeHash(int level, long index);
}
