using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Contracts.Mapping;
using Transmission.Core.Election;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Protocol;
using Transmission.Station.Election;
using Transmission.Station.Enrollment;
using Transmission.Station.Localization;
using Transmission.Station.Outbox;

namespace Transmission.Station.Protocol;

/// <summary>
/// The <c>protocol</c> command group, the chair's core job before sending: <c>template</c> (an empty form for this
/// station), <c>check</c> (every problem in plain words), <c>sign</c> (sign and queue in the outbox, durably, before
/// any network I/O).
/// </summary>
internal static class ProtocolCommands
{
    // Central's default limits (SubmissionLimits): a protocol beyond them would be signed only to be refused.
    private const int MaxAttachments = 8;
    private const long MaxAttachmentBytes = 20L * 1024 * 1024;

    private static readonly JsonSerializerOptions TemplateJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Creates the <c>protocol</c> command.</summary>
    /// <param name="time">The clock for <c>signedAt</c> and certificate checks.</param>
    public static Command Create(TimeProvider time)
    {
        var protocol = new Command("protocol", StationText.ProtocolDescription + " " + ExitCodes.HelpText);
        protocol.Subcommands.Add(Template());
        protocol.Subcommands.Add(Check());
        protocol.Subcommands.Add(Sign(time));
        return protocol;
    }

    private static Option<string> DirectoryOption() => new("--dir") { Description = StationText.OptDir, Required = true };

