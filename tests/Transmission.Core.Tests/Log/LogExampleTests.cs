using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Log;

namespace Transmission.Core.Tests.Log;

/// <summary>
/// docs/test-vectors/log-example.json: a log of seven entries (six stand-ins for submissions and one real decision
/// entry) with every leaf hash, the root at every size, and every inclusion and consistency proof up to size 7. Fully
/// deterministic: the test recomputes every value from the entries in the file and from <see cref="LogExample"/>.
/// </summary>
public sealed class LogExampleTests
{
    private const string RelativePath = "docs/test-vectors/log-example.json";

    private static readonly Lazy<JsonElement> Example = new(() => TestVectorFiles.Load(RelativePath, Write));

    [Fact]
    public void LogExample_Entries_AreTheDefinedOnes()
    {
        var entries = Example.Value.GetProperty("entries").EnumerateArray().ToArray();
        var expected = LogExample.Entries();

        Assert.Equal(expected.Count, entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            Assert.Equal(i, entries[i].GetProperty("index").GetInt32());
            Assert.Equal(expected[i].Kind, entries[i].Text("kind"));
            Assert.Equal(expected[i].Bytes, entries[i].Hex("entryHex"));
        }
    }

    [Fact]
    public void LogExample_LeafHashes_AreSha256OfZeroAndEntry()
    {
        foreach (var entry in Example.Value.GetProperty("entries").EnumerateArray())
        {
            var bytes = entry.Hex("entryHex");
            Assert.Equal(entry.Hex("leafHashHex"), SHA256.HashData([0x00, .. bytes]));
            Assert.Equal(entry.Hex("leafHashHex"), MerkleHash.LeafHash(bytes));
        }
    }

    [Fact]
    public void LogExample_Roots_MatchTheTreeAndANaiveHash()
    {
        var leaves = LeafHashes();
        var tree = Tree();
        var roots = Example.Value.GetProperty("roots").EnumerateArray().ToArray();

        Assert.Equal(leaves.Length + 1, roots.Length);
        Assert.Equal(Example.Value.Hex("emptyRootHex"), SHA256.HashData([]));
        for (var size = 0; size < roots.Length; size++)
        {
            Assert.Equal(size, roots[size].GetProperty("treeSize").GetInt32());
            Assert.Equal(roots[size].Hex("rootHex"), tree.Root(size));
            Assert.Equal(roots[size].Hex("rootHex"), NaiveRoot(leaves, 0, size));
        }
    }

