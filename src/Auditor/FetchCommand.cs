using System.CommandLine;
using Transmission.Audit.Bundle;
using Transmission.Auditor.Localization;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Cli.Connection;
using Transmission.Contracts.V1;

namespace Transmission.Auditor;

/// <summary>
/// <c>fetch</c>: downloads the audit bundle from Central's Audit service (auditor certificate, mutual TLS) into a new
/// folder, and keeps a copy of its checkpoint in the auditor's checkpoint folder, so the next bundle can be checked
/// against it (<c>verify --checkpoints</c>). Fetching proves nothing by itself: run <c>verify</c> on the folder.
/// </summary>
internal static class FetchCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions(Environment.GetEnvironmentVariable, role: "auditor", developmentFolder: "certs-dev/out/auditor-1");
        var output = new Option<string>("--out") { Description = AuditText.OptFetchOut, Required = true };
        var attachments = new Option<bool>("--attachments") { Description = AuditText.OptAttachments };
        var keep = new Option<string?>("--keep-checkpoint") { Description = AuditText.OptKeepCheckpoint };
        var command = new Command("fetch", AuditText.FetchDescription + "\n" + AuditExitCodes.HelpText)
        {
            output,
            attachments,
            keep,
        };
        foreach (var option in connection.All)
        {
            command.Options.Add(option);
        }

        command.SetGuardedAction(async (parse, stdout, cancellationToken) =>
        {
            var settings = connection.Read(parse);
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            if (Directory.Exists(folder) || File.Exists(folder))
            {
                throw new CommandFailureException(ExitCodes.WouldOverwrite, Localized.Format(AuditText.FetchExists, folder));
            }

            using var central = CentralConnection.Open(settings, parse.InvocationConfiguration.Error);
            var request = new ExportBundleRequest { IncludeAttachments = parse.GetValue(attachments) };
            var files = 0;
            await using (var sink = new FolderBundleSink(folder))
            {
                await central.ReadStreamAsync(
                    AuditMethods.ExportBundle,
                    request,
                    bounded: false,
                    async chunk =>
                    {
                        if (!BundlePaths.IsSafe(chunk.Path))
                        {
                            throw new CommandFailureException(ExitCodes.Refused, Localized.Format(AuditText.FetchOutside, chunk.Path));
                        }

                        files += chunk.Last ? 1 : 0;
                        await sink.WriteChunkAsync(chunk.Path, chunk.Data.Memory, chunk.Last, cancellationToken);
                    },
                    cancellationToken);
            }

            await stdout.WriteLineAsync(Localized.Format(AuditText.FetchWritten, files, folder));
            if (parse.GetValue(keep) is { Length: > 0 } keepFolder)
            {
                var note = await File.ReadAllTextAsync(Path.Combine(folder, "log", "checkpoint"), cancellationToken);
                var size = note.Split('\n') is { Length: > 1 } lines ? lines[1] : null;
                Directory.CreateDirectory(keepFolder);
                var kept = Path.Combine(Path.GetFullPath(keepFolder), $"checkpoint-{size ?? "unknown"}.txt");
                await File.WriteAllTextAsync(kept, note, cancellationToken);
                await stdout.WriteLineAsync(Localized.Format(AuditText.FetchKept, size ?? AuditText.FetchSizeUnknown, kept));
            }

            await stdout.WriteLineAsync(Localized.Format(
                AuditText.FetchNext, folder, parse.GetValue(keep) is { Length: > 0 } k ? $" --checkpoints {k}" : string.Empty));
            return ExitCodes.Ok;
        });
        return command;
    }
}
