using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Cli.Connection;
using Transmission.Verifier.Submissions;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Inspection;

/// <summary>
/// <c>show --save-attachments</c>: fetches each scan and keeps it only if its SHA-256 is the digest the station
/// signed. A scan that does not match is not written; it is reported on one line and the command exits 2.
/// </summary>
internal static class AttachmentSaver
{
    /// <summary>Saves every attachment of <paramref name="detail"/>; returns how many did not match their signed digest.</summary>
    /// <param name="central">The connection.</param>
    /// <param name="detail">The submission (its envelope's digest names the attachments).</param>
    /// <param name="signed">The protocol as verified here; its attachment digests are the ones the station signed.</param>
    /// <param name="directory">Where to write; created if missing. Existing files are never overwritten (exit 3).</param>
    /// <param name="output">One line per saved file.</param>
    /// <param name="error">One line per mismatch.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<int> SaveAsync(CentralConnection central, SubmissionDetail detail, ResultProtocol signed, string directory, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Directory.CreateDirectory(directory);
        var envelopeSha256 = ByteString.CopyFrom(SHA256.HashData(detail.Envelope.Span));
        var mismatches = 0;
        foreach (var info in detail.Attachments)
        {
            var label = Localized.Format(VerifierText.AttachmentLabel, info.Index, info.Name);
            if (info.Index >= signed.Attachments.Count)
            {
                await error.WriteLineAsync(Transmission.Cli.CommandActions.ErrorLine(Localized.Format(VerifierText.AttachmentNotSigned, label)));
                mismatches++;
                continue;
            }

            var signedDigest = signed.Attachments[(int)info.Index].Sha256;
            var content = await central.CallAsync(ReviewMethods.GetAttachment, new GetAttachmentRequest { EnvelopeSha256 = envelopeSha256, Index = info.Index }, cancellationToken);
            var actual = ByteString.CopyFrom(SHA256.HashData(content.Content.Span));
            if (!actual.Equals(signedDigest))
            {
                await error.WriteLineAsync(Transmission.Cli.CommandActions.ErrorLine(Localized.Format(VerifierText.AttachmentMismatch, label, EnvelopeDigest.Hex(actual), EnvelopeDigest.Hex(signedDigest))));
                mismatches++;
                continue;
            }

            var path = Path.Combine(directory, FileName(info.Index, info.Name));
            WriteNew(path, content.Content.Span);
            await output.WriteLineAsync(Localized.Format(VerifierText.AttachmentSaved, path, content.MediaType, content.Content.Length, EnvelopeDigest.Hex(actual)));
        }

        return mismatches;
    }

    /// <summary>"0-scan.png": the index keeps names unique; only the last path segment of the station's name is used.</summary>
    public static string FileName(uint index, string name)
    {
        var safe = new string(Path.GetFileName(name ?? string.Empty).Select(c => Path.GetInvalidFileNameChars().Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim();
        if (safe.Length == 0 || safe is "." or "..")
        {
            safe = "attachment";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{index}-{safe}");
    }

    private static void WriteNew(string path, ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new CommandFailureException(ExitCodes.WouldOverwrite, Localized.Format(CliText.FileExists, path));
        }
    }
}
