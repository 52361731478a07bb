using System.Security.Cryptography;
using Transmission.Core.Log;
using Transmission.Station.Sending;

namespace Transmission.Station.Tests.Sending;

/// <summary>The station's check of Central's latest checkpoint and consistency proof against a checkpoint it holds.</summary>
public sealed class LogWitnessTests : IDisposable
{
    private static readonly string Origin = LogEntryTypes.Origin("ks-witness");
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly MerkleTree _tree = new();

    public LogWitnessTests()
    {
        for (var i = 0; i < 13; i++)
        {
            _tree.Append([(byte)i]);
        }
    }

    private CheckpointKey Key => new(Origin, _key);

    public void Dispose() => _key.Dispose();

    [Fact]
    public void Check_LatestExtendsTheHeldCheckpoint_Valid()
    {
        var check = LogWitness.Check(Held(5), Note(13), _tree.ConsistencyProof(5, 13), Key);

        Assert.Null(check.ReasonCode);
        Assert.Equal(13, check.Latest!.TreeSize);
    }

    [Fact]
    public void Check_SameSizeSameRoot_Valid()
    {
        var check = LogWitness.Check(Held(13), Note(13), [], Key);

        Assert.Equal(13, check.Latest!.TreeSize);
    }

    [Fact]
    public void Check_NoteSignedByAnotherKey_CheckpointInvalid()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var note = CheckpointNote.Sign(new Checkpoint(Origin, 13, _tree.Root(13)), Origin, other);

        var check = LogWitness.Check(Held(5), note, _tree.ConsistencyProof(5, 13), Key);

        Assert.Equal(LogWitness.CheckpointInvalid, check.ReasonCode);
        Assert.StartsWith("SIGNATURE_MISSING", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LatestSmallerThanHeld_Shrank()
    {
        var check = LogWitness.Check(Held(13), Note(5), [], Key);

        Assert.Equal(LogWitness.Shrank, check.ReasonCode);
        Assert.Equal("Central's log has 5 entries, fewer than the 13 of a checkpoint it signed before", check.Detail);
    }

    [Fact]
    public void Check_HeldCheckpointOfAnotherTree_Inconsistent()
    {
        var held = new Checkpoint(Origin, 5, SHA256.HashData("another tree"u8));

        var check = LogWitness.Check(held, Note(13), _tree.ConsistencyProof(5, 13), Key);

        Assert.Equal(LogWitness.Inconsistent, check.ReasonCode);
        Assert.Contains("ROOT_MISMATCH", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ProofElementAltered_Inconsistent()
    {
        var proof = _tree.ConsistencyProof(5, 13).Select(h => (byte[])h.Clone()).ToArray();
        proof[^1][3] ^= 0x40;

        var check = LogWitness.Check(Held(5), Note(13), proof, Key);

        Assert.Equal(LogWitness.Inconsistent, check.ReasonCode);
    }

    [Fact]
    public void Check_SameSizeDifferentRoot_Inconsistent()
    {
        var held = new Checkpoint(Origin, 13, SHA256.HashData("split view"u8));

        var check = LogWitness.Check(held, Note(13), [], Key);

        Assert.Equal(LogWitness.Inconsistent, check.ReasonCode);
    }

    private Checkpoint Held(long size) => new(Origin, size, _tree.Root(size));

    private string Note(long size) => CheckpointNote.Sign(new Checkpoint(Origin, size, _tree.Root(size)), Origin, _key);
}
