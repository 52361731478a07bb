using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Transmission.Cli;
using Transmission.Contracts.Mapping;
using Transmission.Core.Election;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Protocol;
using Transmission.Station.Election;
using Transmission.Station.Enrollment;
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
        var protocol = new Command("protocol", "The result protocol of this station: template, check, sign. " + ExitCodes.HelpText);
        protocol.Subcommands.Add(Template());
        protocol.Subcommands.Add(Check());
        protocol.Subcommands.Add(Sign(time));
        return protocol;
    }

    private static Option<string> DirectoryOption() => new("--dir") { Description = "The station folder.", Required = true };

    private static Command Template()
    {
        var directory = DirectoryOption();
        var revision = new Option<int>("--revision") { Description = "The revision to fill in (1, or a correction 2, 3...). Defaults to 1.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Where to write the template (JSON); an existing file is not overwritten.", Required = true };
        var command = new Command(
            "template",
            "Write this station's empty protocol form (JSON): the election binding, registered voters from the registry, and every contest and choice with 0 votes. " +
            ExitCodes.HelpText)
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
                throw new CommandFailureException(ExitCodes.Usage, "--revision must be 1 or more");
            }

            if (!definition.TryGetStation(identity.Id, out _))
            {
                throw new CommandFailureException(ExitCodes.Refused, $"the installed election does not list station {identity.Id}");
            }

            var template = JsonNode.Parse(ProtocolTemplate.Create(definition, identity.Id))!.AsObject();
            template["revision"] = pr.GetValue(revision);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(template, TemplateJson);
            var target = pr.GetValue(output)!;
            WriteNewFile(target, bytes);
            console.WriteLine($"template for station {identity.Id}, revision {pr.GetValue(revision)}, written to {target}");
            console.WriteLine("fill in the counts, then run 'protocol check' and 'protocol sign'");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Check()
    {
        var directory = DirectoryOption();
        var file = new Option<string>("--file") { Description = "The filled protocol form (JSON, from 'protocol template').", Required = true };
        var command = new Command(
            "check",
            "Check a filled protocol form and list every problem in plain words with its code. Exit 0 when it can be signed, " +
            "2 when it has problems that must be fixed, 7 when it only breaks counting rules (signable with --explain). " +
            ExitCodes.HelpText)
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
            var check = ProtocolCheck.Run(InstalledElection.ReadBytes(path, "protocol form"), definition, identity.Id);
            Report(check, console, explained: !string.IsNullOrWhiteSpace(check.Protocol?.Explanation));
            console.WriteLine($"{path}: the protocol is complete and adds up; it can be signed ('protocol sign')");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sign(TimeProvider time)
    {
        var directory = DirectoryOption();
        var file = new Option<string>("--file") { Description = "The filled protocol form (JSON).", Required = true };
        var attach = new Option<string[]>("--attach")
        {
            Description = "A scan or photo of the signed paper form (.jpg, .jpeg, .png or .pdf); repeat for several.",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        var explain = new Option<string?>("--explain") { Description = "The chair's written explanation when the protocol breaks a counting rule on purpose (signed into the protocol; replaces the form's 'explanation')." };
        var correctionReason = new Option<string?>("--correction-reason") { Description = "Why this revision corrects an earlier one (revision > 1; replaces the form's 'correctionReason')." };
        var command = new Command(
            "sign",
            "Check, sign with this station's signing key and queue the protocol in the outbox (written to disk before anything is sent). " +
            "Refuses a protocol with problems (exit 2), one that breaks a counting rule without --explain (exit 7), and a revision " +
            "that is already signed (exit 3: a correction needs the next revision). " +
            ExitCodes.HelpText)
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
                throw new CommandFailureException(ExitCodes.BadInput, $"{attachmentPaths.Length} attachments given; Central accepts at most {MaxAttachments} per protocol");
            }

            var attachments = attachmentPaths.Select(ReadAttachment).ToArray();
            var explanation = pr.GetValue(explain);
            var reason = pr.GetValue(correctionReason);
            var path = pr.GetValue(file)!;
            var check = ProtocolCheck.Run(
                InstalledElection.ReadBytes(path, "protocol form"),
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
                throw new CommandFailureException(ExitCodes.BadInput, "a correction reason is only for a correction (revision 2 or more); this is revision 1");
            }

            using var outbox = CommandOutbox.Open(folder.Path, identity.Id, time);
            RefuseIfAlreadySigned(outbox, draft.Revision);

            using var key = ReadSigningKey(folder);
            using var certificate = ReadSigningCertificate(folder, identity, time);
            var protocol = draft with { SignedAt = time.GetUtcNow() };
            var mapped = protocol.ToContract();
            if (!mapped.IsSuccess)
            {
                throw new CommandFailureException(ExitCodes.BadInput, $"the protocol cannot be encoded: {mapped.Detail} [{mapped.ReasonCode}]");
            }

            var payload = mapped.Value.ToByteArray();
            var envelope = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, payload, key, certificate);
            var envelopeBytes = EnvelopeMapping.ToBytes(envelope);
            var envelopeSha256 = Convert.ToHexStringLower(SHA256.HashData(envelopeBytes));

            var recorded = outbox.RecordSigned(protocol.Revision, envelopeBytes, SHA256.HashData(payload), attachments);
            if (!recorded.IsSuccess)
            {
                throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{recorded.Detail} [{recorded.ReasonCode}]");
            }

            var queued = outbox.MarkQueued(protocol.Revision);
            if (!queued.IsSuccess)
            {
                throw new CommandFailureException(ExitCodes.Internal, $"signed and stored, but not queued: {queued.Detail} [{queued.ReasonCode}]; run 'send', which queues it");
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
            console.WriteLine($"signed revision {protocol.Revision} of station {identity.Id} at {protocol.SignedAt:u}{(check.HasFlags ? " with the explanation" : string.Empty)}");
            foreach (var attachment in attachments)
            {
                console.WriteLine($"attachment {attachment.Name} ({attachment.MediaType}, {attachment.Bytes.Length} bytes) sha256 {Convert.ToHexStringLower(SHA256.HashData(attachment.Bytes))}");
            }

            console.WriteLine($"envelope sha256 {envelopeSha256}");
            console.WriteLine("queued; run 'send'");
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
            throw new CommandFailureException(ExitCodes.BadInput, $"the protocol has {rejections} problem(s) that must be fixed; it cannot be signed");
        }

        if (flags > 0 && !explained)
        {
            throw new CommandFailureException(
                ExitCodes.RulesBroken,
                $"the protocol breaks {flags} counting rule(s); correct the counts, or if they are what the paper form says, sign with --explain \"<why>\"");
        }

        if (flags > 0)
        {
            console.WriteLine($"the protocol breaks {flags} counting rule(s), explained; Central will store it flagged for review");
        }
    }

    private static void RefuseIfAlreadySigned(Outbox.Outbox outbox, int revision)
    {
        var signed = outbox.Status().Where(e => e.State != OutboxState.Draft).ToArray();
        if (signed.FirstOrDefault(e => e.Revision == revision) is { } existing)
        {
            throw new CommandFailureException(
                ExitCodes.WouldOverwrite,
                $"revision {revision} is already signed (envelope sha256 {existing.EnvelopeSha256}, {existing.State}); it is never signed twice. " +
                $"A correction needs revision {signed.Max(e => e.Revision) + 1} with a correction reason [ALREADY_SIGNED]");
        }

        if (signed.Length > 0 && signed.Max(e => e.Revision) is var highest && highest > revision)
        {
            throw new CommandFailureException(
                ExitCodes.WouldOverwrite,
                $"revision {highest} is already signed; revision {revision} is below it (a correction needs revision {highest + 1}) [REVISION_STALE]");
        }
    }

    private static OutboxAttachment ReadAttachment(string path)
    {
        var mediaType = Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".JPG" or ".JPEG" => "image/jpeg",
            ".PNG" => "image/png",
            ".PDF" => "application/pdf",
            _ => throw new CommandFailureException(ExitCodes.BadInput, $"{path}: attachments must be .jpg, .jpeg, .png or .pdf files"),
        };
        if (File.Exists(path) && new FileInfo(path).Length > MaxAttachmentBytes)
        {
            throw new CommandFailureException(ExitCodes.BadInput, $"{path} is {new FileInfo(path).Length} bytes; Central accepts at most {MaxAttachmentBytes} bytes per attachment (scan at a lower resolution)");
        }

        return new OutboxAttachment(Path.GetFileName(path), mediaType, InstalledElection.ReadBytes(path, "attachment"));
    }

    private static ECDsa ReadSigningKey(StationKeyFolder folder) => File.Exists(folder.SigningKeyPath)
        ? KeyFiles.ReadPrivateKey(folder.SigningKeyPath)
        : throw new CommandFailureException(ExitCodes.BadInput, $"missing signing key (run 'keys init'): {folder.SigningKeyPath}");

    /// <summary>The installed signing certificate, checked now against the installed root: signing with an unusable one would only be refused by Central.</summary>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2 ReadSigningCertificate(StationKeyFolder folder, CallerIdentity identity, TimeProvider time)
    {
        foreach (var (path, what) in new[] { (folder.SigningCertificatePath, "signing certificate"), (folder.RootPath, "election root certificate") })
        {
            if (!File.Exists(path))
            {
                throw new CommandFailureException(ExitCodes.BadInput, $"missing {what} (run 'keys install'): {path}");
            }
        }

        var certificate = KeyFiles.ReadCertificate(folder.SigningCertificatePath);
        using var root = KeyFiles.ReadCertificate(folder.RootPath);
        var check = new ElectionTrust(root).Validate(certificate, CertificatePurpose.Signing, time.GetUtcNow());
        if (!check.IsSuccess || check.Value != identity)
        {
            certificate.Dispose();
            var why = check.IsSuccess ? $"it names {check.Value.Uri}, not {identity.Uri}" : $"{check.ReasonCode}: {check.Detail}";
            throw new CommandFailureException(ExitCodes.Refused, $"the signing certificate {folder.SigningCertificatePath} cannot sign now ({why}); contact the election office");
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
            throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{path} already exists; refusing to overwrite it");
        }
    }
}
