using System.CommandLine;
using Transmission.Audit.Bundle;
using Transmission.Cli;
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
        var output = new Option<string>("--out") { Description = "The new folder to write the bundle into (must not exist yet).", Required = true };
        var attachments = new Option<bool>("--attachments") { Description = "Also fetch the scanned forms (large)." };
        var keep = new Option<string?>("--keep-checkpoint") { Description = "A folder of checkpoints you keep: the bundle's checkpoint is copied there (named by tree size)." };
        var command = new Command("fetch", "Download the audit bundle from Central (auditor certificate) into a new folder; then run 'verify' on it.\n" + AuditExitCodes.HelpText)
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
                throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{folder} already exists; give a new folder to --out");
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
                            throw new CommandFailureException(ExitCodes.Refused, $"Central sent a file outside the bundle ('{chunk.Path}'); nothing more was written");
                        }

                        files += chunk.Last ? 1 : 0;
                        await sink.WriteChunkAsync(chunk.Path, chunk.Data.Memory, chunk.Last, cancellationToken);
                    },
                    cancellationToken);
            }

            await stdout.WriteLineAsync($"bundle of {files} file(s) written to {folder}");
            if (parse.GetValue(keep) is { Length: > 0 } keepFolder)
            {
                var note = await File.ReadAllTextAsync(Path.Combine(folder, "log", "checkpoint"), cancellationToken);
                var size = note.Split('\n') is { Length: > 1 } lines ? lines[1] : "unknown";
                Directory.CreateDirectory(keepFolder);
                var kept = Path.Combine(Path.GetFullPath(keepFolder), $"checkpoint-{size}.txt");
                await File.WriteAllTextAsync(kept, note, cancellationToken);
                await stdout.WriteLineAsync($"its checkpoint (size {size}) kept as {kept}");
            }

            await stdout.WriteLineAsync($"next: transmission-audit verify {folder} --root <the election root you obtained yourself>" +
                (parse.GetValue(keep) is { Length: > 0 } k ? $" --checkpoints {k}" : string.Empty));
            return ExitCodes.Ok;
        });
        return command;
    }
}
