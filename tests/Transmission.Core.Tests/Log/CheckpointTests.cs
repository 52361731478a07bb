using System.Buffers.Binary;
using System.Security.Cryptography;
using Transmission.Core.Log;

namespace Transmission.Core.Tests.Log;

/// <summary>C2SP tlog-checkpoint text, signed-note signatures (our ECDSA P-256 type) and the consistency guard.</summary>
public sealed class CheckpointTests : IDisposable
{
    private const string Origin = "transmission.example/log/test";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    [Fact]
    public void ToNoteText_Checkpoint_IsC2spFormat()
    {
        var root = new byte[32];
        root[0] = 0xAB;
        var checkpoint = new Checkpoint(Origin, 20852163, root);
        Assert.Equal($"{Origin}\n20852163\n{Convert.ToBase64String(root)}\n", checkpoint.ToNoteText());
    }

    [Fact]
    public void Parse_FormattedCheckpoint_RoundTrips()
    {
        var checkpoint = new Checkpoint(Origin, 42, SampleRoot(), ["ext one", "ext-two"]);
        var parsed = Checkpoint.Parse(checkpoint.ToNoteText());

        Assert.True(parsed.IsValid, parsed.ToString());
        Assert.Equal(Origin, parsed.Checkpoint.Origin);
        Assert.Equal(42, parsed.Checkpoint.TreeSize);
        Assert.Equal(SampleRoot(), parsed.Checkpoint.RootHash);
        Assert.Equal(["ext one", "ext-two"], parsed.Checkpoint.Extensions);
        Assert.Equal(checkpoint.ToNoteText(), parsed.Checkpoint.ToNoteText());
    }

