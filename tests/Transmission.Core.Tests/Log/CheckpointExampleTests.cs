using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Transmission.Core.Envelope;
using Transmission.Core.Log;

namespace Transmission.Core.Tests.Log;

/// <summary>
/// docs/test-vectors/checkpoint-example.json: the checkpoints of the example log (log-example.json) at sizes 3 and 7,
/// signed as C2SP signed notes with a FIXED, published example key, the key ID derivation step by step, and altered
/// notes that must fail. ECDSA signatures are randomised, so the committed signatures are verified, and everything
/// else (public key, key ID, texts, roots) is recomputed and compared.
/// </summary>
public sealed class CheckpointExampleTests
{
    private const string RelativePath = "docs/test-vectors/checkpoint-example.json";

    /// <summary>The example private scalar: the 32 ASCII bytes of this text. Published; never a real key.</summary>
    private const string ExampleScalarText = "transmission example: NOT SECRET";

    private const string SpkiPrefixHex = "3059301306072a8648ce3d020106082a8648ce3d03010703420004";

    private static readonly Lazy<JsonElement> Example = new(() => TestVectorFiles.Load(RelativePath, Write));

    [Fact]
    public void CheckpointExample_PublicKey_DerivesFromTheExampleScalar()
    {
        var example = Example.Value;
        Assert.Equal(ExampleScalarText, example.Text("examplePrivateScalarText"));
        Assert.Equal(Encoding.ASCII.GetBytes(ExampleScalarText), example.Hex("examplePrivateScalarHex"));

        using var key = ExampleKey();
        var spki = key.ExportSubjectPublicKeyInfo();
        Assert.Equal(example.Hex("publicKeySpkiHex"), spki);
        Assert.Equal(91, spki.Length);
        Assert.StartsWith(SpkiPrefixHex, Convert.ToHexStringLower(spki), StringComparison.Ordinal);
        Assert.Equal(example.Text("publicKeyPem"), key.ExportSubjectPublicKeyInfoPem());
    }