    private static Command Template()
    {
        var directory = DirectoryOption();
        var revision = new Option<int>("--revision") { Description = StationText.OptRevision, DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = StationText.OptTemplateOut, Required = true };
        var command = new Command(
            "template",
            StationText.TemplateDescription + " " + ExitCodes.HelpText)
        {
            directory,
            revision,
            output,
        };
        command.SetGuardedAction((pr, console) =>
        {
            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            var identity = folder.ReadIdentity();
            var definition = InstalledElection.Load(folder.Path);
            console.WriteLine(InstalledElection.Banner(definition));
            if (pr.GetValue(revision) < 1)
            {
                throw new CommandFailureException(ExitCodes.Usage, StationText.RevisionAtLeastOne);
            }

            if (!definition.TryGetStation(identity.Id, out _))
            {
                throw new CommandFailureException(ExitCodes.Refused, Localized.Format(StationText.StationNotListed, identity.Id));
            }

            var template = JsonNode.Parse(ProtocolTemplate.Create(definition, identity.Id))!.AsObject();
            template["revision"] = pr.GetValue(revision);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(template, TemplateJson);
            var target = pr.GetValue(output)!;
            WriteNewFile(target, bytes);
            console.WriteLine(Localized.Format(StationText.TemplateWritten, identity.Id, pr.GetValue(revision), target));
            console.WriteLine(StationText.TemplateNext);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Check()
    {
        var directory = DirectoryOption();
        var file = new Option<string>("--file") { Description = StationText.OptFormFile, Required = true };
        var command = new Command(
            "check",
            StationText.CheckDescription + " " + ExitCodes.HelpText)
        {
            directory,
            file,
        };
        command.SetGuardedAction((pr, console) =>
        {
            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            var identity = folder.ReadIdentity();
            var definition = InstalledElection.Load(folder.Path);
            console.WriteLine(InstalledElection.Banner(definition));
            var path = pr.GetValue(file)!;
            var check = ProtocolCheck.Run(InstalledElection.ReadBytes(path, StationText.WhatProtocolForm), definition, identity.Id);
            Report(check, console, explained: !string.IsNullOrWhiteSpace(check.Protocol?.Explanation));
            console.WriteLine(Localized.Format(StationText.CheckOk, path));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sign(TimeProvider time)
    {
        var directory = DirectoryOption();
        var file = new Option<string>("--file") { Description = StationText.OptSignFile, Required = true };
        var attach = new Option<string[]>("--attach")
        {
            Description = StationText.OptAttach,
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        var explain = new Option<string?>("--explain") { Description = StationText.OptExplain };
        var correctionReason = new Option<string?>("--correction-reason") { Description = StationText.OptCorrectionReason };
        var command = new Command(
            "sign",
            StationText.SignDescription + " " + ExitCodes.HelpText)
        {
            directory,
            file,
            attach,
            explain,
            correctionReason,
        };
        command.SetGuardedAction((pr, console) =>
        {
            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            var identity = folder.ReadIdentity();
            var definition = InstalledElection.Load(folder.Path);
            console.WriteLine(InstalledElection.Banner(definition));

            var attachmentPaths = pr.GetValue(attach)!;
            if (attachmentPaths.Length > MaxAttachments)
            {
                throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.TooManyAttachments, attachmentPaths.Length, MaxAttachments));
            }

            var attachments = attachmentPaths.Select(ReadAttachment).ToArray();
            var explanation = pr.GetValue(explain);
            var reason = pr.GetValue(correctionReason);
            var path = pr.GetValue(file)!;
            var check = ProtocolCheck.Run(
                InstalledElection.ReadBytes(path, StationText.WhatProtocolForm),
                definition,
                identity.Id,
                draft => draft with
                {
                    Explanation = explanation ?? draft.Explanation,
                    CorrectionReason = reason ?? draft.CorrectionReason,
                    Attachments = attachments.Select(a => AttachmentDigest.Of(a.Name, a.MediaType, a.Bytes)).ToArray(),
                });
            Report(check, console, explained: !string.IsNullOrWhiteSpace(check.Protocol?.Explanation));
            var draft = check.Protocol!;
            if (draft.Revision == 1 && !string.IsNullOrEmpty(draft.CorrectionReason))
            {
                throw new CommandFailureException(ExitCodes.BadInput, StationText.CorrectionReasonOnFirst);
            }

            using var outbox = CommandOutbox.Open(folder.Path, identity.Id, time);
            RefuseIfAlreadySigned(outbox, draft.Revision);

            using var key = ReadSigningKey(folder);
            using var certificate = ReadSigningCertificate(folder, identity, time);
            var protocol = draft with { SignedAt = time.GetUtcNow() };
            var mapped = protocol.ToContract();
            if (!mapped.IsSuccess)
            {
                throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.CannotEncode, CodeText.Explain(CodeText.Refusal, mapped.ReasonCode!, mapped.Detail), mapped.ReasonCode));
            }

            var payload = mapped.Value.ToByteArray();
            var envelope = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, payload, key, certificate);
            var envelopeBytes = EnvelopeMapping.ToBytes(envelope);
            var envelopeSha256 = Convert.ToHexStringLower(SHA256.HashData(envelopeBytes));

            var recorded = outbox.RecordSigned(protocol.Revision, envelopeBytes, SHA256.HashData(payload), attachments);
            if (!recorded.IsSuccess)
            {
                throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{recorded.Text} [{recorded.ReasonCode}]");
            }

            Failpoint.Reach(Failpoint.AfterSignBeforeQueue);
            var queued = outbox.MarkQueued(protocol.Revision);
            if (!queued.IsSuccess)
            {
                throw new CommandFailureException(ExitCodes.Internal, Localized.Format(StationText.SignedNotQueued, queued.Text, queued.ReasonCode));
            }

            StationLog.Record(
                folder.Path,
                "Signed revision {Revision} of {Station} for election {ElectionId} ({Mode}): envelope sha256 {EnvelopeSha256}, {AttachmentCount} attachment(s), flags {Flags}; queued",
                protocol.Revision,
                identity.Uri,
                definition.ElectionId,
                definition.Mode.ToJsonName(),
                envelopeSha256,
                attachments.Length,
                string.Join(",", check.Problems.Select(p => p.Code).Distinct(StringComparer.Ordinal)));
            console.WriteLine(Localized.Format(check.HasFlags ? StationText.SignedWithExplanation : StationText.Signed, protocol.Revision, identity.Id, protocol.SignedAt));
            foreach (var attachment in attachments)
            {
                console.WriteLine(Localized.Format(StationText.SignedAttachment, attachment.Name, attachment.MediaType, attachment.Bytes.Length, Convert.ToHexStringLower(SHA256.HashData(attachment.Bytes))));
            }

            console.WriteLine(Localized.Format(StationText.SignedEnvelope, envelopeSha256));
            console.WriteLine(StationText.SignedQueued);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints every problem; throws exit 2 for a rejection and exit 7 for an unexplained broken rule.</summary>
    private static void Report(ProtocolCheck check, TextWriter console, bool explained)
    {
        foreach (var problem in check.Problems)
        {
            console.WriteLine(problem.ToLine());
        }

        var rejections = check.Problems.Count(p => p.Severity == ViolationSeverity.Reject);
        var flags = check.Problems.Count(p => p.Severity == ViolationSeverity.Flag);
        if (rejections > 0)
        {
            throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.HasRejections, rejections));
        }

        if (flags > 0 && !explained)
        {
            throw new CommandFailureException(
                ExitCodes.RulesBroken,
                Localized.Format(StationText.FlagsUnexplained, flags));
        }

        if (flags > 0)
        {
            console.WriteLine(Localized.Format(StationText.FlagsExplained, flags));
        }
    }

    /// <summary>An outbox state in the chair's language.</summary>
    internal static string StateName(OutboxState state) => state switch
    {
        OutboxState.Draft => StationText.State_Draft,
        OutboxState.Signed => StationText.State_Signed,
        OutboxState.Queued => StationText.State_Queued,
        OutboxState.Sent => StationText.State_Sent,
        OutboxState.Receipted => StationText.State_Receipted,
        _ => state.ToString(),
    };

    private static void RefuseIfAlreadySigned(Outbox.Outbox outbox, int revision)
    {
        var signed = outbox.Status().Where(e => e.State != OutboxState.Draft).ToArray();
        if (signed.FirstOrDefault(e => e.Revision == revision) is { } existing)
        {
            throw new CommandFailureException(
                ExitCodes.WouldOverwrite,
                Localized.Format(StationText.AlreadySigned, revision, existing.EnvelopeSha256, StateName(existing.State), signed.Max(e => e.Revision) + 1));
        }

        if (signed.Length > 0 && signed.Max(e => e.Revision) is var highest && highest > revision)
        {
            throw new CommandFailureException(
                ExitCodes.WouldOverwrite,
                Localized.Format(StationText.RevisionStale, highest, revision, highest + 1));
        }
    }

    private static OutboxAttachment ReadAttachment(string path)
    {
        var mediaType = Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".JPG" or ".JPEG" => "image/jpeg",
            ".PNG" => "image/png",
            ".PDF" => "application/pdf",
            _ => throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.AttachmentType, path)),
        };
        if (File.Exists(path) && new FileInfo(path).Length > MaxAttachmentBytes)
        {
            throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.AttachmentTooLarge, path, new FileInfo(path).Length, MaxAttachmentBytes));
        }

        return new OutboxAttachment(Path.GetFileName(path), mediaType, InstalledElection.ReadBytes(path, StationText.WhatAttachment));
    }

    private static ECDsa ReadSigningKey(StationKeyFolder folder) => File.Exists(folder.SigningKeyPath)
        ? KeyFiles.ReadPrivateKey(folder.SigningKeyPath)
        : throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.MissingSigningKey, folder.SigningKeyPath));

    /// <summary>The installed signing certificate, checked now against the installed root: signing with an unusable one would only be refused by Central.</summary>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2 ReadSigningCertificate(StationKeyFolder folder, CallerIdentity identity, TimeProvider time)
    {
        foreach (var (path, what) in new[] { (folder.SigningCertificatePath, StationText.WhatSigningCertificate), (folder.RootPath, StationText.WhatRootCertificate) })
        {
            if (!File.Exists(path))
            {
                throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.MissingInstalled, what, path));
            }
        }

        var certificate = KeyFiles.ReadCertificate(folder.SigningCertificatePath);
        using var root = KeyFiles.ReadCertificate(folder.RootPath);
        var check = new ElectionTrust(root).Validate(certificate, CertificatePurpose.Signing, time.GetUtcNow());
        if (!check.IsSuccess || check.Value != identity)
        {
            certificate.Dispose();
            var why = check.IsSuccess ? Localized.Format(StationText.SigningCertNamesOther, check.Value.Uri, identity.Uri) : $"{check.ReasonCode}: {CodeText.Explain(CodeText.Pki, check.ReasonCode!, check.Detail)}";
            throw new CommandFailureException(ExitCodes.Refused, Localized.Format(StationText.SigningCertUnusable, folder.SigningCertificatePath, why));
        }

        return certificate;
    }

    private static void WriteNewFile(string path, byte[] bytes)
    {
        try
        {
            using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None });
            stream.Write(bytes);
            stream.Write("\n"u8);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new CommandFailureException(ExitCodes.WouldOverwrite, Localized.Format(CliText.FileExists, path));
        }
    }
}