    [Fact]
    public void LogExample_InclusionProof_RecomputesAndVerifies()
    {
        var proof = Example.Value.GetProperty("inclusionProof");
        var index = proof.GetProperty("index").GetInt64();
        var size = proof.GetProperty("treeSize").GetInt64();
        var hashes = proof.HexList("hashesHex");

        Assert.Equal(LeafHashes()[index], proof.Hex("leafHashHex"));
        Assert.Equal(Tree().InclusionProof(index, size), hashes);
        Assert.Equal(RootAt(size), proof.Hex("rootHex"));
        var result = MerkleProofs.VerifyInclusion(proof.Hex("leafHashHex"), index, size, hashes, proof.Hex("rootHex"));
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void LogExample_ConsistencyProof_RecomputesAndVerifies()
    {
        var proof = Example.Value.GetProperty("consistencyProof");
        var first = proof.GetProperty("firstSize").GetInt64();
        var second = proof.GetProperty("secondSize").GetInt64();
        var hashes = proof.HexList("hashesHex");

        Assert.Equal(Tree().ConsistencyProof(first, second), hashes);
        Assert.Equal(RootAt(first), proof.Hex("firstRootHex"));
        Assert.Equal(RootAt(second), proof.Hex("secondRootHex"));
        var result = MerkleProofs.VerifyConsistency(first, second, hashes, proof.Hex("firstRootHex"), proof.Hex("secondRootHex"));
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void LogExample_EveryInclusionProof_RecomputesAndVerifies()
    {
        var tree = Tree();
        var leaves = LeafHashes();
        var proofs = Example.Value.GetProperty("allInclusionProofs").EnumerateArray().ToArray();

        Assert.Equal(leaves.Length * (leaves.Length + 1) / 2, proofs.Length);
        foreach (var proof in proofs)
        {
            var index = proof.GetProperty("index").GetInt64();
            var size = proof.GetProperty("treeSize").GetInt64();
            var hashes = proof.HexList("hashesHex");
            Assert.Equal(tree.InclusionProof(index, size), hashes);
            var result = MerkleProofs.VerifyInclusion(leaves[index], index, size, hashes, RootAt(size));
            Assert.True(result.IsValid, $"{index} in {size}: {result}");
        }
    }

    [Fact]
    public void LogExample_EveryConsistencyProof_RecomputesAndVerifies()
    {
        var tree = Tree();
        var proofs = Example.Value.GetProperty("allConsistencyProofs").EnumerateArray().ToArray();

        // Every pair 0 <= m <= n <= 7, including the edge cases m = 0 and m = n (empty proofs).
        Assert.Equal(8 * 9 / 2, proofs.Length);
        foreach (var proof in proofs)
        {
            var first = proof.GetProperty("firstSize").GetInt64();
            var second = proof.GetProperty("secondSize").GetInt64();
            var hashes = proof.HexList("hashesHex");
            Assert.Equal(tree.ConsistencyProof(first, second), hashes);
            if (first == 0 || first == second)
            {
                Assert.Empty(hashes);
            }

            var result = MerkleProofs.VerifyConsistency(first, second, hashes, RootAt(first), RootAt(second));
            Assert.True(result.IsValid, $"{first} -> {second}: {result}");
        }
    }

    [Fact]
    public void LogExample_AlteredProofs_RootMismatchOrWrongLength()
    {
        var inclusion = Example.Value.GetProperty("inclusionProof");
        var hashes = inclusion.HexList("hashesHex");
        hashes[1][31] ^= 0x01;
        var altered = MerkleProofs.VerifyInclusion(inclusion.Hex("leafHashHex"), 3, 7, hashes, inclusion.Hex("rootHex"));
        Assert.Equal("ROOT_MISMATCH", altered.ReasonCode);

        var consistency = Example.Value.GetProperty("consistencyProof");
        var shortened = consistency.HexList("hashesHex")[..^1];
        var result = MerkleProofs.VerifyConsistency(3, 7, shortened, consistency.Hex("firstRootHex"), consistency.Hex("secondRootHex"));
        Assert.Equal("PROOF_LENGTH_WRONG", result.ReasonCode);

        // m = 0 proves nothing about content but still needs the empty-tree root as the old root.
        var notEmpty = MerkleProofs.VerifyConsistency(0, 7, [], RootAt(1), RootAt(7));
        Assert.Equal("ROOT_MISMATCH", notEmpty.ReasonCode);
    }

    [Fact]
    public void LogExample_DecisionEntry_IsPaeOfTheLoggedDecision()
    {
        var decision = Example.Value.GetProperty("decisionEntry");
        var index = decision.GetProperty("index").GetInt32();
        var entries = Example.Value.GetProperty("entries").EnumerateArray().ToArray();

        var logged = new LoggedDecision
        {
            ElectionId = decision.Text("electionId"),
            StationCode = decision.Text("stationCode"),
            Revision = decision.GetProperty("revision").GetUInt32(),
            EnvelopeSha256 = ByteString.CopyFrom(decision.Hex("envelopeSha256Hex")),
            Decision = (Decision)decision.GetProperty("decisionNumber").GetInt32(),
            Reason = decision.Text("reason"),
            VerifierUri = decision.Text("verifierUri"),
            DecidedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(decision.Text("decidedAt"), System.Globalization.CultureInfo.InvariantCulture)),
        };
        Assert.Equal("DECISION_ACCEPT", decision.Text("decision"));
        Assert.Equal(Decision.Accept, logged.Decision);
        Assert.Equal(LogEntryTypes.Decision, decision.Text("entryType"));
        Assert.Equal(decision.Hex("loggedDecisionHex"), logged.ToByteArray());

        var entry = Pae.Encode(LogEntryTypes.Decision, logged.ToByteArray());
        Assert.Equal(entries[index].Hex("entryHex"), entry);
        Assert.Equal(decision.Text("paeHeader"), Encoding.ASCII.GetString(entry[..(entry.Length - logged.CalculateSize())]));

        // The decision names the envelope it decided on: here the stand-in of entry 0.
        Assert.Equal(decision.Hex("envelopeSha256Hex"), SHA256.HashData(entries[0].Hex("entryHex")));
    }

    /// <summary>The root of the example log at <paramref name="size"/>, from the committed file.</summary>
    internal static byte[] RootAt(long size) => Example.Value.GetProperty("roots")[(int)size].Hex("rootHex");

    /// <summary>The committed consistency proof from <paramref name="first"/> to <paramref name="second"/>.</summary>
    internal static byte[][] ConsistencyProofFromFile(long first, long second) =>
        Example.Value.GetProperty("allConsistencyProofs").EnumerateArray()
            .Single(p => p.GetProperty("firstSize").GetInt64() == first && p.GetProperty("secondSize").GetInt64() == second)
            .HexList("hashesHex");

    private static byte[][] LeafHashes() =>
        Example.Value.GetProperty("entries").EnumerateArray().Select(e => e.Hex("leafHashHex")).ToArray();

    private static MerkleTree Tree()
    {
        var tree = new MerkleTree();
        foreach (var entry in Example.Value.GetProperty("entries").EnumerateArray())
        {
            tree.Append(entry.Hex("entryHex"));
        }

        return tree;
    }

    // MTH straight from RFC 9162 §2.1.1 over the leaf hashes, independent of MerkleTree and MerkleProofs.
    private static byte[] NaiveRoot(byte[][] leaves, int start, int n)
    {
        if (n == 0)
        {
            return SHA256.HashData([]);
        }

        if (n == 1)
        {
            return leaves[start];
        }

        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. NaiveRoot(leaves, start, k), .. NaiveRoot(leaves, start + k, n - k)]);
    }

    private static void Write(string path)
    {
        var entries = LogExample.Entries();
        var tree = new MerkleTree();
        foreach (var entry in entries)
        {
            tree.Append(entry.Bytes);
        }

        var size = tree.Size;
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, TestVectorFiles.WriterOptions);
        json.WriteStartObject();
        json.WriteString("description", "A transparency log of seven entries (docs/protocol.md, section 10): entries 0-2 and 4-6 stand in for submissions (a real submission entry is the envelope bytes as received, e.g. envelopeHex in envelope-example.json; short ASCII strings keep this file small), entry 3 is a real review decision entry. Every leaf hash, the root at every size, every inclusion proof and every consistency proof up to size 7. Generated and checked by tests/Transmission.Core.Tests/Log/LogExampleTests.cs.");
        json.WriteString("leafHash", "SHA-256(0x00 || entry bytes)");
        json.WriteString("nodeHash", "SHA-256(0x01 || left || right)");
        json.WriteString("emptyRootHex", Convert.ToHexStringLower(MerkleHash.EmptyRoot()));

        json.WriteStartArray("entries");
        for (var i = 0; i < entries.Count; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("index", i);
            json.WriteString("kind", entries[i].Kind);
            if (entries[i].Kind != "decision")
            {
                json.WriteString("entryText", Encoding.ASCII.GetString(entries[i].Bytes));
            }

            json.WriteString("entryHex", Convert.ToHexStringLower(entries[i].Bytes));
            json.WriteString("leafHashHex", Convert.ToHexStringLower(tree.NodeHash(0, i)));
            json.WriteEndObject();
        }

        json.WriteEndArray();

        var logged = LogExample.Decision(SHA256.HashData(entries[0].Bytes));
        var decisionEntry = Pae.Encode(LogEntryTypes.Decision, logged.ToByteArray());
        json.WriteStartObject("decisionEntry");
        json.WriteNumber("index", LogExample.DecisionIndex);
        json.WriteString("entryType", LogEntryTypes.Decision);
        json.WriteString("electionId", logged.ElectionId);
        json.WriteString("stationCode", logged.StationCode);
        json.WriteNumber("revision", logged.Revision);
        json.WriteString("envelopeSha256Hex", Convert.ToHexStringLower(logged.EnvelopeSha256.Span));
        json.WriteString("decision", "DECISION_ACCEPT");
        json.WriteNumber("decisionNumber", (int)logged.Decision);
        json.WriteString("reason", logged.Reason);
        json.WriteString("verifierUri", logged.VerifierUri);
        json.WriteString("decidedAt", logged.DecidedAt.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("loggedDecisionHex", Convert.ToHexStringLower(logged.ToByteArray()));
        json.WriteString("paeHeader", Encoding.ASCII.GetString(decisionEntry[..(decisionEntry.Length - logged.CalculateSize())]));
        json.WriteEndObject();

        json.WriteStartArray("roots");
        for (var n = 0L; n <= size; n++)
        {
            json.WriteStartObject();
            json.WriteNumber("treeSize", n);
            json.WriteString("rootHex", Convert.ToHexStringLower(tree.Root(n)));
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartObject("inclusionProof");
        json.WriteNumber("index", LogExample.DecisionIndex);
        json.WriteNumber("treeSize", size);
        json.WriteString("leafHashHex", Convert.ToHexStringLower(tree.NodeHash(0, LogExample.DecisionIndex)));
        json.WriteHexList("hashesHex", tree.InclusionProof(LogExample.DecisionIndex, size));
        json.WriteString("rootHex", Convert.ToHexStringLower(tree.Root(size)));
        json.WriteEndObject();

        json.WriteStartObject("consistencyProof");
        json.WriteNumber("firstSize", 3);
        json.WriteNumber("secondSize", size);
        json.WriteHexList("hashesHex", tree.ConsistencyProof(3, size));
        json.WriteString("firstRootHex", Convert.ToHexStringLower(tree.Root(3)));
        json.WriteString("secondRootHex", Convert.ToHexStringLower(tree.Root(size)));
        json.WriteEndObject();

        json.WriteStartArray("allInclusionProofs");
        for (var n = 1L; n <= size; n++)
        {
            for (var i = 0L; i < n; i++)
            {
                json.WriteStartObject();
                json.WriteNumber("index", i);
                json.WriteNumber("treeSize", n);
                json.WriteHexList("hashesHex", tree.InclusionProof(i, n));
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();

        json.WriteStartArray("allConsistencyProofs");
        for (var n = 0L; n <= size; n++)
        {
            for (var m = 0L; m <= n; m++)
            {
                json.WriteStartObject();
                json.WriteNumber("firstSize", m);
                json.WriteNumber("secondSize", n);
                json.WriteHexList("hashesHex", tree.ConsistencyProof(m, n));
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}

/// <summary>The entries of docs/test-vectors/log-example.json.</summary>
internal static class LogExample
{
    /// <summary>The election the example log belongs to; its origin is <c>transmission/example-2025</c>.</summary>
    public const string ElectionId = "example-2025";

    /// <summary>The index of the decision entry.</summary>
    public const int DecisionIndex = 3;

    /// <summary>The seven entries: kind and bytes.</summary>
    public static IReadOnlyList<(string Kind, byte[] Bytes)> Entries()
    {
        static (string, byte[]) StandIn(string station, int revision) =>
            ("submission (stand-in)", Encoding.ASCII.GetBytes($"stand-in for the envelope of {station} revision {revision}"));

        var first = StandIn("ST-0001", 1);
        return
        [
            first,
            StandIn("ST-0002", 1),
            StandIn("ST-0003", 1),
            ("decision", Pae.Encode(LogEntryTypes.Decision, Decision(SHA256.HashData(first.Item2)).ToByteArray())),
            StandIn("ST-0004", 1),
            StandIn("ST-0002", 2),
            StandIn("ST-0005", 1),
        ];
    }

    /// <summary>A verifier accepts ST-0001's revision 1, whose envelope hashes to <paramref name="envelopeSha256"/>.</summary>
    public static LoggedDecision Decision(byte[] envelopeSha256) => new()
    {
        ElectionId = ElectionId,
        StationCode = "ST-0001",
        Revision = 1,
        EnvelopeSha256 = ByteString.CopyFrom(envelopeSha256),
        Decision = Contracts.V1.Decision.Accept,
        Reason = "Numbers match the scan.",
        VerifierUri = "urn:transmission:verifier:verifier-1",
        DecidedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 6, 1, 21, 30, 0, TimeSpan.Zero)),
    };
}
