using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Transmission.Audit.Bundle;
using Transmission.Audit.Verification;
using Transmission.Auditor.Localization;
using Transmission.Cli;
using Transmission.Cli.Localization;

namespace Transmission.Auditor;

/// <summary><c>verify &lt;bundle-folder&gt;</c>: the whole offline audit of one bundle.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var bundle = new Argument<string>("bundle-folder") { Description = AuditText.ArgBundle };
        var checkpoints = new Option<string?>("--checkpoints") { Description = AuditText.OptCheckpoints };
        var json = new Option<string?>("--json") { Description = AuditText.OptJson };
        var root = new Option<string?>("--root") { Description = AuditText.OptRoot };
        var command = new Command("verify", AuditText.VerifyDescription + "\n" + AuditExitCodes.HelpText)
        {
            bundle,
            checkpoints,
            json,
            root,
        };
        command.SetGuardedAction(async (parse, output, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var reader = Open(parse.GetValue(bundle)!);
            var options = new AuditOptions
            {
                PinnedRoot = parse.GetValue(root) is { } rootPath ? ReadRoot(rootPath) : null,
                SavedCheckpoints = parse.GetValue(checkpoints) is { } folder ? ReadCheckpoints(folder) : [],
            };
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(jsonPath))))
            {
                // Said before a long verification, not after it.
                throw new CommandFailureException(ExitCodes.OutputFailed, Localized.Format(AuditText.JsonFolderMissing, jsonPath));
            }

            var report = await AuditProgressDisplay.RunAsync(error, progress => Verify(reader, options with { Progress = progress }, cancellationToken));
            ReportText.Write(report, output);
            if (jsonPath is not null)
            {
                await using var file = new FileStream(jsonPath, FileMode.Create, FileAccess.Write, FileShare.None);
                await AuditReportJson.WriteAsync(report, file, cancellationToken);
            }

            return report.IsClean ? ExitCodes.Ok : AuditExitCodes.Findings;
        });
        return command;
    }

    private static async Task<AuditReport> Verify(BundleReader reader, AuditOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await BundleVerifier.VerifyAsync(reader, options, cancellationToken);
        }
        catch (BundleUnreadableException e)
        {
            throw Unreadable(e);
        }
    }

    /// <summary>The one line for a bundle that cannot be read, in the report's language (the system's own words as they are).</summary>
    private static CommandFailureException Unreadable(BundleUnreadableException e)
    {
        var format = e.Reason switch
        {
            BundleUnreadable.FolderMissing => AuditText.Unreadable_FolderMissing,
            BundleUnreadable.NotAFolder => AuditText.Unreadable_NotAFolder,
            BundleUnreadable.FileUnreadable => AuditText.Unreadable_FileUnreadable,
            BundleUnreadable.FolderUnlistable => AuditText.Unreadable_FolderUnlistable,
            BundleUnreadable.SymbolicLink => AuditText.Unreadable_SymbolicLink,
            _ => null,
        };
        return new CommandFailureException(ExitCodes.BadInput, format is null ? e.Message : Localized.Format(format, e.Path, e.SystemDetail));
    }

    private static BundleReader Open(string folder)
    {
        try
        {
            return BundleReader.Open(folder);
        }
        catch (BundleUnreadableException e)
        {
            throw Unreadable(e);
        }
    }

    private static X509Certificate2 ReadRoot(string path)
    {
        var bytes = ReadInput(path, "--root");
        try
        {
            var text = Encoding.ASCII.GetString(bytes);
            return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(bytes);
        }
        catch (CryptographicException)
        {
            throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(AuditText.RootNotCertificate, path));
        }
    }

    private static List<SavedCheckpoint> ReadCheckpoints(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(AuditText.CheckpointsNotFolder, folder));
        }

        var saved = new List<SavedCheckpoint>();
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            saved.Add(new SavedCheckpoint(Path.GetFileName(file), Encoding.UTF8.GetString(ReadInput(file, "--checkpoints"))));
        }

        return saved;
    }

    private static byte[] ReadInput(string path, string option)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(AuditText.InputUnreadable, option, path, e.Message));
        }
    }
}
