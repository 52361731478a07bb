using System.Numerics;
using System.Security.Cryptography;

namespace Transmission.Core.Log;

/// <summary>
/// Roots, inclusion proofs and consistency proofs (RFC 9162 §2.1.1, §2.1.3.1 PATH, §2.1.4.1 PROOF/SUBPROOF) over an
/// <see cref="IMerkleNodeReader"/>, and their verifiers (§2.1.3.2, §2.1.4.2). Producing reads O(log n) nodes;
/// verifying returns a <see cref="ProofVerification"/> and never throws for bad input.
/// </summary>
public static class MerkleProofs
{
    /// <summary>MTH(D[0:size]): the root of the first <paramref name="size"/> leaves; <see cref="MerkleHash.EmptyRoot"/> for 0.</summary>
    public static byte[] Root(IMerkleNodeReader tree, long size)
    {
        ArgumentNullException.ThrowIfNull(tree);
        CheckSize(tree, size);
        return size == 0 ? MerkleHash.EmptyRoot() : SubtreeHash(tree, 0, size);
    }

    /// <summary>PATH(index, D[0:size]) as in RFC 9162 §2.1.3.1: sibling hashes from the leaf up.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IMerkleNodeReader tree, long index, long size)
    {
        ArgumentNullException.ThrowIfNull(tree);
        CheckSize(tree, size);
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a tree of {size}.");
        }

