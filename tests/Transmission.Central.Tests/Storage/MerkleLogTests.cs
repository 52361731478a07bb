using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Core.Log;
using Transmission.Testing;

namespace Transmission.Central.Tests.Storage;

/// <summary>
/// The log's Merkle tree as the store keeps it: nodes written in the commit that completes them, a checkpoint signed
/// per commit that extends the last one, receipts with inclusion proofs against it, and a refusal (nothing stored) when
/// the stored checkpoint history does not match the tree.
/// </summary>
public sealed class MerkleLogTests : IAsyncDisposable
{
    private readonly StorageTestDatabase _database = new(new StorageOptions { MaxBatchSize = 4 });
    private readonly TestLogIssuer _issuer = new();

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        _issuer.Dispose();
    }

    [Fact]
    public async Task Submit_ManyBatches_NodesRootsAndCheckpointsMatchAnInMemoryTree()
    {
        var store = _database.CreateStore(logIssuer: _issuer);
        var expected = new MerkleTree();
        for (var round = 0; round < 5; round++)
        {
            var pending = Enumerable.Range(0, 7).Select(i => TestSubmissions.Make($"ST-{round:D2}{i:D2}", 1)).ToList();
            var outcomes = await Task.WhenAll(pending.Select(p => store.SubmitAsync(p, CancellationToken.None))).DefaultTimeout();
            foreach (var (outcome, submission) in outcomes.Zip(pending).OrderBy(o => ((SubmissionStored)o.First).LogIndex))
            {
                Assert.Equal(expected.Size, ((SubmissionStored)outcome).LogIndex);
                expected.Append(submission.EnvelopeBytes);
            }
        }

        var size = expected.Size;
        Assert.Equal(35, size);
        Assert.Equal(size - BitOperations.PopCount((ulong)size), _database.Count("MerkleNodes"));
        await using var db = _database.Open();
        foreach (var node in await db.MerkleNodes.ToListAsync().DefaultTimeout())
        {
            Assert.Equal(expected.NodeHash(node.Level, node.Index), node.Hash);
        }

        var checkpoints = await db.Checkpoints.OrderBy(c => c.TreeSize).ToListAsync().DefaultTimeout();
        Assert.True(checkpoints.Count >= 5, $"one checkpoint per committing batch, got {checkpoints.Count}");
        Assert.Equal(size, checkpoints[^1].TreeSize);
        CheckpointRow? previous = null;
        foreach (var row in checkpoints)
        {
            var verified = CheckpointNote.Verify(row.Note, _issuer.Key);
            Assert.True(verified.IsValid, verified.ToString());
            Assert.Equal(row.TreeSize, verified.Checkpoint!.TreeSize);
            Assert.Equal(expected.Root(row.TreeSize), verified.Checkpoint.RootHash);
            if (previous is not null)
            {
                var proof = expected.ConsistencyProof(previous.TreeSize, row.TreeSize);
                Assert.True(MerkleProofs.VerifyConsistency(previous.TreeSize, row.TreeSize, proof, previous.RootHash, row.RootHash).IsValid);
            }

            previous = row;
        }
    }

    [Fact]
    public async Task Submit_Receipt_CarriesTheBatchCheckpointAndAnInclusionProofOfTheEnvelope()
    {
        var store = _database.CreateStore(logIssuer: _issuer);
        await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout();
        var pending = TestSubmissions.Make("ST-0002", 1);

        var stored = Assert.IsType<SubmissionStored>(await store.SubmitAsync(pending, CancellationToken.None).DefaultTimeout());

        var receipt = TestLogIssuer.Read(stored.Receipt!);
        var checkpoint = CheckpointNote.Verify(receipt.Note, _issuer.Key).Checkpoint!;
        Assert.Equal(2, checkpoint.TreeSize);
        Assert.Equal(1, receipt.Index);
        Assert.True(MerkleProofs.VerifyInclusion(MerkleHash.LeafHash(pending.EnvelopeBytes), 1, 2, receipt.Proof, checkpoint.RootHash).IsValid);

        // A duplicate gets the very same receipt, with its original checkpoint.
        var duplicate = Assert.IsType<SubmissionDuplicate>(await store.SubmitAsync(pending, CancellationToken.None).DefaultTimeout());
        Assert.Equal(stored.Receipt, duplicate.Receipt);
    }

    [Fact]
    public async Task EnsureCheckpoint_EmptyLog_SignsTheEmptyTreeOnceAndReturnsTheLatest()
    {
        var store = _database.CreateStore(logIssuer: _issuer);

        var first = await store.EnsureCheckpointAsync(CancellationToken.None).DefaultTimeout();
        var again = await store.EnsureCheckpointAsync(CancellationToken.None).DefaultTimeout();

        var checkpoint = CheckpointNote.Verify(first!, _issuer.Key).Checkpoint!;
        Assert.Equal(0, checkpoint.TreeSize);
        Assert.Equal(MerkleHash.EmptyRoot(), checkpoint.RootHash);
        Assert.Equal(first, again);
        Assert.Equal(1, _database.Count("Checkpoints"));
    }

    [Fact]
    public async Task Submit_LastSignedCheckpointNotAPrefixOfTheTree_RefusedAndNothingStored()
    {
        var store = _database.CreateStore(logIssuer: _issuer);
        await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout();
        // Someone with database access adds a "last signed" checkpoint of size 2 over a tree the log does not have.
        var forged = new Checkpoint(_issuer.Origin, 2, SHA256.HashData("another tree"u8));
        using (var connection = _database.OpenRaw())
        using (var command = connection.CreateCommand())
        {
            // SignedAt: UTC ticks on SQLite, timestamptz on PostgreSQL.
            command.CommandText = _database.IsPostgreSql
                ? "INSERT INTO \"Checkpoints\" (\"TreeSize\", \"RootHash\", \"Note\", \"SignedAt\") VALUES (2, @root, 'forged', now())"
                : "INSERT INTO Checkpoints (TreeSize, RootHash, Note, SignedAt) VALUES (2, @root, 'forged', 0)";
            var root = command.CreateParameter();
            root.ParameterName = "@root";
            root.Value = forged.RootHash;
            command.Parameters.Add(root);
            command.ExecuteNonQuery();
        }

        var refused = await Assert.ThrowsAsync<LogIntegrityException>(() => store.SubmitAsync(TestSubmissions.Make("ST-0002", 1), CancellationToken.None)).DefaultTimeout();

        Assert.Contains("INCONSISTENT", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, _database.Count("Submissions"));
        Assert.Equal(1, _database.Count("LogEntries"));
        Assert.Equal(2, _database.Count("Checkpoints"));
    }

    [Fact]
    public async Task Nodes_AreAppendOnly_TheDatabaseRefusesUpdateAndDelete()
    {
        var store = _database.CreateStore(logIssuer: _issuer);
        await store.SubmitAsync(TestSubmissions.Make("ST-0001", 1), CancellationToken.None).DefaultTimeout();
        await store.SubmitAsync(TestSubmissions.Make("ST-0002", 1), CancellationToken.None).DefaultTimeout();
        using var connection = _database.OpenRaw();

        foreach (var sql in new[]
        {
            "UPDATE \"MerkleNodes\" SET \"Hash\" = \"RootHash\" FROM \"Checkpoints\"",
            "DELETE FROM \"MerkleNodes\"",
            "UPDATE \"Checkpoints\" SET \"Note\" = 'x'",
            "DELETE FROM \"Checkpoints\"",
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            var refused = Assert.ThrowsAny<System.Data.Common.DbException>(() => command.ExecuteNonQuery());
            Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        }
    }

    [Trait("Store", TestStore.SqliteOnly)]
    [Fact]
    public async Task Migrate_DatabaseWithEntriesButNoNodes_MissingNodesAddedFromTheLeaves()
    {
        var store = _database.CreateStore();
        var expected = new MerkleTree();
        for (var i = 0; i < 11; i++)
        {
            var pending = TestSubmissions.Make($"ST-{i:D4}", 1);
            await store.SubmitAsync(pending, CancellationToken.None).DefaultTimeout();
            expected.Append(pending.EnvelopeBytes);
        }

        using (var connection = _database.OpenRaw())
        using (var command = connection.CreateCommand())
        {
            // As a database from before the Merkle store: no nodes.
            command.CommandText = "DROP TRIGGER MerkleNodes_NoDelete; DELETE FROM MerkleNodes;";
            command.ExecuteNonQuery();
        }

        await using var db = _database.Open();
        var added = LogTreeRepair.AddMissingNodes(db, TimeSpan.FromSeconds(5));

        Assert.Equal(11 - BitOperations.PopCount(11u), added);
        Assert.Equal(0, LogTreeRepair.AddMissingNodes(db, TimeSpan.FromSeconds(5)));
        foreach (var node in await db.MerkleNodes.AsNoTracking().ToListAsync().DefaultTimeout())
        {
            Assert.Equal(expected.NodeHash(node.Level, node.Index), node.Hash);
        }
    }
}