    [Fact]
    public void Parse_UpstreamExample_Parses()
    {
        // The example in C2SP tlog-checkpoint.md.
        var parsed = Checkpoint.Parse("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
        Assert.True(parsed.IsValid, parsed.ToString());
        Assert.Equal(20852163, parsed.Checkpoint.TreeSize);
    }

    [Theory]
    [InlineData("")]
    [InlineData("o\n1\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("o\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("o\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("o\n+1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("o\n 1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("o\n99999999999999999999\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n")]
    [InlineData("o\r\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    public void Parse_MalformedText_CheckpointMalformed(string text)
    {
        var parsed = Checkpoint.Parse(text);
        Assert.False(parsed.IsValid);
        Assert.Equal("CHECKPOINT_MALFORMED", parsed.ReasonCode);
    }

    [Fact]
    public void Verify_SignedNote_Verifies()
    {
        var checkpoint = new Checkpoint(Origin, 7, SampleRoot());
        var note = CheckpointNote.Sign(checkpoint, Origin, _key);

        Assert.StartsWith(checkpoint.ToNoteText() + "\n\u2014 " + Origin + " ", note, StringComparison.Ordinal);
        var signature = Convert.FromBase64String(note.TrimEnd('\n').Split(' ')[^1]);
        Assert.Equal(4 + 64, signature.Length);
        var key = new CheckpointKey(Origin, _key);
        Assert.Equal(key.KeyId, BinaryPrimitives.ReadUInt32BigEndian(signature));

        var result = CheckpointNote.Verify(note, key);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(7, result.Checkpoint.TreeSize);
        Assert.Equal(SampleRoot(), result.Checkpoint.RootHash);
    }

    [Fact]
    public void Verify_TamperedSize_SignatureInvalid()
    {
        var note = CheckpointNote.Sign(new Checkpoint(Origin, 7, SampleRoot()), Origin, _key);
        var tampered = note.Replace("\n7\n", "\n8\n", StringComparison.Ordinal);
        Assert.NotEqual(note, tampered);
        Assert.Equal("SIGNATURE_INVALID", CheckpointNote.Verify(tampered, new CheckpointKey(Origin, _key)).ReasonCode);
    }

    [Fact]
    public void Verify_TamperedRoot_SignatureInvalid()
    {
        var note = CheckpointNote.Sign(new Checkpoint(Origin, 7, SampleRoot()), Origin, _key);
        var otherRoot = SampleRoot();
        otherRoot[31] ^= 1;
        var tampered = note.Replace(Convert.ToBase64String(SampleRoot()), Convert.ToBase64String(otherRoot), StringComparison.Ordinal);
        Assert.NotEqual(note, tampered);
        Assert.Equal("SIGNATURE_INVALID", CheckpointNote.Verify(tampered, new CheckpointKey(Origin, _key)).ReasonCode);
    }

    [Fact]
    public void Verify_TamperedOrigin_SignatureInvalid()
    {
        var note = CheckpointNote.Sign(new Checkpoint(Origin, 7, SampleRoot()), Origin, _key);
        var tampered = "transmission.example/log/evil" + note[Origin.Length..];
        Assert.Equal("SIGNATURE_INVALID", CheckpointNote.Verify(tampered, new CheckpointKey(Origin, _key)).ReasonCode);
    }

    [Fact]
    public void Verify_WrongKeySameName_SignatureMissing()
    {
        var note = CheckpointNote.Sign(new Checkpoint(Origin, 7, SampleRoot()), Origin, _otherKey);
        var result = CheckpointNote.Verify(note, new CheckpointKey(Origin, _key));
        Assert.Equal("SIGNATURE_MISSING", result.ReasonCode);
    }

    [Fact]
    public void Verify_ForgedSignatureWithRightKeyId_SignatureInvalid()
    {
        // Another key's signature relabelled with our key ID: the known key must verify it, and it fails.
        var note = CheckpointNote.Sign(new Checkpoint(Origin, 7, SampleRoot()), Origin, _otherKey);
        var key = new CheckpointKey(Origin, _key);
        var parts = note.TrimEnd('\n').Split(' ');
        var signature = Convert.FromBase64String(parts[^1]);
        BinaryPrimitives.WriteUInt32BigEndian(signature, key.KeyId);
        var forged = note[..note.LastIndexOf(' ')] + " " + Convert.ToBase64String(signature) + "\n";
        Assert.Equal("SIGNATURE_INVALID", CheckpointNote.Verify(forged, key).ReasonCode);
    }

    [Fact]
    public void Verify_ExtraUnknownSignature_Ignored()
    {
        var checkpoint = new Checkpoint(Origin, 7, SampleRoot());
        var note = CheckpointNote.Sign(checkpoint, Origin, _key);
        var witness = CheckpointNote.Sign(checkpoint, "witness.example/w1", _otherKey);
        var cosigned = note + witness[(witness.LastIndexOf("\n\n", StringComparison.Ordinal) + 2)..];
        var result = CheckpointNote.Verify(cosigned, new CheckpointKey(Origin, _key));
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_SignedUnderOtherName_OriginMismatch()
    {
        var note = CheckpointNote.Sign(new Checkpoint(Origin, 7, SampleRoot()), "other.example/log", _key);
        var result = CheckpointNote.Verify(note, new CheckpointKey("other.example/log", _key));
        Assert.Equal("ORIGIN_MISMATCH", result.ReasonCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no signatures\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n- o AAAAAAAA\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 o AAAAAAAA")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014  AAAAAAAA\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 o+x AAAAAAAA\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 o AAAA\n")]
    [InlineData("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 o AAAAAAAA*\n")]
    [InlineData("o\t\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 o AAAAAAAA\n")]
    public void Verify_MalformedNote_NoteMalformed(string note)
    {
        Assert.Equal("NOTE_MALFORMED", CheckpointNote.Verify(note, new CheckpointKey("o", _key)).ReasonCode);
    }

    [Fact]
    public void Verify_EveryTruncationAndByteFlip_FailsWithoutThrowing()
    {
        var key = new CheckpointKey(Origin, _key);
        var note = CheckpointNote.Sign(new Checkpoint(Origin, 7, SampleRoot(), ["ext"]), Origin, _key);
        for (int length = 0; length < note.Length; length++)
        {
            Assert.False(CheckpointNote.Verify(note[..length], key).IsValid);
        }

        for (int i = 0; i < note.Length; i++)
        {
            var chars = note.ToCharArray();
            chars[i] = chars[i] == 'A' ? 'B' : 'A';
            Assert.False(CheckpointNote.Verify(new string(chars), key).IsValid, $"flip at {i}");
        }
    }

    [Fact]
    public void KeyId_DependsOnNameAndKey()
    {
        var a = new CheckpointKey(Origin, _key).KeyId;
        Assert.Equal(a, new CheckpointKey(Origin, _key).KeyId);
        Assert.NotEqual(a, new CheckpointKey("other.example/log", _key).KeyId);
        Assert.NotEqual(a, new CheckpointKey(Origin, _otherKey).KeyId);
    }

    [Fact]
    public void KeyId_FixedInput_MatchesDocumentedFormula()
    {
        var spki = new byte[] { 1, 2, 3 };
        var expected = SHA256.HashData([.. "o"u8, 0x0A, 0xFF, .. "transmission.ecdsa-p256-sha256-p1363"u8, 0x0A, .. spki]);
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(expected), CheckpointKey.ComputeKeyId("o", spki));
    }

    [Fact]
    public void Sign_ConsistentGrowth_SignsEachAndVerifies()
    {
        var tree = new MerkleTree();
        var signer = new CheckpointSigner(Origin, _key);
        long previous = 0;
        foreach (var grow in new[] { 1, 2, 5, 0, 13 })
        {
            for (int i = 0; i < grow; i++)
            {
                tree.Append([(byte)tree.Size]);
            }

            var proof = previous == 0 ? [] : tree.ConsistencyProof(previous, tree.Size);
            var result = signer.Sign(new Checkpoint(Origin, tree.Size, tree.Root()), proof);
            Assert.True(result.IsValid, result.ToString());
            Assert.True(CheckpointNote.Verify(result.SignedNote!, signer.Key).IsValid);
            previous = tree.Size;
        }

        Assert.Equal(21, signer.LastSigned!.TreeSize);
    }

    [Fact]
    public void Sign_SmallerSize_RefusedAndStateKept()
    {
        var tree = TreeOf(10);
        var signer = new CheckpointSigner(Origin, _key, new Checkpoint(Origin, 10, tree.Root()));

        var result = signer.Sign(new Checkpoint(Origin, 9, tree.Root(9)), []);

        Assert.Equal("SIZE_DECREASED", result.ReasonCode);
        Assert.Null(result.SignedNote);
        Assert.Equal(10, signer.LastSigned!.TreeSize);
    }

    [Fact]
    public void Sign_ForkedTree_RefusedAsInconsistent()
    {
        var tree = TreeOf(10);
        var signer = new CheckpointSigner(Origin, _key, new Checkpoint(Origin, 10, tree.Root()));
        var fork = TreeOf(9);
        fork.Append("rewritten history"u8);
        for (int i = 10; i < 16; i++)
        {
            fork.Append([(byte)i]);
        }

        var result = signer.Sign(new Checkpoint(Origin, 16, fork.Root()), fork.ConsistencyProof(10, 16));

        Assert.Equal("INCONSISTENT", result.ReasonCode);
        Assert.Equal(tree.Root(), signer.LastSigned!.RootHash);
    }

    [Fact]
    public void Sign_SameSizeDifferentRoot_RefusedAsInconsistent()
    {
        var tree = TreeOf(10);
        var signer = new CheckpointSigner(Origin, _key, new Checkpoint(Origin, 10, tree.Root()));
        Assert.Equal("INCONSISTENT", signer.Sign(new Checkpoint(Origin, 10, SampleRoot()), []).ReasonCode);
        Assert.True(signer.Sign(new Checkpoint(Origin, 10, tree.Root()), []).IsValid);
    }

    [Fact]
    public void Sign_TamperedProof_RefusedAsInconsistent()
    {
        var tree = TreeOf(20);
        var signer = new CheckpointSigner(Origin, _key, new Checkpoint(Origin, 10, tree.Root(10)));
        var proof = tree.ConsistencyProof(10, 20).Select(p => (byte[])p.Clone()).ToList();
        proof[0][0] ^= 1;
        Assert.Equal("INCONSISTENT", signer.Sign(new Checkpoint(Origin, 20, tree.Root()), proof).ReasonCode);
        Assert.Equal("INCONSISTENT", signer.Sign(new Checkpoint(Origin, 20, tree.Root()), []).ReasonCode);
        Assert.True(signer.Sign(new Checkpoint(Origin, 20, tree.Root()), tree.ConsistencyProof(10, 20)).IsValid);
    }

    [Fact]
    public void Sign_OtherOrigin_OriginMismatch()
    {
        var signer = new CheckpointSigner(Origin, _key);
        Assert.Equal("ORIGIN_MISMATCH", signer.Sign(new Checkpoint("other.example/log", 1, SampleRoot()), []).ReasonCode);
        Assert.Null(signer.LastSigned);
    }

    private static MerkleTree TreeOf(int size)
    {
        var tree = new MerkleTree();
        for (int i = 0; i < size; i++)
        {
            tree.Append([(byte)i]);
        }

        return tree;
    }

    private static byte[] SampleRoot() => MerkleHash.LeafHash("sample"u8);
}
