using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Serilog.Extensions.Logging;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
using Transmission.Core.Pki;
using Transmission.Grpc;
using Transmission.Station.Connection;
using Transmission.Station.Election;
using Transmission.Station.Enrollment;
using Transmission.Station.Localization;
using Transmission.Station.Outbox;

namespace Transmission.Station.Sending;

/// <summary>
/// <c>witness</c>: asks Central for its latest signed checkpoint and, for every receipt the station holds, a consistency
/// proof from the receipt's checkpoint to it. If each proof verifies, the station's protocols are still in Central's log
/// exactly as receipted: every station is a witness of the log. The latest checkpoint seen is kept
/// (<c>witness/checkpoint</c>), and the next run also checks that Central's log only grew since.
/// </summary>
internal static class WitnessCommand
{
    /// <summary>The file, in the station folder, holding the last checkpoint this station witnessed.</summary>
    public static string CheckpointPath(string stationFolder) => Path.Combine(stationFolder, "witness", "checkpoint");

    public static Command Create(TimeProvider time)
    {
        var directory = new Option<string>("--dir") { Description = StationText.OptDir, Required = true };
        var central = new Option<string>("--central") { Description = StationText.OptCentral, Required = true };
        var timeout = new Option<double>("--timeout") { Description = StationText.WitnessOptTimeout, DefaultValueFactory = _ => 30 };
        var command = new Command(
            "witness",
            StationText.WitnessDescription + " " + ExitCodes.HelpText)
        {
            directory,
            central,
            timeout,
        };
        command.SetGuardedAction(async (pr, console, cancellationToken) =>
        {
            var centralText = pr.GetValue(central)!;
            if (!Uri.TryCreate(centralText, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttps)
            {
                throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.CentralNotHttps, centralText));
            }

            if (pr.GetValue(timeout) is var seconds && (seconds <= 0 || double.IsNaN(seconds) || seconds > 86_400))
            {
                throw new CommandFailureException(ExitCodes.Usage, StationText.TimeoutInvalid);
            }

            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            var identity = folder.ReadIdentity();
            console.WriteLine(InstalledElection.Banner(InstalledElection.Load(folder.Path)));
            var held = ReadReceipts(folder, identity.Id, time);
            if (held.Count == 0)
            {
                console.WriteLine(StationText.WitnessNothing);
                return ExitCodes.Ok;
            }

            await using var log = StationLog.Create(folder.Path, pr.GetValue(StationLog.Verbose));
            using var loggerFactory = new SerilogLoggerFactory(log);
            using var connection = StationConnection.Open(folder, address, loggerFactory);
            var key = held[0].Key;
            var witnessed = ReadWitnessed(folder.Path, key);
            Checkpoint? latest = null;
            var latestNote = string.Empty;
            var findings = new List<string>();
            var findingsText = new List<string>();
            foreach (var from in held.Select(h => h.Checkpoint).Append(witnessed).OfType<Checkpoint>().DistinctBy(c => (c.TreeSize, Convert.ToHexString(c.RootHash))).OrderBy(c => c.TreeSize))
            {
                if (await CallAsync(connection, from.TreeSize, TimeSpan.FromSeconds(seconds), cancellationToken) is not { } reply)
                {
                    findings.Add($"{LogWitness.Shrank}: Central's log no longer reaches the {from.TreeSize} entries of a checkpoint it signed");
                    findingsText.Add(Localized.Format(StationText.WitnessShrank, LogWitness.Shrank, from.TreeSize));
                    continue;
                }

                var note = reply.Checkpoint.ToStringUtf8();
                var check = LogWitness.Check(from, note, reply.Proof.Select(h => h.ToByteArray()).ToArray(), key);
                if (check.Latest is not { } now)
                {
                    findings.Add($"{check.ReasonCode}: {check.Detail}");
                    findingsText.Add($"{check.ReasonCode}: {CodeText.Explain(CodeText.Witness, check.ReasonCode!, check.Detail)}");
                    continue;
                }

                if (latest is null || now.TreeSize > latest.TreeSize)
                {
                    (latest, latestNote) = (now, note);
                }
                foreach (var item in held.Where(h => h.Checkpoint.TreeSize == from.TreeSize && h.Checkpoint.RootHash.AsSpan().SequenceEqual(from.RootHash)))
                {
                    console.WriteLine(Localized.Format(StationText.WitnessStillInLog, item.Revision, item.LogIndex, from.TreeSize, now.TreeSize));
                }
            }

            if (findings.Count > 0)
            {
                foreach (var finding in findings)
                {
                    log.Error("Security: Central's log does not extend a checkpoint this station holds: {Finding}", finding);
                }

                throw new CommandFailureException(ExitCodes.Refused, Localized.Format(StationText.WitnessInconsistent, string.Join("; ", findingsText)));
            }

            SaveWitnessed(folder.Path, latestNote);
            console.WriteLine(Localized.Format(StationText.WitnessVerified, latest!.TreeSize, Path.GetRelativePath(folder.Path, CheckpointPath(folder.Path))));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Central's answer, or null when Central says the held size is beyond its log (OUT_OF_RANGE): the log shrank.</summary>
    private static async Task<GetLogConsistencyResponse?> CallAsync(StationConnection connection, long fromSize, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.Channel.AsyncUnaryCall(
                TransmissionMethods.GetLogConsistency,
                new GetLogConsistencyRequest { FromSize = (ulong)fromSize },
                new CallOptions(Deadline: DateTime.UtcNow + timeout, CancellationToken: cancellationToken));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.OutOfRange)
        {
            return null;
        }
        catch (RpcException e)
        {
            throw new CommandFailureException(StationConnection.ExitCodeFor(e.StatusCode), Localized.Format(StationText.CentralAnswered, e.StatusCode, e.Status.Detail));
        }
    }

    /// <summary>Every receipted revision with its (re-verified) receipt checkpoint.</summary>
    private static List<HeldReceipt> ReadReceipts(StationKeyFolder folder, string stationCode, TimeProvider time)
    {
        using var outbox = CommandOutbox.Open(folder.Path, stationCode, time);
        using var root = KeyFiles.ReadCertificate(folder.RootPath, StationText.WitnessWhatRoot);
        var verifier = new EnvelopeVerifier(new ElectionTrust(X509CertificateLoader.LoadCertificate(root.RawData)), new SignerCertificateCache(capacity: 4));
        var held = new List<HeldReceipt>();
        foreach (var item in outbox.Status().Where(i => i.HasReceipt))
        {
            var receipt = outbox.ReadReceipt(item.Revision);
            var envelope = outbox.ReadEnvelope(item.Revision);
            var check = receipt is null || envelope is null
                ? null
                : Receipts.VerifyFor(receipt, verifier, item.ReceiptVerifiedAt ?? time.GetUtcNow(), envelope, stationCode, checked((uint)item.Revision));
            if (check?.Body is not { } body || check.Checkpoint is not { } checkpoint || Receipts.CheckpointKeyOf(receipt, body.ElectionId) is not { } key)
            {
                throw new CommandFailureException(ExitCodes.Refused, Localized.Format(StationText.ReceiptInvalidStored, item.Revision, check?.ReasonCode, check?.Detail));
            }

            held.Add(new HeldReceipt(item.Revision, (long)body.LogIndex, checkpoint, key));
        }

        return held;
    }

    private static Checkpoint? ReadWitnessed(string stationFolder, CheckpointKey key)
    {
        var path = CheckpointPath(stationFolder);
        if (!File.Exists(path))
        {
            return null;
        }

        var verified = CheckpointNote.Verify(File.ReadAllText(path), key);
        return verified.Checkpoint
            ?? throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.WitnessCheckpointFileInvalid, path, verified.ReasonCode, verified.Detail));
    }

    private static void SaveWitnessed(string stationFolder, string note)
    {
        var path = CheckpointPath(stationFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, note);
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record HeldReceipt(long Revision, long LogIndex, Checkpoint Checkpoint, CheckpointKey Key);
}
