using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.StationSend;
using Transmission.Station.Outbox;
using Transmission.Testing;
using StationOutbox = Transmission.Station.Outbox.Outbox;

namespace Transmission.Central.Tests.Faults;

/// <summary>
/// Issue 7, item 1 (design §6 and §11 "station crash after signing"): the built <c>transmission-station</c> is SIGKILLed
/// at three points of its work, reached deterministically through its failpoint (<c>TRANSMISSION_FAILPOINT</c>, which
/// makes the process wait there to be killed), against the real Central (Kestrel, mutual TLS, SQLite). Then the chair
/// runs <c>send</c> again, with nothing else done to the station's folder: it completes by itself, Central holds exactly
/// one row for the envelope, and the station holds a verifying receipt that is byte for byte Central's.
/// </summary>
public sealed class StationKillFaultTests : IAsyncLifetime
{
    private const string Station = "ST-0001";
    private const string AfterSignBeforeQueue = "after-sign-before-queue";
    private const string MidSend = "mid-send";
    private const string AfterReceiptBeforeStore = "after-receipt-before-store";
    private readonly RunningCentral _central = new();

    public Task InitializeAsync() => _central.InitializeAsync().DefaultTimeout(TimeSpan.FromSeconds(120));

    public Task DisposeAsync() => _central.DisposeAsync().DefaultTimeout();

    [Theory]
    [InlineData(AfterSignBeforeQueue)]
    [InlineData(MidSend)]
    [InlineData(AfterReceiptBeforeStore)]
    public async Task SignAndSend_StationKilledAtFailpoint_SendAgainCompletesWithOneRowAndAStoredVerifyingReceipt(string point)
    {
        var dir = await StationFolders.ReadyAsync(_central, Station);
        var form = StationFolders.FilledForm(_central.Pki.Election, Station, folder: dir);
        // A scan of 300 KB: five chunks after the envelope, so "mid-send" leaves most of the submission unsent.
        var scan = Path.Combine(dir, "form-scan.pdf");
        await File.WriteAllBytesAsync(scan, RandomNumberGenerator.GetBytes(300_000));
        string[] sign = ["protocol", "sign", "--dir", dir, "--file", form, "--attach", scan];
        string[] send = ["send", "--dir", dir, "--central", _central.Address.ToString(), "--max-wait", "60"];
        byte[]? receiptBeforeKill = null;

        if (point == AfterSignBeforeQueue)
        {
            await KillAtAsync(point, sign);

            // The signed envelope is durable (design §6: written before any network I/O), not queued, and nothing left.
            var entry = Entry(dir);
            Assert.Equal(OutboxState.Signed, entry.State);
            Assert.NotNull(entry.EnvelopeSha256);
            Assert.Equal(0, await RowsAsync());
        }
        else
        {
            var signed = await BuiltExecutable.Station(sign);
            Assert.True(signed.ExitCode == 0, signed.ToString());
            await KillAtAsync(point, send);

            var entry = Entry(dir);
            Assert.Equal(OutboxState.Sent, entry.State);
            Assert.False(entry.HasReceipt);
            if (point == MidSend)
            {
                // Central got the envelope but never the end of the submission: nothing is stored.
                Assert.Equal(0, await RowsAsync());
            }
            else
            {
                // Central stored it and sent its receipt; the station died before keeping it.
                Assert.Equal(1, await RowsAsync());
                await using var db = _central.OpenDatabase();
                receiptBeforeKill = (await db.Submissions.SingleAsync().DefaultTimeout()).ReceiptBytes;
            }
        }

        // The chair runs send again (a new process, the same folder): it finishes by itself.
        var again = await BuiltExecutable.Station(send);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("done: 1 protocol(s) receipted by Central", again.Output, StringComparison.Ordinal);
        Assert.Equal(1, await FaultInvariants.AssertAsync(_central.Pki, [(Station, dir)]));
        await using (var db = _central.OpenDatabase())
        {
            var row = await db.Submissions.Include(s => s.Attachments).SingleAsync().DefaultTimeout();
            Assert.Equal(300_000, Assert.Single(row.Attachments).Size);
            if (receiptBeforeKill is not null)
            {
                // The receipt the dead process never stored is the one the station now holds: the same, not a new one.
                Assert.Equal(receiptBeforeKill, row.ReceiptBytes);
            }
        }

        _central.Logs.AssertNoUnexpectedErrors();
    }

    /// <summary>Runs the built station with the failpoint set, waits until it reports the point reached, and SIGKILLs it.</summary>
    private static async Task KillAtAsync(string point, string[] args)
    {
        await using var station = BuiltExecutable.StartWithEnvironment(
            "transmission-station", Path.GetTempPath(), new Dictionary<string, string> { ["TRANSMISSION_FAILPOINT"] = point }, args);
        var reached = $"warning: failpoint {point} reached";
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (!station.Output.Contains(reached, StringComparison.Ordinal))
        {
            Assert.False(station.Process.HasExited, $"the station exited before {point}:\n{station.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"the station did not reach {point}:\n{station.Output}");
            await Task.Delay(50);
        }

        station.Process.Kill();
        await station.Process.WaitForExitAsync().DefaultTimeout();
        Assert.Equal(137, station.Process.ExitCode);
    }

    private async Task<int> RowsAsync()
    {
        await using var db = _central.OpenDatabase();
        return await db.Submissions.CountAsync().DefaultTimeout();
    }

    private static OutboxEntry Entry(string dir)
    {
        using var outbox = StationOutbox.Open(dir, Station, TimeProvider.System);
        return Assert.Single(outbox.Status());
    }
}
