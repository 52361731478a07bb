using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Transmission.Audit.Bundle;
using Transmission.Audit.Tests.Fixtures;
using Transmission.Core.Log;
using Transmission.Testing;

namespace Transmission.Audit.Tests.Bundle;

public sealed class BundleWriterTests(ElectionFixture fixture) : IClassFixture<ElectionFixture>
{
    private AuditFixture Election => fixture.Election;

    [Fact]
    public async Task WriteAsync_SmallChunks_OneFileAtATimeEachEndingWithLastChunk()
    {
        var sink = new RecordingSink();

        await BundleWriter.WriteAsync(Election.Content(), sink, new BundleWriterOptions { ChunkSize = 7 }).DefaultTimeout();

        Assert.All(sink.Chunks, c => Assert.True(c.Data.Length <= 7));
        var order = new List<string>();
        string? open = null;
        foreach (var (path, _, last) in sink.Chunks)
        {
            Assert.True(open is null || open == path, $"a chunk of {path} arrived while {open} was open");
            if (open is null)
            {
                Assert.DoesNotContain(path, order);
                order.Add(path);
            }

            open = last ? null : path;
        }

        Assert.Null(open);
        Assert.Equal(
            [BundlePaths.Election, BundlePaths.Root, BundlePaths.CentralSigning, BundlePaths.Crl(1), BundlePaths.Crl(2), BundlePaths.Entries, BundlePaths.EntriesJson, BundlePaths.Checkpoint],
            order.Take(8));
        Assert.Equal([BundlePaths.Totals, BundlePaths.Stations, BundlePaths.Manifest], order.TakeLast(3));
        Assert.All(order, p => Assert.True(BundlePaths.IsSafe(p), p));
    }

