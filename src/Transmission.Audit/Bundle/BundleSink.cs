namespace Transmission.Audit.Bundle;

/// <summary>
/// Where <see cref="BundleWriter"/> puts a bundle: a folder here, a stream of <c>BundleChunk{path, data, last}</c>
/// messages in Central's <c>ExportBundle</c>. The writer never assumes a file system.
/// </summary>
/// <remarks>
/// The writer sends one file at a time: all chunks of a file in order, the last one with <c>last</c> set (an empty
/// file is a single empty last chunk), then the next file. Paths are <see cref="BundlePaths.IsSafe"/> and each is
/// sent once. Chunks are at most <see cref="BundleWriterOptions.ChunkSize"/> bytes. The memory passed to
/// <see cref="WriteChunkAsync"/> is only valid until the returned task completes.
/// </remarks>
public interface IBundleSink
{
    /// <summary>Receives the next piece of <paramref name="path"/>.</summary>
    public ValueTask WriteChunkAsync(string path, ReadOnlyMemory<byte> data, bool last, CancellationToken cancellationToken);
}

/// <summary>Writes a bundle into a folder, one file per path (sub-folders as the paths say); never overwrites a file.</summary>
public sealed class FolderBundleSink : IBundleSink, IAsyncDisposable
{
    private readonly string _root;
    private FileStream? _open;
    private string? _openPath;

    /// <summary>A sink into <paramref name="folder"/>, created if needed.</summary>
    public FolderBundleSink(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _root = Path.GetFullPath(folder);
        Directory.CreateDirectory(_root);
    }

    /// <inheritdoc/>
    public async ValueTask WriteChunkAsync(string path, ReadOnlyMemory<byte> data, bool last, CancellationToken cancellationToken)
    {
        if (!BundlePaths.IsSafe(path))
        {
            throw new ArgumentException($"'{path}' is not a bundle path.", nameof(path));
        }

        if (_open is null)
        {
            var full = Path.Combine(_root, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            _open = new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            _openPath = path;
        }
        else if (!string.Equals(path, _openPath, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A chunk of '{path}' arrived before the last chunk of '{_openPath}'.");
        }

        await _open.WriteAsync(data, cancellationToken);
        if (last)
        {
            await _open.DisposeAsync();
            _open = null;
            _openPath = null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_open is not null)
        {
            await _open.DisposeAsync();
            _open = null;
        }
    }
}