/// <summary>
/// A log issuer for storage tests: a real P-256 checkpoint key; its "receipt" is a plain text record of the note, the
/// index and the proof (the real, signed receipt is tested with Central's ReceiptIssuer end to end).
/// </summary>
internal sealed class TestLogIssuer : ILogIssuer, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestLogIssuer()
    {
        Key = new CheckpointKey(Origin, _key);
    }

    public string Origin => LogEntryTypes.Origin(TestSubmissions.Election);

    public CheckpointKey Key { get; }

    public CheckpointResult SignCheckpoint(Checkpoint next, Checkpoint? lastSigned, IReadOnlyList<byte[]> consistencyProof) =>
        new CheckpointSigner(Origin, _key, lastSigned).Sign(next, consistencyProof);

    public byte[] IssueReceipt(PendingSubmission submission, long logIndex, string checkpointNote, IReadOnlyList<byte[]> inclusionProof) =>
        Encoding.UTF8.GetBytes($"{logIndex}\u0001{string.Join(',', inclusionProof.Select(Convert.ToHexString))}\u0001{checkpointNote}");

    public static (long Index, IReadOnlyList<byte[]> Proof, string Note) Read(byte[] receipt)
    {
        var parts = Encoding.UTF8.GetString(receipt).Split('\u0001');
        var proof = parts[1].Length == 0 ? [] : parts[1].Split(',').Select(Convert.FromHexString).ToArray();
        return (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), proof, parts[2]);
    }

    public void Dispose() => _key.Dispose();
}
