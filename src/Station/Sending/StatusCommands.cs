using System.CommandLine;
using System.Globalization;
using System.Text;
using Transmission.Cli;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Station.Election;
using Transmission.Station.Enrollment;
using Transmission.Station.Outbox;

namespace Transmission.Station.Sending;

/// <summary><c>status</c> (every outbox item) and <c>receipt show</c> (the verified receipt of a revision).</summary>
internal static class StatusCommands
{
    public static Command Status(TimeProvider time)
    {
        var directory = new Option<string>("--dir") { Description = "The station folder.", Required = true };
        var command = new Command("status", "List every protocol in the outbox: revision, state, attempts, last error, envelope SHA-256 and the receipt's log index. " + ExitCodes.HelpText)
        {
            directory,
        };
        command.SetGuardedAction((pr, console) =>
        {
            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            var identity = folder.ReadIdentity();
            console.WriteLine(File.Exists(InstalledElection.PathIn(folder.Path))
                ? InstalledElection.Banner(InstalledElection.Load(folder.Path))
                : "NO ELECTION INSTALLED (run 'election install')");
            using var outbox = CommandOutbox.Open(folder.Path, identity.Id, time);
            var items = outbox.Status();
            console.WriteLine($"station {identity.Id}: {items.Count} protocol(s) in the outbox");
            if (items.Count == 0)
            {
                return ExitCodes.Ok;
            }

            console.WriteLine($"{"revision",-9}{"state",-18}{"attempts",-9}{"envelope",-14}{"log index",-10}last error / next attempt");
            foreach (var item in items)
            {
                var state = item.IsStopped ? "Queued (stopped)" : item.State.ToString();
                var logIndex = item.HasReceipt && ReadBody(outbox.ReadReceipt(item.Revision)) is { } body ? body.LogIndex.ToString(CultureInfo.InvariantCulture) : "-";
                var envelope = item.EnvelopeSha256 is { } sha ? sha[..12] : "-";
                var note = item.LastError ?? string.Empty;
                if (item.State is OutboxState.Queued or OutboxState.Sent && item.NextAttemptAt is { } next)
                {
                    note = (note.Length > 0 ? note + "; " : string.Empty) + $"next attempt {next:u}";
                }

                console.WriteLine($"{item.Revision,-9}{state,-18}{item.Attempts,-9}{envelope,-14}{logIndex,-10}{note}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Receipt(TimeProvider time)
    {
        var receipt = new Command("receipt", "Central's receipts: show. " + ExitCodes.HelpText);
        var directory = new Option<string>("--dir") { Description = "The station folder.", Required = true };
        var revisionOption = new Option<int?>("--revision") { Description = "The revision whose receipt to show. Defaults to the highest receipted one." };
        var show = new Command("show", "Show the verified receipt of a revision: what Central signed that it stored, and where in its log. Exit 4 if the stored receipt no longer verifies. " + ExitCodes.HelpText)
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
                ? items.FirstOrDefault(i => i.Revision == wanted) ?? throw new CommandFailureException(ExitCodes.BadInput, $"revision {wanted} is not in the outbox")
                : items.Where(i => i.HasReceipt).MaxBy(i => i.Revision) ?? throw new CommandFailureException(ExitCodes.BadInput, "no protocol has a receipt yet (run 'send')");
            if (!item.HasReceipt || outbox.ReadReceipt(item.Revision) is not { } bytes || outbox.ReadEnvelope(item.Revision) is not { } envelope)
            {
                throw new CommandFailureException(ExitCodes.BadInput, $"revision {item.Revision} has no receipt yet (it is {item.State}; run 'send')");
            }

            using var root = KeyFiles.ReadCertificate(folder.RootPath, "election root certificate");
            var verifier = new EnvelopeVerifier(new ElectionTrust(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(root.RawData)), new SignerCertificateCache(capacity: 4));

            // As of when it was received and checked: a Central certificate that expired since does not undo it.
            var check = Receipts.VerifyFor(bytes, verifier, item.ReceiptVerifiedAt ?? time.GetUtcNow(), envelope, identity.Id, checked((uint)item.Revision));
            if (check.Body is not { } body)
            {
                throw new CommandFailureException(ExitCodes.Refused, $"SECURITY: the stored receipt of revision {item.Revision} does not verify ({check.ReasonCode}: {check.Detail}); tell the election office");
            }

            var signer = EnvelopeMapping.Parse(bytes).Envelope?.Signatures[0].KeyId ?? "?";
            console.WriteLine($"receipt of revision {body.Revision} (verified)");
            console.WriteLine($"election          {body.ElectionId} ({ModeName(body.Mode)})");
            console.WriteLine($"station           {body.StationCode}");
            console.WriteLine($"revision          {body.Revision}");
            console.WriteLine($"envelope sha256   {Convert.ToHexStringLower(body.EnvelopeSha256.Span)}");
            console.WriteLine($"payload sha256    {Convert.ToHexStringLower(body.PayloadSha256.Span)}");
            console.WriteLine($"log index         {body.LogIndex}");
            console.WriteLine($"received at       {body.ReceivedAt?.ToDateTimeOffset():u}");
            console.WriteLine($"co-signatures     {body.VerifiedCosignatures} verified");
            console.WriteLine($"inclusion proof   {body.InclusionProof.Count} hash(es)");
            console.WriteLine($"signed by         Central certificate sha256 {signer}");
            console.WriteLine($"receipt sha256    {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))}");
            if (!body.Checkpoint.IsEmpty)
            {
                console.WriteLine("checkpoint");
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
        ElectionMode.Test => "TEST, rehearsal",
        ElectionMode.Live => "LIVE",
        _ => "mode unspecified",
    };

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimEnd('\n');
        return text.All(c => c == '\n' || !char.IsControl(c)) ? text : Convert.ToBase64String(bytes);
    }
}
