using Transmission.Core.Log;

namespace Transmission.Core.Tests.Log;

/// <summary>Seeded random trees of 1..64 leaves checked against a naive recursive RFC 9162 MTH.</summary>
public sealed class MerklePropertyTests
{
    private const int Seed = 9162;
    private const int MaxSize = 64;

    [Fact]
    public void Root_RandomTrees1To64_MatchesNaiveRecursiveHash()
    {
        var (tree, entries) = RandomTree();
        for (int size = 0; size <= MaxSize; size++)
        {
            Assert.Equal(NaiveRoot(entries, 0, size), tree.Root(size));
        }
    }

    [Fact]
    public void InclusionProof_EveryLeafOfEverySize_Verifies()
    {
        var (tree, entries) = RandomTree();
        var checkedProofs = 0;
        for (int size = 1; size <= MaxSize; size++)
        {
            var root = tree.Root(size);
            for (int index = 0; index < size; index++)
            {
                var proof = tree.InclusionProof(index, size);
                var result = MerkleProofs.VerifyInclusion(MerkleHash.LeafHash(entries[index]), index, size, proof, root);
                Assert.True(result.IsValid, $"{index}/{size}: {result}");
                checkedProofs++;
            }
        }

        Assert.Equal(MaxSize * (MaxSize + 1) / 2, checkedProofs);
    }

    [Fact]
    public void ConsistencyProof_EveryPairOfSizes_Verifies()
    {
        var (tree, _) = RandomTree();
        for (int newSize = 1; newSize <= MaxSize; newSize++)
        {
            var newRoot = tree.Root(newSize);
            for (int oldSize = 0; oldSize <= newSize; oldSize++)
            {
                var proof = tree.ConsistencyProof(oldSize, newSize);
                var result = MerkleProofs.VerifyConsistency(oldSize, newSize, proof, tree.Root(oldSize), newRoot);
                Assert.True(result.IsValid, $"{oldSize} -> {newSize}: {result}");
            }
        }
    }

    [Fact]
    public void ConsistencyProof_AgainstAnotherTree_DoesNotVerify()
    {
        var (tree, _) = RandomTree();
        var other = new MerkleTree();
        for (int i = 0; i < MaxSize; i++)
        {
            other.Append([(byte)i, 0xEE]);
        }

        for (int oldSize = 1; oldSize < MaxSize; oldSize += 7)
        {
            var proof = tree.ConsistencyProof(oldSize, MaxSize);
            Assert.False(MerkleProofs.VerifyConsistency(oldSize, MaxSize, proof, other.Root(oldSize), tree.Root()).IsValid);
        }
    }

    [Fact]
    public void Proofs_LargeTree_ReadLogarithmicallyManyNodes()
    {
        var tree = new MerkleTree();
        for (int i = 0; i < 100_000; i++)
        {
            tree.AppendLeafHash(MerkleHash.LeafHash(BitConverter.GetBytes(i)));
        }

        var counting = new CountingReader(tree);
        MerkleProofs.InclusionProof(counting, 12_345, 99_999);
        MerkleProofs.ConsistencyProof(counting, 33_333, 99_999);
        MerkleProofs.Root(counting, 99_999);

        // log2(100,000) ≈ 17; each operation reads O(log n) nodes.
        Assert.InRange(counting.Reads, 1, 3 * 2 * 17);
    }

    private static (MerkleTree Tree, List<byte[]> Entries) RandomTree()
    {
        var random = new Random(Seed);
        var tree = new MerkleTree();
        var entries = new List<byte[]>();
        for (int i = 0; i < MaxSize; i++)
        {
            var entry = new byte[random.Next(0, 40)];
            random.NextBytes(entry);
            entries.Add(entry);
            Assert.Equal(i, tree.Append(entry));
        }

        return (tree, entries);
    }

    // MTH straight from RFC 9162 §2.1.1, recomputing everything.
    private static byte[] NaiveRoot(List<byte[]> entries, int start, int n)
    {
        if (n == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        if (n == 1)
        {
            return MerkleHash.LeafHash(entries[start]);
        }

        int k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return MerkleHash.NodeHash(NaiveRoot(entries, start, k), NaiveRoot(entries, start + k, n - k));
    }

    private sealed class CountingReader(IMerkleNodeReader inner) : IMerkleNodeReader
    {
        public int Reads { get; private set; }

        public long Size => inner.Size;

        public byte[] NodeHash(int level, long index)
        {
            Reads++;
            return inner.NodeHash(level, index);
        }
    }
}
