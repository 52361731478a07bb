using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Transmission.Audit.Bundle;

/// <summary>The bundle cannot be read at all (its folder is missing, or a file cannot be read for a reason other than absence).</summary>
public sealed class BundleUnreadableException : Exception
{
    /// <summary>An exception with a one-line English message, what went wrong and where.</summary>
    public BundleUnreadableException(BundleUnreadable reason, string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Path = path;
    }

    /// <summary>What went wrong, so a user interface can word it in its own language.</summary>
    public BundleUnreadable Reason { get; }

    /// <summary>The bundle folder as given, or the bundle path of the file concerned.</summary>
    public string Path { get; }

    /// <summary>The operating system's words, if an I/O error was the cause; otherwise empty.</summary>
    public string SystemDetail => InnerException?.Message ?? string.Empty;
}

/// <summary>Why a bundle could not be read at all.</summary>
public enum BundleUnreadable
{
    /// <summary>The bundle folder does not exist.</summary>
    FolderMissing,

    /// <summary>The bundle "folder" is a file.</summary>
    NotAFolder,

    /// <summary>A file of the bundle exists but cannot be read.</summary>
    FileUnreadable,

    /// <summary>The bundle folder cannot be listed.</summary>
    FolderUnlistable,

    /// <summary>An entry of the bundle is a symbolic link (a bundle holds plain files and folders only).</summary>
    SymbolicLink,
}

/// <summary>
/// Reads a bundle folder (docs/audit-bundle.md). Only paths that are <see cref="BundlePaths.IsSafe"/> are ever opened,
/// so nothing in a bundle (a manifest entry, a CRL name) can make the reader look outside its folder. A file that is
/// absent is reported as absent (<see langword="null"/>): judging that is the verifier's job. A file that exists but
/// cannot be read throws <see cref="BundleUnreadableException"/>.
/// </summary>
public sealed class BundleReader
{
    private BundleReader(string folder)
    {
        Folder = folder;
    }

    /// <summary>The bundle folder (full path).</summary>
    public string Folder { get; }

    /// <summary>Opens the bundle in <paramref name="folder"/>; throws <see cref="BundleUnreadableException"/> if it is not a folder.</summary>
    public static BundleReader Open(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw File.Exists(full)
                ? new BundleUnreadableException(BundleUnreadable.NotAFolder, folder, $"'{folder}' is a file, not a bundle folder.")
                : new BundleUnreadableException(BundleUnreadable.FolderMissing, folder, $"The bundle folder '{folder}' does not exist.");
        }

        return new BundleReader(full);
    }

    /// <summary>Whether the bundle has the file <paramref name="path"/>.</summary>
    public bool Exists(string path) => File.Exists(FullPath(path));

    /// <summary>The size of <paramref name="path"/>, or <see langword="null"/> if it is absent.</summary>
    public long? SizeOf(string path)
    {
        var info = new FileInfo(FullPath(path));
        return info.Exists ? info.Length : null;
    }

    /// <summary>The bytes of <paramref name="path"/>, or <see langword="null"/> if it is absent.</summary>
    public byte[]? ReadAllBytes(string path)
    {
        var full = FullPath(path);
        try
        {
            return File.Exists(full) && RefuseLink(new FileInfo(full)) ? File.ReadAllBytes(full) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BundleUnreadableException(BundleUnreadable.FileUnreadable, path, $"'{path}' in the bundle cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Opens <paramref name="path"/> for reading, or returns <see langword="null"/> if it is absent.</summary>
    public FileStream? OpenRead(string path)
    {
        var full = FullPath(path);
        try
        {
            return File.Exists(full) && RefuseLink(new FileInfo(full)) ? new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BundleUnreadableException(BundleUnreadable.FileUnreadable, path, $"'{path}' in the bundle cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Every file in the bundle as a bundle path, sorted (ordinal). A file whose path is not a safe bundle path is
    /// listed as it is (with <c>/</c>), so a verifier can report it, but is never opened.
    /// </summary>
    public IReadOnlyList<string> ListFiles()
    {
        try
        {
            var files = new List<string>();
            foreach (var entry in new DirectoryInfo(Folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
            {
                RefuseLink(entry);
                if (entry is FileInfo)
                {
                    files.Add(Path.GetRelativePath(Folder, entry.FullName).Replace(Path.DirectorySeparatorChar, '/'));
                }
            }

            files.Sort(StringComparer.Ordinal);
            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BundleUnreadableException(BundleUnreadable.FolderUnlistable, Folder, $"The bundle folder cannot be listed: {e.Message}", e);
        }
    }

    /// <summary>The files under <paramref name="folder"/> (a path ending in <c>/</c>, e.g. <see cref="BundlePaths.CrlFolder"/>), sorted.</summary>
    public IReadOnlyList<string> ListFiles(string folder) =>
        [.. ListFiles().Where(p => p.StartsWith(folder, StringComparison.Ordinal))];

    /// <summary>
    /// Streams <c>log/entries.json</c> element by element (never the whole array in memory). A malformed file throws
    /// <see cref="JsonException"/> at the element where reading fails.
    /// </summary>
    public static async IAsyncEnumerable<EntryFacts?> ReadEntryFactsAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await foreach (var facts in JsonSerializer.DeserializeAsyncEnumerable<EntryFacts>(stream, BundleJson.Options, cancellationToken))
        {
            yield return facts;
        }
    }

    /// <summary>Parses <c>MANIFEST.json</c>; throws <see cref="JsonException"/> when it is not the documented JSON.</summary>
    public static BundleManifest ParseManifest(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<BundleManifest>(json, BundleJson.Options) ?? throw new JsonException("The manifest is null.");

    // A bundle is plain files in plain folders. A symbolic link could make the verifier read (and report the hash of)
    // a file outside the bundle, so the bundle is refused as unusable instead.
    private bool RefuseLink(FileSystemInfo entry)
    {
        if (entry.LinkTarget is not null)
        {
            var relative = Path.GetRelativePath(Folder, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            throw new BundleUnreadableException(BundleUnreadable.SymbolicLink, relative, $"'{relative}' in the bundle is a symbolic link; a bundle holds plain files and folders only.");
        }

        return true;
    }

    private string FullPath(string path)
    {
        if (!BundlePaths.IsSafe(path))
        {
            throw new ArgumentException($"'{path}' is not a bundle path.", nameof(path));
        }

        return Path.Combine(Folder, path.Replace('/', Path.DirectorySeparatorChar));
    }
}
