using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Transmission.Core.Log;

namespace Transmission.Benchmarks;

/// <summary>
/// The transparency log's math (RFC 9162): appending a leaf to a tree of a night's size, and the inclusion and
/// consistency proofs a receipt and an auditor need, on an in-memory tree of <see cref="Size"/> leaves.
/// </summary>
[MemoryDiagnoser]
public class MerkleBenchmarks
{
    private MerkleTree _tree = null!;
    private byte[] _entry = null!;
    private long _index;

    [Params(2_533, 500_000)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tree = new MerkleTree();
        _entry = RandomNumberGenerator.GetBytes(32);
        for (var i = 0; i < Size; i++)
        {
            _tree.Append(BitConverter.GetBytes(i));
        }

        _index = Size / 3;
    }

    /// <summary>Leaf hash + append (the tree grows during the run; O(log n) either way).</summary>
    [Benchmark]
    public long Append() => _tree.Append(_entry);

    [Benchmark]
    public int InclusionProof() => _tree.InclusionProof(_index, Size).Count;

    [Benchmark]
    public int ConsistencyProof() => _tree.ConsistencyProof(Size / 2, Size).Count;

    [Benchmark]
    public bool InclusionProof_Verify()
    {
        var proof = _tree.InclusionProof(_index, Size);
        return MerkleProofs.VerifyInclusion(_tree.NodeHash(0, _index), _index, Size, proof, _tree.Root(Size)).IsValid;
    }
}
