using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Transmission.Core.Election;
using Transmission.Core.Log;

namespace Transmission.Audit.Bundle;

/// <summary>Options of <see cref="BundleWriter"/>.</summary>
public sealed record BundleWriterOptions
{
    /// <summary>
    /// The largest chunk handed to the sink. Defaults to 65,536 (64 KiB): well under the 4 MiB gRPC message limit of a
    /// <c>BundleChunk</c>, and small enough that a large file never sits in memory.
    /// </summary>
    public int ChunkSize { get; init; } = 64 * 1024;
}

/// <summary>
/// Writes an audit bundle (docs/audit-bundle.md) to an <see cref="IBundleSink"/>, file by file, streaming the log:
/// entries are read from <see cref="BundleContent.Entries"/> as they are written, never all at once.
/// </summary>
/// <remarks>
/// <para>File order: <c>election.json</c>, <c>pki/root.cert.pem</c>, <c>pki/central-signing.cert.pem</c>, the CRLs by
/// number, <c>log/entries.bin</c>, <c>log/entries.json</c>, <c>log/checkpoint</c>, the evidence, the attachments,
/// <c>published/totals.json</c>, <c>published/stations.json</c>, and last <c>MANIFEST.json</c> (it lists the others'
/// sizes and hashes, known only once they are written).</para>
/// <para>The writer refuses (throws <see cref="InvalidOperationException"/>) content that would make an inconsistent
/// bundle: a different number of entries than <see cref="BundleContent.LogSize"/>, a checkpoint that is not for
/// exactly those entries, entries that differ between the two reads, a blob whose bytes do not have its name's
/// SHA-256, an attachment declared but not supplied or supplied but not declared. Such content is a bug in the
/// caller; what was sent so far must be discarded.</para>
/// </remarks>
public static class BundleWriter
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="sink"/>; returns the manifest written last.</summary>
    public static async Task<BundleManifest> WriteAsync(BundleContent content, IBundleSink sink, BundleWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sink);
        options ??= new BundleWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChunkSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(content.LogSize, nameof(content));
        if (content.IncludesAttachments && content.Attachments is null)
        {
            throw new ArgumentException("Attachments are included, but no attachment source is given.", nameof(content));
        }

        var checkpoint = ParseCheckpoint(content);
        var writer = new Files(sink, options.ChunkSize);
        await writer.WriteAsync(BundlePaths.Election, content.Definition, cancellationToken);
        await writer.WriteAsync(BundlePaths.Root, content.RootCertificatePem, cancellationToken);
        await writer.WriteAsync(BundlePaths.CentralSigning, content.CentralSigningCertificatePem, cancellationToken);
        foreach (var crl in content.Crls.OrderBy(c => c.Number))
        {
            await writer.WriteAsync(BundlePaths.Crl(crl.Number), crl.Pem, cancellationToken);
        }

        var tree = await WriteEntriesAsync(content, writer, cancellationToken);
        if (!tree.Root().AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            throw new InvalidOperationException("The checkpoint's root is not the root of the entries.");
        }

        var declared = await WriteEntriesJsonAsync(content, writer, tree, cancellationToken);
        await writer.WriteAsync(BundlePaths.Checkpoint, Encoding.UTF8.GetBytes(content.Checkpoint), cancellationToken);
        if (content.Evidence is not null)
        {
            await WriteBlobsAsync(content.Evidence(cancellationToken), BundlePaths.Evidence, writer, null, cancellationToken);
        }

        if (content.IncludesAttachments)
        {
            await WriteBlobsAsync(content.Attachments!(cancellationToken), BundlePaths.Attachment, writer, declared, cancellationToken);
            if (declared.Count > 0)
            {
                throw new InvalidOperationException($"Attachment {declared.Order(StringComparer.Ordinal).First()} is declared by a logged protocol but was not supplied.");
            }
        }

        await writer.WriteAsync(BundlePaths.Totals, content.WriteTotals, cancellationToken);
        await writer.WriteAsync(BundlePaths.Stations, content.WriteStations, cancellationToken);

        var manifest = new BundleManifest
        {
            Format = BundleFormat.Name,
            ElectionId = content.ElectionId,
            Mode = content.Mode.ToJsonName(),
            LogSize = content.LogSize,
            IncludesAttachments = content.IncludesAttachments,
            Files = [.. writer.Written.OrderBy(f => f.Path, StringComparer.Ordinal)],
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, BundleJson.Options);
        await writer.WriteAsync(BundlePaths.Manifest, (byte[])[.. bytes, (byte)'\n'], cancellationToken);
        return manifest;
    }

    private static Checkpoint ParseCheckpoint(BundleContent content)
    {
        ArgumentNullException.ThrowIfNull(content.Checkpoint, nameof(content));
        // The note text ends at the last blank line (C2SP signed-note); the signature is the verifier's business.
        var blank = content.Checkpoint.LastIndexOf("\n\n", StringComparison.Ordinal);
        var parsed = blank < 0 ? null : Checkpoint.Parse(content.Checkpoint[..(blank + 1)]).Checkpoint;
        if (parsed is null)
        {
            throw new InvalidOperationException("The checkpoint is not a signed checkpoint note.");
        }

        if (parsed.Origin != LogEntryTypes.Origin(content.ElectionId) || parsed.TreeSize != content.LogSize)
        {
            throw new InvalidOperationException($"The checkpoint is for {parsed.Origin} at {parsed.TreeSize}, not {LogEntryTypes.Origin(content.ElectionId)} at {content.LogSize}.");
        }

        return parsed;
    }

    private static async Task<MerkleTree> WriteEntriesAsync(BundleContent content, Files writer, CancellationToken cancellationToken)
    {
        var tree = new MerkleTree();
        var header = new byte[EntryFraming.HeaderSize];
        await using var stream = writer.Open(BundlePaths.Entries);
        await foreach (var entry in content.Entries(cancellationToken).WithCancellation(cancellationToken))
        {
            CheckEntry(entry, tree.Size, content.LogSize);
            EntryFraming.WriteHeader(header, entry.Kind, entry.Bytes.Length);
            await stream.WriteAsync(header, cancellationToken);
            await stream.WriteAsync(entry.Bytes, cancellationToken);
            tree.Append(entry.Bytes.Span);
        }

        if (tree.Size != content.LogSize)
        {
            throw new InvalidOperationException($"The log source yielded {tree.Size} entries, not {content.LogSize}.");
        }

        writer.Add(await stream.CompleteAsync(cancellationToken));
        return tree;
    }

    private static async Task<HashSet<string>> WriteEntriesJsonAsync(BundleContent content, Files writer, MerkleTree tree, CancellationToken cancellationToken)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var stream = writer.Open(BundlePaths.EntriesJson);
        await using (var json = new Utf8JsonWriter(buffer, BundleJson.WriterOptions))
        {
            json.WriteStartArray();
            long index = 0;
            await foreach (var entry in content.Entries(cancellationToken).WithCancellation(cancellationToken))
            {
                CheckEntry(entry, index, content.LogSize);
                var leaf = MerkleHash.LeafHash(entry.Bytes.Span);
                if (!leaf.AsSpan().SequenceEqual(tree.NodeHash(0, index)))
                {
                    throw new InvalidOperationException($"Entry {index} differs between the two reads of the log.");
                }

                JsonSerializer.Serialize(json, Facts(entry, index, leaf), BundleJson.Options);
                foreach (var attachment in entry.Submission?.Attachments ?? [])
                {
                    declared.Add(attachment.Sha256);
                }

                index++;
                json.Flush();
                if (buffer.WrittenCount >= 64 * 1024)
                {
                    await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
                    buffer.ResetWrittenCount();
                }
            }

            if (index != content.LogSize)
            {
                throw new InvalidOperationException($"The second read of the log yielded {index} entries, not {content.LogSize}.");
            }

            json.WriteEndArray();
        }

        buffer.Write("\n"u8);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
        writer.Add(await stream.CompleteAsync(cancellationToken));
        return declared;
    }

    private static EntryFacts Facts(BundleEntry entry, long index, byte[] leaf)
    {
        var facts = new EntryFacts
        {
            Index = index,
            Kind = BundleEntryKinds.Name(entry.Kind),
            LeafHash = Convert.ToHexStringLower(leaf),
            At = BundleFormat.FormatTime(entry.At),
        };
        if (entry.Submission is not { } submission)
        {
            return facts;
        }

        return facts with
        {
            EnvelopeSha256 = Convert.ToHexStringLower(SHA256.HashData(entry.Bytes.Span)),
            StationCode = submission.StationCode,
            Revision = submission.Revision,
            Flags = submission.Flags,
            VerifiedCosignatures = submission.VerifiedCosignatures,
            Attachments = submission.Attachments,
        };
    }

    private static void CheckEntry(BundleEntry entry, long index, long logSize)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (index >= logSize)
        {
            throw new InvalidOperationException($"The log source yields more than {logSize} entries.");
        }

        if (!Enum.IsDefined(entry.Kind) || (entry.Kind == BundleEntryKind.Submission) != (entry.Submission is not null))
        {
            throw new InvalidOperationException($"Entry {index}: a {entry.Kind} entry carries submission facts exactly when it is a submission.");
        }

        if (entry.Bytes.Length > EntryFraming.MaxEntryBytes)
        {
            throw new InvalidOperationException($"Entry {index} has {entry.Bytes.Length} bytes, above {EntryFraming.MaxEntryBytes}.");
        }

        foreach (var attachment in entry.Submission?.Attachments ?? [])
        {
            if (!BundlePaths.IsSha256Hex(attachment.Sha256))
            {
                throw new InvalidOperationException($"Entry {index}: attachment '{attachment.Name}' has no lowercase hex SHA-256.");
            }
        }
    }

    private static async Task WriteBlobsAsync(IAsyncEnumerable<BundleBlob> blobs, Func<string, string> pathOf, Files writer, HashSet<string>? declared, CancellationToken cancellationToken)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in blobs.WithCancellation(cancellationToken))
        {
            ArgumentNullException.ThrowIfNull(blob);
            if (!BundlePaths.IsSha256Hex(blob.Sha256Hex) || Convert.ToHexStringLower(SHA256.HashData(blob.Content.Span)) != blob.Sha256Hex)
            {
                throw new InvalidOperationException($"Blob '{blob.Sha256Hex}' does not have that SHA-256.");
            }

            if (!written.Add(blob.Sha256Hex))
            {
                throw new InvalidOperationException($"Blob {blob.Sha256Hex} is supplied twice.");
            }

            if (declared is not null && !declared.Remove(blob.Sha256Hex))
            {
                throw new InvalidOperationException($"Attachment {blob.Sha256Hex} is not declared by any logged protocol.");
            }

            await writer.WriteAsync(pathOf(blob.Sha256Hex), blob.Content, cancellationToken);
        }
    }

    /// <summary>The files sent so far, for the manifest.</summary>
    private sealed class Files(IBundleSink sink, int chunkSize)
    {
        private readonly HashSet<string> _paths = new(StringComparer.Ordinal);

        public List<ManifestFile> Written { get; } = [];

        public SinkFileStream Open(string path)
        {
            if (!_paths.Add(path))
            {
                throw new InvalidOperationException($"'{path}' is written twice.");
            }

            return new SinkFileStream(sink, path, chunkSize);
        }

        public void Add(ManifestFile file)
        {
            if (file.Path != BundlePaths.Manifest)
            {
                Written.Add(file);
            }
        }

        public Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
            WriteAsync(path, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken);

        public async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
        {
            await using var stream = Open(path);
            await write(stream, cancellationToken);
            Add(await stream.CompleteAsync(cancellationToken));
        }
    }
}
