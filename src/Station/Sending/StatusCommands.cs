using System.CommandLine;
using System.Globalization;
using System.Text;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Station.Election;
using Transmission.Station.Enrollment;
using Transmission.Station.Localization;
using Transmission.Station.Outbox;

namespace Transmission.Station.Sending;

/// <summary><c>status</c> (every outbox item) and <c>receipt show</c> (the verified receipt of a revision).</summary>
internal static class StatusCommands
{
    public static Command Status(TimeProvider time)
    {
        var directory = new Option<string>("--dir") { Description = StationText.OptDir, Required = true };
        var command = new Command("status", StationText.StatusDescription + " " + ExitCodes.HelpText)
        {
            directory,
        };
        command.SetGuardedAction((pr, console) =>
        {
            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            var identity = folder.ReadIdentity();
            console.WriteLine(File.Exists(InstalledElection.PathIn(folder.Path))
                ? InstalledElection.Banner(InstalledElection.Load(folder.Path))
                : StationText.StatusNoElection);
            using var outbox = CommandOutbox.Open(folder.Path, identity.Id, time);
            var items = outbox.Status();
            console.WriteLine(Localized.Format(StationText.StatusCount, identity.Id, items.Count));
            if (items.Count == 0)
            {
                return ExitCodes.Ok;
            }

            console.WriteLine(StationText.StatusHeader);
            foreach (var item in items)
            {
                var state = item.IsStopped ? StationText.StateStopped : Protocol.ProtocolCommands.StateName(item.State);
                var logIndex = item.HasReceipt && ReadBody(outbox.ReadReceipt(item.Revision)) is { } body ? body.LogIndex.ToString(CultureInfo.InvariantCulture) : "-";
                var envelope = item.EnvelopeSha256 is { } sha ? sha[..12] : "-";
                var note = FailureNote.Describe(item.LastError);
                if (item.State is OutboxState.Queued or OutboxState.Sent && item.NextAttemptAt is { } next)
                {
                    note = (note.Length > 0 ? note + "; " : string.Empty) + Localized.Format(StationText.StatusNextAttempt, next);
                }

                console.WriteLine($"{item.Revision,-9}{state,-18}{item.Attempts,-9}{envelope,-14}{logIndex,-10}{note}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Receipt(TimeProvider time)
    {
        var receipt = new Command("receipt", StationText.ReceiptGroupDescription + " " + ExitCodes.HelpText);
        var directory = new Option<string>("--dir") { Description = StationText.OptDir, Required = true };
        var revisionOption = new Option<int?>("--revision") { Description = StationText.OptReceiptRevision };
        var show = new Command("show", StationText.ReceiptShowDescription + " " + ExitCodes.HelpText)
        {
            directory,
            revisionOption,
        };
        show.SetGuardedAction((pr, console) =>
        {
            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            var identity = folder.ReadIdentity();
            console.WriteLine(InstalledElection.Banner(InstalledElection.Load(folder.Path)));
            using var outbox = CommandOutbox.Open(folder.Path, identity.Id, time);
            var items = outbox.Status();
            var item = pr.GetValue(revisionOption) is { } wanted
                ? items.FirstOrDefault(i => i.Revision == wanted) ?? throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.RevisionNotInOutbox, wanted))
                : items.Where(i => i.HasReceipt).MaxBy(i => i.Revision) ?? throw new CommandFailureException(ExitCodes.BadInput, StationText.NoReceiptYet);
            if (!item.HasReceipt || outbox.ReadReceipt(item.Revision) is not { } bytes || outbox.ReadEnvelope(item.Revision) is not { } envelope)
            {
                throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.RevisionNoReceipt, item.Revision, Protocol.ProtocolCommands.StateName(item.State)));
            }

            using var root = KeyFiles.ReadCertificate(folder.RootPath, StationText.WhatRootCertificate);
            var verifier = new EnvelopeVerifier(new ElectionTrust(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(root.RawData)), new SignerCertificateCache(capacity: 4));

            // As of when it was received and checked: a Central certificate that expired since does not undo it.
            var check = Receipts.VerifyFor(bytes, verifier, item.ReceiptVerifiedAt ?? time.GetUtcNow(), envelope, identity.Id, checked((uint)item.Revision));
            if (check.Body is not { } body)
            {
                throw new CommandFailureException(ExitCodes.Refused, Localized.Format(StationText.ReceiptInvalidStored, item.Revision, check.ReasonCode, check.Detail));
            }

            var signer = EnvelopeMapping.Parse(bytes).Envelope?.Signatures[0].KeyId ?? "?";
            console.WriteLine(Localized.Format(StationText.ReceiptTitle, body.Revision));
            console.WriteLine(Localized.Format(StationText.ReceiptElection, body.ElectionId, ModeName(body.Mode)));
            console.WriteLine(Localized.Format(StationText.ReceiptStation, body.StationCode));
            console.WriteLine(Localized.Format(StationText.ReceiptRevision, body.Revision));
            console.WriteLine(Localized.Format(StationText.ReceiptEnvelope, Convert.ToHexStringLower(body.EnvelopeSha256.Span)));
            console.WriteLine(Localized.Format(StationText.ReceiptPayload, Convert.ToHexStringLower(body.PayloadSha256.Span)));
            console.WriteLine(Localized.Format(StationText.ReceiptLogIndex, body.LogIndex));
            console.WriteLine(Localized.Format(StationText.ReceiptReceivedAt, body.ReceivedAt?.ToDateTimeOffset()));
            console.WriteLine(Localized.Format(StationText.ReceiptCosignatures, body.VerifiedCosignatures));
            console.WriteLine(Localized.Format(StationText.ReceiptProof, body.InclusionProof.Count));
            console.WriteLine(Localized.Format(StationText.ReceiptSignedBy, signer));
            console.WriteLine(Localized.Format(StationText.ReceiptSha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))));
            if (!body.Checkpoint.IsEmpty)
            {
                console.WriteLine(StationText.ReceiptCheckpoint);
                foreach (var line in Printable(body.Checkpoint.Span).Split('\n'))
                {
                    console.WriteLine("  " + line);
                }
            }

            return ExitCodes.Ok;
        });
        receipt.Subcommands.Add(show);
        return receipt;
    }

    private static ReceiptBody? ReadBody(byte[]? receipt)
    {
        if (receipt is null || EnvelopeMapping.Parse(receipt).Envelope is not { } envelope)
        {
            return null;
        }

        try
        {
            return ReceiptBody.Parser.ParseFrom(envelope.Payload.Span);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static string ModeName(ElectionMode mode) => mode switch
    {
        ElectionMode.Test => StationText.ModeTestRehearsal,
        ElectionMode.Live => StationText.ModeLive,
        _ => StationText.ModeUnspecified,
    };

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimEnd('\n');
        return text.All(c => c == '\n' || !char.IsControl(c)) ? text : Convert.ToBase64String(bytes);
    }
}