    [Fact]
    public async Task WriteAsync_Manifest_ListsEveryOtherFileSortedWithSizeAndHash()
    {
        var sink = new RecordingSink();

        var manifest = await BundleWriter.WriteAsync(Election.Content(), sink).DefaultTimeout();

        var files = sink.Files();
        var written = JsonSerializer.Deserialize<BundleManifest>(files.Single(f => f.Path == BundlePaths.Manifest).Bytes)!;
        Assert.Equal(BundleFormat.Name, written.Format);
        Assert.Equal(Election.Definition.ElectionId, written.ElectionId);
        Assert.Equal("test", written.Mode);
        Assert.Equal(Election.Entries.Count, written.LogSize);
        Assert.True(written.IncludesAttachments);
        var others = files.Where(f => f.Path != BundlePaths.Manifest).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        Assert.Equal(others.Select(f => f.Path), written.Files.Select(f => f.Path));
        Assert.Equal(others.Select(f => (long)f.Bytes.Length), written.Files.Select(f => f.Size));
        Assert.Equal(others.Select(f => Convert.ToHexStringLower(SHA256.HashData(f.Bytes))), written.Files.Select(f => f.Sha256));
        Assert.Equal(written.Files.Select(f => f.Path), manifest.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task WriteAsync_SameContentTwice_ByteIdenticalBundles()
    {
        var first = new RecordingSink();
        var second = new RecordingSink();

        await BundleWriter.WriteAsync(Election.Content(), first).DefaultTimeout();
        await BundleWriter.WriteAsync(Election.Content(), second).DefaultTimeout();

        Assert.Equal(first.Files().Select(f => (f.Path, Convert.ToHexString(SHA256.HashData(f.Bytes)))), second.Files().Select(f => (f.Path, Convert.ToHexString(SHA256.HashData(f.Bytes)))));
    }

    [Fact]
    public async Task WriteAsync_Entries_FramedInOrderAndDescribedInEntriesJson()
    {
        var sink = new RecordingSink();
        await BundleWriter.WriteAsync(Election.Content(), sink).DefaultTimeout();
        var files = sink.Files();

        var reader = new EntriesFileReader(new MemoryStream(files.Single(f => f.Path == BundlePaths.Entries).Bytes));
        var read = new List<RawEntry>();
        while (reader.Read(out var entry) == EntryReadStatus.Entry)
        {
            read.Add(entry!);
        }

        Assert.Equal(Election.Entries.Select(e => ((byte)e.Kind, Convert.ToHexString(e.Bytes.Span))), read.Select(r => (r.KindByte, Convert.ToHexString(r.Bytes))));
        var facts = new List<EntryFacts?>();
        await foreach (var f in BundleReader.ReadEntryFactsAsync(new MemoryStream(files.Single(f => f.Path == BundlePaths.EntriesJson).Bytes), CancellationToken.None))
        {
            facts.Add(f);
        }

        Assert.Equal(read.Count, facts.Count);
        for (var i = 0; i < read.Count; i++)
        {
            var f = facts[i]!;
            var source = Election.Entries[i];
            Assert.Equal(i, f.Index);
            Assert.Equal(BundleEntryKinds.Name(source.Kind), f.Kind);
            Assert.Equal(Convert.ToHexStringLower(MerkleHash.LeafHash(source.Bytes.Span)), f.LeafHash);
            Assert.Equal(BundleFormat.FormatTime(source.At), f.At);
            Assert.Equal(source.Submission?.StationCode, f.StationCode);
            Assert.Equal(source.Submission?.Revision, f.Revision);
            Assert.Equal(source.Submission is null ? null : Convert.ToHexStringLower(SHA256.HashData(source.Bytes.Span)), f.EnvelopeSha256);
        }
    }

    [Fact]
    public async Task WriteAsync_FewerEntriesThanLogSize_Refused()
    {
        var content = Election.Content() with { Entries = _ => Election.Entries.Take(Election.Entries.Count - 1).Streamed() };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => BundleWriter.WriteAsync(content, new RecordingSink())).DefaultTimeout();

        Assert.Contains("yielded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_EntriesDifferOnTheSecondRead_Refused()
    {
        var reads = 0;
        var content = Election.Content() with
        {
            Entries = _ => Interlocked.Increment(ref reads) == 1
                ? Election.Entries.Streamed()
                : Election.Entries.Select((e, i) => i == 3 ? e with { Bytes = (byte[])[.. e.Bytes.Span, 0] } : e).Streamed(),
        };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => BundleWriter.WriteAsync(content, new RecordingSink())).DefaultTimeout();

        Assert.Contains("Entry 3 differs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_CheckpointForAnotherRoot_RefusedBeforeTheJsonIsWritten()
    {
        var forged = Election.SignCheckpoint(Election.Entries.Count, SHA256.HashData("other"u8));
        var sink = new RecordingSink();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => BundleWriter.WriteAsync(Election.Content() with { Checkpoint = forged }, sink)).DefaultTimeout();

        Assert.Contains("root", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sink.Chunks, c => c.Path == BundlePaths.EntriesJson);
    }

    [Fact]
    public async Task WriteAsync_CheckpointForAnotherSize_RefusedBeforeAnythingIsWritten()
    {
        var tree = new MerkleTree();
        foreach (var entry in Election.Entries.Take(5))
        {
            tree.Append(entry.Bytes.Span);
        }

        var sink = new RecordingSink();

        await Assert.ThrowsAsync<InvalidOperationException>(() => BundleWriter.WriteAsync(Election.Content() with { Checkpoint = Election.SignCheckpoint(5, tree.Root()) }, sink)).DefaultTimeout();

        Assert.Empty(sink.Chunks);
    }

    [Fact]
    public async Task WriteAsync_AttachmentDeclaredButNotSupplied_Refused()
    {
        var content = Election.Content() with { Attachments = _ => Array.Empty<BundleBlob>().Streamed() };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => BundleWriter.WriteAsync(content, new RecordingSink())).DefaultTimeout();

        Assert.Contains("was not supplied", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_BlobWhoseBytesAreNotItsName_Refused()
    {
        var bogus = new BundleBlob(Convert.ToHexStringLower(SHA256.HashData("x"u8)), Encoding.UTF8.GetBytes("y"));
        var content = Election.Content() with { Evidence = _ => new[] { bogus }.Streamed() };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => BundleWriter.WriteAsync(content, new RecordingSink())).DefaultTimeout();

        Assert.Contains("does not have that SHA-256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_WithoutAttachments_NoAttachmentFilesAndManifestSaysSo()
    {
        var sink = new RecordingSink();

        var manifest = await BundleWriter.WriteAsync(Election.Content() with { IncludesAttachments = false, Attachments = null }, sink).DefaultTimeout();

        Assert.False(manifest.IncludesAttachments);
        Assert.DoesNotContain(sink.Chunks, c => c.Path.StartsWith(BundlePaths.AttachmentsFolder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FolderSink_BundleWrittenTwiceIntoOneFolder_SecondRefusedFirstKept()
    {
        using var folder = new TempFolder();
        await Election.WriteAsync(folder.Path).DefaultTimeout();
        var before = File.ReadAllBytes(folder[BundlePaths.Manifest]);

        await Assert.ThrowsAsync<IOException>(() => Election.WriteAsync(folder.Path)).DefaultTimeout();

        Assert.Equal(before, File.ReadAllBytes(folder[BundlePaths.Manifest]));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("log//entries.bin")]
    [InlineData("log\\entries.bin")]
    public async Task FolderSink_UnsafePath_Refused(string path)
    {
        using var folder = new TempFolder();
        await using var sink = new FolderBundleSink(folder.Path);

        await Assert.ThrowsAsync<ArgumentException>(() => sink.WriteChunkAsync(path, new byte[1], true, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }
}