        var proof = new List<byte[]>();
        Path(tree, index, 0, size, proof);
        return proof;
    }

    /// <summary>
    /// PROOF(oldSize, D[0:newSize]) as in RFC 9162 §2.1.4.1; empty when <paramref name="oldSize"/> is 0 or equals
    /// <paramref name="newSize"/>.
    /// </summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IMerkleNodeReader tree, long oldSize, long newSize)
    {
        ArgumentNullException.ThrowIfNull(tree);
        CheckSize(tree, newSize);
        if (oldSize < 0 || oldSize > newSize)
        {
            throw new ArgumentOutOfRangeException(nameof(oldSize), $"Cannot prove {oldSize} -> {newSize}.");
        }

        var proof = new List<byte[]>();
        if (oldSize > 0 && oldSize < newSize)
        {
            SubProof(tree, oldSize, 0, newSize, true, proof);
        }

        return proof;
    }

    /// <summary>
    /// Verifies that <paramref name="leafHash"/> is leaf <paramref name="index"/> of the tree of
    /// <paramref name="size"/> leaves with root <paramref name="root"/> (RFC 9162 §2.1.3.2).
    /// </summary>
    public static ProofVerification VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long size, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || size < 0 || index >= size)
        {
            return ProofVerification.Fail(ProofFailure.IndexOutOfRange, $"Leaf {index} is not in a tree of {size}.");
        }

        if (leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size || !AllHashes(proof))
        {
            return ProofVerification.Fail(ProofFailure.HashMalformed, "Every hash must be 32 bytes.");
        }

        long fn = index;
        long sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return ProofVerification.Fail(ProofFailure.ProofLengthWrong, "The proof is longer than the path.");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            return ProofVerification.Fail(ProofFailure.ProofLengthWrong, "The proof is shorter than the path.");
        }

        return CryptographicOperations.FixedTimeEquals(r, root)
            ? ProofVerification.Valid
            : ProofVerification.Fail(ProofFailure.RootMismatch, "The proof leads to a different root.");
    }

    /// <summary>
    /// Verifies that the tree of <paramref name="oldSize"/> leaves with root <paramref name="oldRoot"/> is a prefix of
    /// the tree of <paramref name="newSize"/> leaves with root <paramref name="newRoot"/> (RFC 9162 §2.1.4.2).
    /// </summary>
    /// <remarks>
    /// Beyond the RFC (which assumes 0 &lt; old &lt; new): equal sizes need an empty proof and equal roots; old size 0
    /// needs an empty proof and <paramref name="oldRoot"/> equal to the empty-tree root (no "don't care" root).
    /// </remarks>
    public static ProofVerification VerifyConsistency(long oldSize, long newSize, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (oldSize < 0 || oldSize > newSize)
        {
            return ProofVerification.Fail(ProofFailure.SizeInvalid, $"Cannot prove {oldSize} -> {newSize}.");
        }

        if (oldRoot.Length != MerkleHash.Size || newRoot.Length != MerkleHash.Size || !AllHashes(proof))
        {
            return ProofVerification.Fail(ProofFailure.HashMalformed, "Every hash must be 32 bytes.");
        }

        if (oldSize == 0 || oldSize == newSize)
        {
            if (proof.Count != 0)
            {
                return ProofVerification.Fail(ProofFailure.ProofLengthWrong, "The proof must be empty.");
            }

            var expected = oldSize == 0 ? MerkleHash.EmptyRoot() : newRoot.ToArray();
            return CryptographicOperations.FixedTimeEquals(oldRoot, expected)
                ? ProofVerification.Valid
                : ProofVerification.Fail(ProofFailure.RootMismatch, "The roots differ.");
        }

        if (proof.Count == 0)
        {
            return ProofVerification.Fail(ProofFailure.ProofLengthWrong, "The proof is empty.");
        }

        // Step 2: when the old tree is a complete subtree its root is the first node of the path.
        var path = new List<byte[]>(proof.Count + 1);
        if (BitOperations.IsPow2(oldSize))
        {
            path.Add(oldRoot.ToArray());
        }

        path.AddRange(proof);
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        for (int i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return ProofVerification.Fail(ProofFailure.ProofLengthWrong, "The proof is longer than the path.");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.NodeHash(c, fr);
                sr = MerkleHash.NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.NodeHash(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            return ProofVerification.Fail(ProofFailure.ProofLengthWrong, "The proof is shorter than the path.");
        }

        if (!CryptographicOperations.FixedTimeEquals(fr, oldRoot))
        {
            return ProofVerification.Fail(ProofFailure.RootMismatch, "The proof leads to a different old root.");
        }

        return CryptographicOperations.FixedTimeEquals(sr, newRoot)
            ? ProofVerification.Valid
            : ProofVerification.Fail(ProofFailure.RootMismatch, "The proof leads to a different new root.");
    }

    // MTH(D[start:start+n]). In the RFC recursion a left subtree always has a power-of-two size and starts at a
    // multiple of it, so it is one stored node; only the right spine recurses: O(log n) reads.
    private static byte[] SubtreeHash(IMerkleNodeReader tree, long start, long n)
    {
        if (BitOperations.IsPow2(n) && start % n == 0)
        {
            int level = BitOperations.Log2((ulong)n);
            return tree.NodeHash(level, start >> level);
        }

        long k = LargestPowerOfTwoBelow(n);
        return MerkleHash.NodeHash(SubtreeHash(tree, start, k), SubtreeHash(tree, start + k, n - k));
    }

    private static void Path(IMerkleNodeReader tree, long m, long start, long n, List<byte[]> proof)
    {
        if (n == 1)
        {
            return;
        }

        long k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(tree, m, start, k, proof);
            proof.Add(SubtreeHash(tree, start + k, n - k));
        }
        else
        {
            Path(tree, m - k, start + k, n - k, proof);
            proof.Add(SubtreeHash(tree, start, k));
        }
    }

    private static void SubProof(IMerkleNodeReader tree, long m, long start, long n, bool startsAtOldRoot, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!startsAtOldRoot)
            {
                proof.Add(SubtreeHash(tree, start, n));
            }

            return;
        }

        long k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(tree, m, start, k, startsAtOldRoot, proof);
            proof.Add(SubtreeHash(tree, start + k, n - k));
        }
        else
        {
            SubProof(tree, m - k, start + k, n - k, false, proof);
            proof.Add(SubtreeHash(tree, start, k));
        }
    }

    // The largest power of two strictly smaller than n (n > 1), the split point k of RFC 9162 §2.1.1.
    private static long LargestPowerOfTwoBelow(long n) => 1L << BitOperations.Log2((ulong)(n - 1));

    private static void CheckSize(IMerkleNodeReader tree, long size)
    {
        if (size < 0 || size > tree.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"Size {size} is outside a tree of {tree.Size}.");
        }
    }

    private static bool AllHashes(IReadOnlyList<byte[]> proof)
    {
        foreach (var p in proof)
        {
            if (p is null || p.Length != MerkleHash.Size)
            {
                return false;
            }
        }

        return true;
    }
}
