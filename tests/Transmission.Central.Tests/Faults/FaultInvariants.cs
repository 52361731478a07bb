using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Storage;
using Transmission.Contracts.Receipts;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
using Transmission.Core.Pki;
using Transmission.Station.Outbox;
using Transmission.Testing;
using StationOutbox = Transmission.Station.Outbox.Outbox;

namespace Transmission.Central.Tests.Faults;

/// <summary>
/// What every fault test asserts afterwards (design §11, "every receipt sent matches a durably stored submission; no
/// loss, no duplicates"), read from the stations' own outbox files and from Central's database file after Central
/// stopped or was killed:
/// <list type="bullet">
/// <item>every protocol a station signed is receipted in its outbox, and its receipt verifies as the station verifies
/// it (Central's signature to the election root, this envelope, station and revision, checkpoint, inclusion proof);</item>
/// <item>that receipt is byte for byte the one Central stored for the envelope, the stored envelope is byte for byte
/// the signed one, and the receipt's log index is the row's;</item>
/// <item>one row per envelope (and per station and revision), no other rows;</item>
/// <item>the log is gap-free (indices 0..n−1, one leaf per submission) and every signed checkpoint has the root of the
/// log at its size and is consistent with the one before it;</item>
/// <item>SQLite's <c>PRAGMA integrity_check</c> answers ok.</item>
/// </list>
/// </summary>
internal static class FaultInvariants
{
    /// <summary>Asserts everything above for these station folders; returns how many protocols were checked.</summary>
    public static async Task<int> AssertAsync(DevelopmentPki pki, IReadOnlyList<(string Code, string Directory)> stations)
    {
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(pki.Ca, "ca.cert.pem"));
        var verifier = new EnvelopeVerifier(new ElectionTrust(root), new SignerCertificateCache());
        await using var db = new CentralDbContext(CentralDatabase.ForConfiguration(pki.DataDirectory, pki.StorageOptions()));
        var rows = await db.Submissions.AsNoTracking().ToListAsync().DefaultTimeout();
        var byEnvelope = rows.ToDictionary(r => Convert.ToHexStringLower(r.EnvelopeSha256), StringComparer.Ordinal);
        var signed = 0;
        foreach (var (code, directory) in stations)
        {
            using var outbox = StationOutbox.Open(directory, code, TimeProvider.System);
            foreach (var entry in outbox.Status().Where(e => e.State != OutboxState.Draft))
            {
                signed++;
                Assert.True(entry.State == OutboxState.Receipted, $"{code} r{entry.Revision} is {entry.State} ({entry.LastError})");
                var envelope = outbox.ReadEnvelope(entry.Revision)!;
                var receipt = outbox.ReadReceipt(entry.Revision)!;
                var check = Receipts.VerifyFor(receipt, verifier, DateTimeOffset.UtcNow, envelope, code, checked((uint)entry.Revision));
                Assert.True(check.IsValid, $"{code} r{entry.Revision}: {check.ReasonCode} {check.Detail}");
                Assert.True(byEnvelope.TryGetValue(entry.EnvelopeSha256!, out var row), $"{code} r{entry.Revision} holds a receipt for an envelope Central does not have");
                Assert.Equal(receipt, row!.ReceiptBytes);
                Assert.Equal((long)check.Body!.LogIndex, row.LogIndex);
                var stored = await db.Blobs.AsNoTracking().SingleAsync(b => b.Sha256 == row.EnvelopeSha256).DefaultTimeout();
                Assert.Equal(envelope, stored.Bytes);
                Assert.Equal(SHA256.HashData(envelope), row.EnvelopeSha256);
            }
        }

        Assert.Equal(signed, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => Convert.ToHexString(r.PayloadSha256)).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(rows.Count, rows.Select(r => (r.StationCode, r.Revision)).Distinct().Count());
        Assert.All(rows, r => Assert.NotNull(r.ReceiptBytes));

        await AssertLogAsync(db, rows.Count);
        if (!TestStore.IsPostgreSql)
        {
            await using var connection = db.Database.GetDbConnection();
            await connection.OpenAsync().DefaultTimeout();
            await using var integrity = connection.CreateCommand();
            integrity.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string?)await integrity.ExecuteScalarAsync().DefaultTimeout());
        }

        return signed;
    }

    /// <summary>The log holds exactly <paramref name="submissions"/> leaves, 0..n−1, and every checkpoint is its root at its size and consistent with the one before.</summary>
    public static async Task AssertLogAsync(CentralDbContext db, int submissions)
    {
        var leaves = await db.LogEntries.AsNoTracking().OrderBy(e => e.Index).Select(e => new { e.Index, e.EntrySha256, e.SubmissionId }).ToListAsync().DefaultTimeout();
        Assert.Equal(Enumerable.Range(0, leaves.Count).Select(i => (long)i), leaves.Select(l => l.Index));
        Assert.Equal(submissions, leaves.Count(l => l.SubmissionId is not null));
        Assert.Equal(submissions, leaves.Where(l => l.SubmissionId is not null).Select(l => l.SubmissionId).Distinct().Count());
        var tree = new MerkleTree();
        foreach (var leaf in leaves)
        {
            tree.AppendLeafHash(leaf.EntrySha256);
        }

        var checkpoints = await db.Checkpoints.AsNoTracking().OrderBy(c => c.TreeSize).ToListAsync().DefaultTimeout();
        Assert.NotEmpty(checkpoints);
        Assert.Equal(leaves.Count, checkpoints[^1].TreeSize);
        CheckpointRow? previous = null;
        foreach (var checkpoint in checkpoints)
        {
            Assert.Equal(tree.Root(checkpoint.TreeSize), checkpoint.RootHash);
            if (previous is not null && previous.TreeSize > 0)
            {
                var proof = tree.ConsistencyProof(previous.TreeSize, checkpoint.TreeSize);
                Assert.True(MerkleProofs.VerifyConsistency(previous.TreeSize, checkpoint.TreeSize, proof, previous.RootHash, checkpoint.RootHash).IsValid, $"checkpoint {checkpoint.TreeSize} is not consistent with {previous.TreeSize}");
            }

            previous = checkpoint;
        }
    }
}
