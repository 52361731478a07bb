using System.Text.Json;
using Transmission.Core.Log;

namespace Transmission.Core.Tests.Log;

/// <summary>
/// The RFC 6962 reference tree and proofs from transparency-dev/merkle proof/verify_test.go (source and commit in
/// TestData/merkle/README.md), with upstream's mutation cases (corruptInclusionProof / corruptConsistencyProof).
/// </summary>
public sealed class MerkleVectorTests
{
    private static readonly Vectors Data = Load();

    public static TheoryData<int> InclusionCases => new(Enumerable.Range(0, Data.Inclusion.Count));

    public static TheoryData<int> ConsistencyCases => new(Enumerable.Range(0, Data.Consistency.Count));

    [Fact]
    public void Vectors_Loaded_CountsAsInReadme()
    {
        Assert.Equal(8, Data.Leaves.Count);
        Assert.Equal(8, Data.Roots.Count);
        Assert.Equal(5, Data.Inclusion.Count);
        Assert.Equal(5, Data.Consistency.Count);
    }

    [Fact]
    public void EmptyRoot_Always_IsSha256OfEmptyString()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleHash.EmptyRoot()));
        Assert.Equal(MerkleHash.EmptyRoot(), new MerkleTree().Root());
    }

    [Fact]
    public void Root_ReferenceTree_MatchesEveryVectorRoot()
    {
        var tree = BuildTree();
        for (int size = 1; size <= 8; size++)
        {
            Assert.Equal(Data.Roots[size - 1], tree.Root(size));
        }
    }

    [Theory]
    [MemberData(nameof(InclusionCases))]
    public void InclusionProof_ReferenceTree_EqualsVectorAndVerifies(int i)
    {
        var v = Data.Inclusion[i];
        var tree = BuildTree();
        var index = v.Leaf - 1;
        var leafHash = MerkleHash.LeafHash(Data.Leaves[(int)index]);
        var root = Data.Roots[(int)v.Size - 1];

        Assert.Equal(v.Proof, tree.InclusionProof(index, v.Size));
        var result = MerkleProofs.VerifyInclusion(leafHash, index, v.Size, v.Proof, root);
        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [MemberData(nameof(InclusionCases))]
    public void VerifyInclusion_UpstreamMutations_AllFail(int i)
    {
        var v = Data.Inclusion[i];
        var index = v.Leaf - 1;
        var leafHash = MerkleHash.LeafHash(Data.Leaves[(int)index]);
        var root = Data.Roots[(int)v.Size - 1];
        var proof = v.Proof;
        var someHash = Convert.FromHexString("abacaba000000000000000000000000000000000000000000060061e00123456");

        var probes = new List<(string Name, long Index, long Size, byte[] Leaf, IReadOnlyList<byte[]> Proof, byte[] Root)>
        {
            ("index - 1", index - 1, v.Size, leafHash, proof, root),
            ("index + 1", index + 1, v.Size, leafHash, proof, root),
            ("index ^ 2", index ^ 2, v.Size, leafHash, proof, root),
            ("size * 2", index, v.Size * 2, leafHash, proof, root),
            ("size / 2", index, v.Size / 2, leafHash, proof, root),
            ("wrong leaf", index, v.Size, "WrongLeaf"u8.ToArray(), proof, root),
            ("other leaf hash", index, v.Size, someHash, proof, root),
            ("empty root", index, v.Size, leafHash, proof, MerkleHash.EmptyRoot()),
            ("random root", index, v.Size, leafHash, proof, someHash),
            ("trailing garbage", index, v.Size, leafHash, [.. proof, Array.Empty<byte>()], root),
            ("trailing root", index, v.Size, leafHash, [.. proof, root], root),
            ("preceding garbage", index, v.Size, leafHash, [Array.Empty<byte>(), .. proof], root),
            ("preceding root", index, v.Size, leafHash, [root, .. proof], root),
        };
        for (int e = 0; e < proof.Count; e++)
        {
            probes.Add(($"modified proof[{e}] bit 3", index, v.Size, leafHash, FlipBit(proof, e, 8), root));
        }

        if (proof.Count > 0)
        {
            probes.Add(("removed component", index, v.Size, leafHash, proof.Take(proof.Count - 1).ToList(), root));
        }

        if (proof.Count > 1)
        {
            probes.Add(("inserted component", index, v.Size, leafHash, [proof[0], someHash, .. proof.Skip(1)], root));
        }

        var accepted = probes
            .Where(p => MerkleProofs.VerifyInclusion(p.Leaf, p.Index, p.Size, p.Proof, p.Root).IsValid)
            .Select(p => p.Name)
            .ToList();
        Assert.Empty(accepted);
    }

    [Theory]
    [MemberData(nameof(ConsistencyCases))]
    public void ConsistencyProof_ReferenceTree_EqualsVectorAndVerifies(int i)
    {
        var v = Data.Consistency[i];
        var tree = BuildTree();

        Assert.Equal(v.Proof, tree.ConsistencyProof(v.Size1, v.Size2));
        var result = MerkleProofs.VerifyConsistency(v.Size1, v.Size2, v.Proof, Data.Roots[(int)v.Size1 - 1], Data.Roots[(int)v.Size2 - 1]);
        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [MemberData(nameof(ConsistencyCases))]
    public void VerifyConsistency_UpstreamMutations_AllFail(int i)
    {
        var v = Data.Consistency[i];
        if (v.Proof.Count == 0)
        {
            // Upstream mutates only non-trivial proofs; the 1 -> 1 case is covered by the next test.
            return;
        }

        var root1 = Data.Roots[(int)v.Size1 - 1];
        var root2 = Data.Roots[(int)v.Size2 - 1];
        var proof = v.Proof;
        var wrongRoot = "WrongRoot"u8.ToArray();
        var probes = new List<(string Name, long Size1, long Size2, IReadOnlyList<byte[]> Proof, byte[] Root1, byte[] Root2)>
        {
            ("size1 - 1", v.Size1 - 1, v.Size2, proof, root1, root2),
            ("size1 + 1", v.Size1 + 1, v.Size2, proof, root1, root2),
            ("size1 ^ 2", v.Size1 ^ 2, v.Size2, proof, root1, root2),
            ("size2 * 2", v.Size1, v.Size2 * 2, proof, root1, root2),
            ("size2 / 2", v.Size1, v.Size2 / 2, proof, root1, root2),
            ("wrong root1", v.Size1, v.Size2, proof, wrongRoot, root2),
            ("wrong root2", v.Size1, v.Size2, proof, root1, wrongRoot),
            ("other root1", v.Size1, v.Size2, proof, MerkleHash.EmptyRoot(), root2),
            ("other root2", v.Size1, v.Size2, proof, root1, MerkleHash.EmptyRoot()),
            ("swapped roots", v.Size1, v.Size2, proof, root2, root1),
            ("empty proof", v.Size1, v.Size2, [], root1, root2),
            ("trailing garbage", v.Size1, v.Size2, [.. proof, Array.Empty<byte>()], root1, root2),
            ("trailing root1", v.Size1, v.Size2, [.. proof, root1], root1, root2),
            ("trailing root2", v.Size1, v.Size2, [.. proof, root2], root1, root2),
            ("preceding garbage", v.Size1, v.Size2, [Array.Empty<byte>(), .. proof], root1, root2),
            ("preceding root1", v.Size1, v.Size2, [root1, .. proof], root1, root2),
            ("preceding root2", v.Size1, v.Size2, [root2, .. proof], root1, root2),
            ("preceding proof[0]", v.Size1, v.Size2, [proof[0], .. proof], root1, root2),
            ("truncated proof", v.Size1, v.Size2, proof.Take(proof.Count - 1).ToList(), root1, root2),
        };
        for (int e = 0; e < proof.Count; e++)
        {
            probes.Add(($"modified proof[{e}] bit 4", v.Size1, v.Size2, FlipBit(proof, e, 16), root1, root2));
        }

        var accepted = probes
            .Where(p => MerkleProofs.VerifyConsistency(p.Size1, p.Size2, p.Proof, p.Root1, p.Root2).IsValid)
            .Select(p => p.Name)
            .ToList();
        Assert.Empty(accepted);
    }

    [Fact]
    public void VerifyConsistency_TrivialSizes_StrictAboutRootsAndProof()
    {
        var empty = MerkleHash.EmptyRoot();
        var root1 = Data.Roots[0];
        Assert.True(MerkleProofs.VerifyConsistency(0, 0, [], empty, empty).IsValid);
        Assert.True(MerkleProofs.VerifyConsistency(0, 1, [], empty, root1).IsValid);
        Assert.True(MerkleProofs.VerifyConsistency(1, 1, [], root1, root1).IsValid);

        Assert.Equal(ProofFailure.RootMismatch, MerkleProofs.VerifyConsistency(1, 1, [], root1, empty).Failure);
        Assert.Equal(ProofFailure.RootMismatch, MerkleProofs.VerifyConsistency(0, 1, [], root1, root1).Failure);
        Assert.Equal(ProofFailure.ProofLengthWrong, MerkleProofs.VerifyConsistency(1, 1, [empty], root1, root1).Failure);
        Assert.Equal(ProofFailure.ProofLengthWrong, MerkleProofs.VerifyConsistency(0, 1, [empty], empty, root1).Failure);
        Assert.Equal(ProofFailure.SizeInvalid, MerkleProofs.VerifyConsistency(2, 1, [], root1, root1).Failure);
        Assert.Equal(ProofFailure.SizeInvalid, MerkleProofs.VerifyConsistency(-1, 1, [], root1, root1).Failure);
        Assert.Equal(ProofFailure.ProofLengthWrong, MerkleProofs.VerifyConsistency(1, 2, [], root1, Data.Roots[1]).Failure);
    }

    [Fact]
    public void VerifyInclusion_OutOfRangeOrMalformed_ReasonCodes()
    {
        var hash = MerkleHash.LeafHash("data"u8);
        Assert.True(MerkleProofs.VerifyInclusion(hash, 0, 1, [], hash).IsValid);
        Assert.Equal("INDEX_OUT_OF_RANGE", MerkleProofs.VerifyInclusion(hash, 0, 0, [], hash).ReasonCode);
        Assert.Equal("INDEX_OUT_OF_RANGE", MerkleProofs.VerifyInclusion(hash, 1, 1, [], hash).ReasonCode);
        Assert.Equal("INDEX_OUT_OF_RANGE", MerkleProofs.VerifyInclusion(hash, -1, 1, [], hash).ReasonCode);
        Assert.Equal("HASH_MALFORMED", MerkleProofs.VerifyInclusion([], 0, 1, [], hash).ReasonCode);
        Assert.Equal("HASH_MALFORMED", MerkleProofs.VerifyInclusion(hash, 0, 1, [], []).ReasonCode);
        Assert.Equal("PROOF_LENGTH_WRONG", MerkleProofs.VerifyInclusion(hash, 0, 1, [hash], hash).ReasonCode);
        Assert.Equal("ROOT_MISMATCH", MerkleProofs.VerifyInclusion(hash, 0, 1, [], MerkleHash.EmptyRoot()).ReasonCode);
    }

    private static MerkleTree BuildTree()
    {
        var tree = new MerkleTree();
        foreach (var leaf in Data.Leaves)
        {
            tree.Append(leaf);
        }

        return tree;
    }

    private static List<byte[]> FlipBit(IReadOnlyList<byte[]> proof, int element, byte mask)
    {
        var copy = proof.Select(p => (byte[])p.Clone()).ToList();
        copy[element][0] ^= mask;
        return copy;
    }

    private static Vectors Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData/merkle/rfc6962-vectors.json")));
        var root = document.RootElement;
        static byte[] Hex(JsonElement e) => Convert.FromHexString(e.GetString()!);
        static List<byte[]> Proof(JsonElement e) => e.GetProperty("proof").EnumerateArray().Select(Hex).ToList();
        return new Vectors(
            root.GetProperty("leaves").EnumerateArray().Select(Hex).ToList(),
            root.GetProperty("roots").EnumerateArray().Select(Hex).ToList(),
            root.GetProperty("inclusion").EnumerateArray()
                .Select(e => new InclusionVector(e.GetProperty("leaf").GetInt64(), e.GetProperty("size").GetInt64(), Proof(e))).ToList(),
            root.GetProperty("consistency").EnumerateArray()
                .Select(e => new ConsistencyVector(e.GetProperty("size1").GetInt64(), e.GetProperty("size2").GetInt64(), Proof(e))).ToList());
    }

    private sealed record InclusionVector(long Leaf, long Size, IReadOnlyList<byte[]> Proof);

    private sealed record ConsistencyVector(long Size1, long Size2, IReadOnlyList<byte[]> Proof);

    private sealed record Vectors(IReadOnlyList<byte[]> Leaves, IReadOnlyList<byte[]> Roots, IReadOnlyList<InclusionVector> Inclusion, IReadOnlyList<ConsistencyVector> Consistency);
}
