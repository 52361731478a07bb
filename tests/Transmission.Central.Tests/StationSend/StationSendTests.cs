using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Central.Tests.Hosting;
using Transmission.Station.Outbox;
using Transmission.Testing;
using StationOutbox = Transmission.Station.Outbox.Outbox;

namespace Transmission.Central.Tests.StationSend;

/// <summary>
/// The chair's whole job with the built <c>transmission-station</c> against the real Central (mutual TLS, SQLite):
/// sign, send, verified receipt; Central away; a crash after signing; a duplicate; a conflicting revision.
/// A fresh Central per test, so no test sees another's submissions.
/// </summary>
public sealed partial class StationSendTests : IAsyncLifetime
{
    private const string Station = "ST-0001";
    private readonly RunningCentral _central = new();

    public Task InitializeAsync() => _central.InitializeAsync().DefaultTimeout(TimeSpan.FromSeconds(120));

    public Task DisposeAsync() => _central.DisposeAsync().DefaultTimeout();

    [Fact]
    public async Task SignSendStatusReceipt_ValidProtocolWithScan_ReceiptedAndShown()
    {
        var dir = await StationFolders.ReadyAsync(_central, Station);
        var scan = Path.Combine(Path.GetDirectoryName(StationFolders.FilledForm(_central.Pki.Election, Station))!, "form.pdf");
        await File.WriteAllBytesAsync(scan, RandomNumberGenerator.GetBytes(300_000));
        var sign = await BuiltExecutable.Station("protocol", "sign", "--dir", dir, "--file", StationFolders.FilledForm(_central.Pki.Election, Station), "--attach", scan);
        Assert.True(sign.ExitCode == 0, sign.ToString());

        var send = await BuiltExecutable.Station("send", "--dir", dir, "--central", _central.Address.ToString(), "--max-wait", "60");

        Assert.True(send.ExitCode == 0, send.ToString());
        Assert.Equal($"TEST ELECTION (rehearsal) {_central.Pki.Election.ElectionId}", send.Lines()[0]);
        Assert.Matches(@"revision 1 \(envelope [0-9a-f]{12}\): sending", send.Output);
        var logIndex = long.Parse(ReceiptedLine().Match(send.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("done: 1 protocol(s) receipted by Central", send.Lines()[^1]);
        Assert.Equal(string.Empty, send.Error);

        var status = await BuiltExecutable.Station("status", "--dir", dir);
        var show = await BuiltExecutable.Station("receipt", "show", "--dir", dir);

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Matches($@"\n1\s+Receipted\s+1\s+[0-9a-f]{{12}}\s+{logIndex}\s", status.Output);
        Assert.True(show.ExitCode == 0, show.ToString());
        var envelopeSha = EnvelopeShaOf(dir);
        Assert.Contains($"envelope sha256   {envelopeSha}", show.Output, StringComparison.Ordinal);
        Assert.Contains($"log index         {logIndex}", show.Output, StringComparison.Ordinal);
        Assert.Contains($"station           {Station}", show.Output, StringComparison.Ordinal);
        Assert.Contains("(TEST, rehearsal)", show.Output, StringComparison.Ordinal);

        await using var db = _central.OpenDatabase();
        var row = await db.Submissions.Include(s => s.Attachments).SingleAsync(s => s.StationCode == Station);
        Assert.Equal(SubmissionStatus.Accepted, row.Status);
        Assert.Equal(logIndex, row.LogIndex);
        Assert.Equal(envelopeSha, Convert.ToHexStringLower(row.EnvelopeSha256));
        Assert.Equal(300_000, Assert.Single(row.Attachments).Size);
        Assert.Equal(row.ReceiptBytes, ReceiptOf(dir));
        _central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Send_CentralNotListening_RetriesThenExitsSixWithinMaxWait()
    {
        var dir = await StationFolders.ReadyAsync(_central, Station);
        var sign = await BuiltExecutable.Station("protocol", "sign", "--dir", dir, "--file", StationFolders.FilledForm(_central.Pki.Election, Station));
        Assert.True(sign.ExitCode == 0, sign.ToString());
        var watch = Stopwatch.StartNew();

        var send = await BuiltExecutable.Station("send", "--dir", dir, "--central", $"https://localhost:{FreePort()}", "--max-wait", "4");

        Assert.True(send.ExitCode == 6, send.ToString());
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.True(Regex.Matches(send.Output, "retrying in").Count >= 1, send.Output);
        Assert.StartsWith("error: Central could not be reached within 4 s; 1 protocol(s) still queued", send.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", send.Error, StringComparison.Ordinal);

        // The same item goes through once Central is there.
        var again = await BuiltExecutable.Station("send", "--dir", dir, "--central", _central.Address.ToString(), "--max-wait", "60");
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task Send_NewProcessAfterSigning_SendsWhatTheEarlierProcessSigned()
    {
        // 'protocol sign' is a process that ended right after signing (as if the laptop died): only the outbox file remains.
        var dir = await StationFolders.ReadyAsync(_central, Station);
        var sign = await BuiltExecutable.Station("protocol", "sign", "--dir", dir, "--file", StationFolders.FilledForm(_central.Pki.Election, Station));
        Assert.True(sign.ExitCode == 0, sign.ToString());
        var signedSha = EnvelopeShaOf(dir);

        var send = await BuiltExecutable.Station("send", "--dir", dir, "--central", _central.Address.ToString(), "--max-wait", "60");

        Assert.True(send.ExitCode == 0, send.ToString());
        await using var db = _central.OpenDatabase();
        var row = await db.Submissions.SingleAsync(s => s.StationCode == Station);
        Assert.Equal(signedSha, Convert.ToHexStringLower(row.EnvelopeSha256));
        Assert.Equal(OutboxState.Receipted, Entry(dir).State);
    }

    [Fact]
    public async Task Send_SameSignedItemFromARestoredCopy_CentralAnswersTheIdenticalReceipt()
    {
        var dir = await StationFolders.ReadyAsync(_central, Station);
        var sign = await BuiltExecutable.Station("protocol", "sign", "--dir", dir, "--file", StationFolders.FilledForm(_central.Pki.Election, Station));
        Assert.True(sign.ExitCode == 0, sign.ToString());
        var copy = StationFolders.Copy(dir);
        try
        {
            var first = await BuiltExecutable.Station("send", "--dir", dir, "--central", _central.Address.ToString(), "--max-wait", "60");
            var second = await BuiltExecutable.Station("send", "--dir", copy, "--central", _central.Address.ToString(), "--max-wait", "60");

            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Equal(ReceiptOf(dir), ReceiptOf(copy));
            Assert.Equal(ReceiptedLine().Match(first.Output).Value, ReceiptedLine().Match(second.Output).Value);
            await using var db = _central.OpenDatabase();
            Assert.Equal(1, await db.Submissions.CountAsync(s => s.StationCode == Station));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Send_DifferentProtocolForAnAcceptedRevision_RefusedExitFourAndStopped()
    {
        var dir = await StationFolders.ReadyAsync(_central, Station);
        var copy = StationFolders.Copy(dir);
        try
        {
            // Two devices of one station each sign a different revision 1: Central keeps the first and refuses the second.
            await StationFolders.SignConflictingRevisionOnesAsync(_central, Station, dir, copy);
            await BuiltExecutable.Station("send", "--dir", dir, "--central", _central.Address.ToString(), "--max-wait", "60");

            var refused = await BuiltExecutable.Station("send", "--dir", copy, "--central", _central.Address.ToString(), "--max-wait", "60");
            var status = await BuiltExecutable.Station("status", "--dir", copy);

            Assert.True(refused.ExitCode == 4, refused.ToString());
            Assert.Matches(@"revision 1 \(envelope [0-9a-f]{12}\): refused REVISION_CONFLICT: ", refused.Output);
            Assert.StartsWith("error: 1 protocol(s) refused or stopped", refused.Error, StringComparison.Ordinal);
            Assert.Contains("Queued (stopped)", status.Output, StringComparison.Ordinal);
            Assert.Contains("Central refused it: REVISION_CONFLICT", status.Output, StringComparison.Ordinal);
            var entry = Entry(copy);
            Assert.True(entry.IsStopped);
            Assert.Null(entry.NextAttemptAt);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [GeneratedRegex(@"receipted, log index (\d+)")]
    private static partial Regex ReceiptedLine();

    private static OutboxEntry Entry(string dir)
    {
        using var outbox = StationOutbox.Open(dir, Station, TimeProvider.System);
        return Assert.Single(outbox.Status());
    }

    private static string EnvelopeShaOf(string dir) => Entry(dir).EnvelopeSha256!;

    private static byte[] ReceiptOf(string dir)
    {
        using var outbox = StationOutbox.Open(dir, Station, TimeProvider.System);
        return outbox.ReadReceipt(1) ?? throw new InvalidOperationException("no receipt stored");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