    [Fact]
    public void CheckpointExample_KeyId_IsTheFirstFourBytesOfTheHashedInput()
    {
        var example = Example.Value;
        var name = example.Text("keyName");
        var spki = example.Hex("publicKeySpkiHex");
        byte[] input = [.. Encoding.UTF8.GetBytes(name), 0x0A, 0xFF, .. Encoding.ASCII.GetBytes(CheckpointKey.SignatureTypeIdentifier), 0x0A, .. spki];

        Assert.Equal(LogEntryTypes.Origin(LogExample.ElectionId), name);
        Assert.Equal(CheckpointKey.SignatureTypeIdentifier, example.Text("signatureTypeIdentifier"));
        Assert.Equal(example.Hex("keyIdInputHex"), input);
        Assert.Equal(example.Hex("keyIdInputSha256Hex"), SHA256.HashData(input));
        Assert.Equal(example.Hex("keyIdHex"), SHA256.HashData(input)[..4]);
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(example.Hex("keyIdHex")), CheckpointKey.ComputeKeyId(name, spki));
    }

    [Theory]
    [InlineData("checkpoint")]
    [InlineData("earlierCheckpoint")]
    public void CheckpointExample_Text_IsTheExampleLogsCheckpoint(string which)
    {
        var checkpoint = Example.Value.GetProperty(which);
        var size = checkpoint.GetProperty("treeSize").GetInt64();
        var root = checkpoint.Hex("rootHex");

        Assert.Equal(LogExampleTests.RootAt(size), root);
        Assert.Equal(Convert.ToBase64String(root), checkpoint.Text("rootBase64"));
        var text = new Checkpoint(Example.Value.Text("keyName"), size, root).ToNoteText();
        Assert.Equal(text, checkpoint.Text("text"));
        Assert.Equal(Encoding.UTF8.GetBytes(text), checkpoint.Hex("signedMessageHex"));
    }

    [Theory]
    [InlineData("checkpoint")]
    [InlineData("earlierCheckpoint")]
    public void CheckpointExample_SignedNote_VerifiesWithThePublicKey(string which)
    {
        var checkpoint = Example.Value.GetProperty(which);
        var note = checkpoint.Text("signedNote");
        var signatureBytes = checkpoint.Hex("signatureLineBytesHex");
        var signature = checkpoint.Hex("signatureHex");

        // Byte layout: key ID (4 bytes) || r (32) || s (32), base64 in the line after the key name.
        Assert.Equal(68, signatureBytes.Length);
        Assert.Equal(Example.Value.Hex("keyIdHex"), signatureBytes[..4]);
        Assert.Equal(signature, signatureBytes[4..]);
        var line = $"\u2014 {Example.Value.Text("keyName")} {Convert.ToBase64String(signatureBytes)}";
        Assert.Equal(line, checkpoint.Text("signatureLine"));
        Assert.Equal(checkpoint.Text("text") + "\n" + line + "\n", note);

        using var key = PublicKey();
        Assert.True(EcdsaP256.Verify(key, checkpoint.Hex("signedMessageHex"), signature));
        var verified = CheckpointNote.Verify(note, new CheckpointKey(Example.Value.Text("keyName"), key));
        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal(checkpoint.GetProperty("treeSize").GetInt64(), verified.Checkpoint.TreeSize);
        Assert.Equal(checkpoint.Hex("rootHex"), verified.Checkpoint.RootHash);
    }

    [Fact]
    public void CheckpointExample_Checkpoints_AreConsistent()
    {
        var earlier = Example.Value.GetProperty("earlierCheckpoint");
        var later = Example.Value.GetProperty("checkpoint");
        var first = earlier.GetProperty("treeSize").GetInt64();
        var second = later.GetProperty("treeSize").GetInt64();

        var result = MerkleProofs.VerifyConsistency(first, second, LogExampleTests.ConsistencyProofFromFile(first, second), earlier.Hex("rootHex"), later.Hex("rootHex"));

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void CheckpointExample_AlteredNotes_AreTheDocumentedAlterationsAndFail()
    {
        var note = Example.Value.GetProperty("checkpoint").Text("signedNote");
        var altered = Example.Value.GetProperty("alteredNotes").EnumerateArray().ToArray();
        using var publicKey = PublicKey();
        var key = new CheckpointKey(Example.Value.Text("keyName"), publicKey);

        Assert.Equal(Alterations(note).Select(a => (a.What, a.Note, a.Expected)), altered.Select(a => (a.Text("what"), a.Text("note"), a.Text("expected"))));
        foreach (var item in altered)
        {
            var result = CheckpointNote.Verify(item.Text("note"), key);
            Assert.False(result.IsValid, item.Text("what"));
            Assert.Equal(item.Text("expected"), result.ReasonCode);
        }
    }

    [Fact]
    public void CheckpointExample_Specification_ShowsTheCommittedNote()
    {
        // docs/protocol.md section 10.5.2 quotes the size-7 note; regenerating the example must update it.
        var specification = File.ReadAllText(TestVectorFiles.PathOf("docs/protocol.md"));
        var note = Example.Value.GetProperty("checkpoint").Text("signedNote");

        Assert.Contains("```\n" + note + "```\n", specification, StringComparison.Ordinal);
    }

    /// <summary>The altered notes, derived from the signed note of the size-7 checkpoint.</summary>
    private static List<(string What, string Note, string Expected)> Alterations(string note)
    {
        var split = note.LastIndexOf(' ');
        var head = note[..(split + 1)];
        var signature = Convert.FromBase64String(note[(split + 1)..^1]);

        var badSignature = (byte[])signature.Clone();
        badSignature[^1] ^= 0x01;
        var badKeyId = (byte[])signature.Clone();
        badKeyId[0] ^= 0x01;
        return
        [
            ("signature line altered: the last byte of s flipped (key name and key ID unchanged)", head + Convert.ToBase64String(badSignature) + "\n", "SIGNATURE_INVALID"),
            ("checkpoint text altered: tree size 7 changed to 8, signature line unchanged", note.Replace("\n7\n", "\n8\n", StringComparison.Ordinal), "SIGNATURE_INVALID"),
            ("key ID altered: its first byte flipped, so the line is not the log key's and is ignored", head + Convert.ToBase64String(badKeyId) + "\n", "SIGNATURE_MISSING"),
        ];
    }

    private static ECDsa ExampleKey() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        D = Encoding.ASCII.GetBytes(ExampleScalarText),
    });

    private static ECDsa PublicKey()
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Example.Value.Hex("publicKeySpkiHex"), out _);
        return key;
    }

    private static void Write(string path)
    {
        using var key = ExampleKey();
        var name = LogEntryTypes.Origin(LogExample.ElectionId);
        var spki = key.ExportSubjectPublicKeyInfo();
        byte[] keyIdInput = [.. Encoding.UTF8.GetBytes(name), 0x0A, CheckpointKey.SignatureType, .. Encoding.ASCII.GetBytes(CheckpointKey.SignatureTypeIdentifier), 0x0A, .. spki];
        var tree = new MerkleTree();
        foreach (var entry in LogExample.Entries())
        {
            tree.Append(entry.Bytes);
        }

        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, TestVectorFiles.WriterOptions);
        json.WriteStartObject();
        json.WriteString("description", "Checkpoints of the example log (log-example.json) at tree sizes 3 and 7, signed as C2SP signed notes with Transmission's signature type (docs/protocol.md, section 10), the key ID derivation step by step, and altered notes that must fail. ECDSA signatures are randomised: verify the signatures, recompute everything else. Generated and checked by tests/Transmission.Core.Tests/Log/CheckpointExampleTests.cs.");
        json.WriteString("warning", "EXAMPLE KEY, PUBLISHED ON PURPOSE: the private scalar is the 32 ASCII bytes of 'transmission example: NOT SECRET'. Anyone can sign with it. Never configure it anywhere.");
        json.WriteString("examplePrivateScalarText", ExampleScalarText);
        json.WriteString("examplePrivateScalarHex", Convert.ToHexStringLower(Encoding.ASCII.GetBytes(ExampleScalarText)));
        json.WriteString("curve", "NIST P-256 (secp256r1)");
        json.WriteString("publicKeySpkiHex", Convert.ToHexStringLower(spki));
        json.WriteString("publicKeyPem", key.ExportSubjectPublicKeyInfoPem());
        json.WriteString("keyName", name);
        json.WriteString("signatureType", "0xff followed by the identifier");
        json.WriteString("signatureTypeIdentifier", CheckpointKey.SignatureTypeIdentifier);
        json.WriteString("keyIdInput", "UTF-8(key name) || 0x0a || 0xff || ASCII(identifier) || 0x0a || SPKI DER");
        json.WriteString("keyIdInputHex", Convert.ToHexStringLower(keyIdInput));
        json.WriteString("keyIdInputSha256Hex", Convert.ToHexStringLower(SHA256.HashData(keyIdInput)));
        json.WriteString("keyIdHex", Convert.ToHexStringLower(SHA256.HashData(keyIdInput)[..4]));

        string? signedNote = null;
        foreach (var (property, size) in new[] { ("earlierCheckpoint", 3L), ("checkpoint", tree.Size) })
        {
            var checkpoint = new Checkpoint(name, size, tree.Root(size));
            var note = CheckpointNote.Sign(checkpoint, name, key);
            var text = checkpoint.ToNoteText();
            var line = note[(text.Length + 1)..^1];
            var signatureBytes = Convert.FromBase64String(line[(line.LastIndexOf(' ') + 1)..]);
            json.WriteStartObject(property);
            json.WriteNumber("treeSize", size);
            json.WriteString("rootHex", Convert.ToHexStringLower(checkpoint.RootHash));
            json.WriteString("rootBase64", Convert.ToBase64String(checkpoint.RootHash));
            json.WriteString("text", text);
            json.WriteString("signedMessageHex", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text)));
            json.WriteString("signatureHex", Convert.ToHexStringLower(signatureBytes[4..]));
            json.WriteString("signatureLineBytesHex", Convert.ToHexStringLower(signatureBytes));
            json.WriteString("signatureLine", line);
            json.WriteString("signedNote", note);
            json.WriteEndObject();
            signedNote = note;
        }

        json.WriteStartArray("alteredNotes");
        foreach (var (what, note, expected) in Alterations(signedNote!))
        {
            json.WriteStartObject();
            json.WriteString("what", what);
            json.WriteString("note", note);
            json.WriteString("expected", expected);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
