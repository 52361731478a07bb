using System.Security.Cryptography;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Export;

/// <summary>What <see cref="ExportFile.WriteAsync"/> wrote. Invariant: the file at <see cref="Path"/> has exactly these bytes.</summary>
internal sealed record ExportWritten(string Path, long Bytes, string Sha256Hex);

/// <summary>
/// Writes an export so that the named file is either the complete export or not there at all: the bytes go to a
/// temporary file beside it, which is flushed to disk and then renamed. An existing file is kept unless the caller
/// forces a replacement (exit 3 otherwise); a failed or cancelled export leaves no temporary file behind.
/// </summary>
internal static class ExportFile
{
    /// <summary>Refuses (exit 3) when <paramref name="path"/> exists and <paramref name="force"/> is not set; checked before Central is asked.</summary>
    public static void RefuseExisting(string path, bool force)
    {
        if (!force && (File.Exists(path) || Directory.Exists(path)))
        {
            throw new CommandFailureException(ExitCodes.WouldOverwrite, Localized.Format(VerifierText.ExistsUseForce, path));
        }
    }

    /// <summary>Runs <paramref name="produce"/>, which hands each chunk to the writer it gets, then puts the file in place.</summary>
    public static async Task<ExportWritten> WriteAsync(string path, bool force, Func<Func<ReadOnlyMemory<byte>, ValueTask>, Task> produce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(produce);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(VerifierText.FolderMissing, directory));
        }

        RefuseExisting(full, force);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.tmp-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        try
        {
            long bytes = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024, useAsync: true))
            {
                await produce(async chunk =>
                {
                    hash.AppendData(chunk.Span);
                    bytes = checked(bytes + chunk.Length);
                    await stream.WriteAsync(chunk, cancellationToken);
                });
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, full, overwrite: force);
            }
            catch (IOException) when (!force && File.Exists(full))
            {
                // Someone created the file while the export ran: still never overwrite without --force.
                throw new CommandFailureException(ExitCodes.WouldOverwrite, Localized.Format(VerifierText.ExistsUseForce, full));
            }

            return new ExportWritten(full, bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
