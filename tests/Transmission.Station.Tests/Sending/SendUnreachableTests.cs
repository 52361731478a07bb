using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Transmission.Station.Outbox;
using StationOutbox = Transmission.Station.Outbox.Outbox;
using Transmission.Station.Tests.Support;

namespace Transmission.Station.Tests.Sending;

/// <summary>The <c>send</c> command without a Central: what the chair sees when nothing answers.</summary>
public sealed class SendUnreachableTests
{
    [Fact]
    public async Task Send_NothingListening_RetriesThenExitsSixWithTheItemStillQueued()
    {
        using var world = await StationWorld.CreateAsync();
        await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", world.WriteFilledForm("filled.json")).Ok();
        var watch = Stopwatch.StartNew();

        var send = await StationCli.Run("send", "--dir", world.StationDir, "--central", $"https://localhost:{FreePort()}", "--max-wait", "3");

        watch.Stop();
        Assert.True(send.ExitCode == 6, send.ToString());
        Assert.Equal($"TEST ELECTION (rehearsal) {TestElection.Id}", send.OutputLines[0]);
        Assert.Contains(send.OutputLines, l => l.Contains("): sending", StringComparison.Ordinal));
        var retries = send.OutputLines.Where(l => l.Contains("): retrying in ", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(retries);
        // The first call has the whole 3 s for a refused connection: UNAVAILABLE. A later call gets only what is left of
        // --max-wait, so on a busy machine it can end DEADLINE_EXCEEDED instead; the outbox keeps the last one.
        Assert.Contains("(UNAVAILABLE: ", retries[0], StringComparison.Ordinal);
        var lastCode = Regex.Match(retries[^1], @"\): retrying in \S+s \(([A-Z_]+): ").Groups[1].Value;
        Assert.Contains(lastCode, new[] { "UNAVAILABLE", "DEADLINE_EXCEEDED" });
        Assert.StartsWith("error: Central could not be reached within 3 s; 1 protocol(s) still queued", send.Error, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        using var outbox = StationOutbox.Open(world.StationDir, StationWorld.Station, TimeProvider.System);
        var entry = Assert.Single(outbox.Status());
        Assert.Equal(OutboxState.Queued, entry.State);
        Assert.False(entry.IsStopped);
        Assert.InRange(entry.Attempts, 1, 10);
        Assert.StartsWith($"retrying {lastCode}: ", entry.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_EmptyOutbox_NothingToSendExitZero()
    {
        using var world = await StationWorld.CreateAsync();

        var send = await StationCli.Run("send", "--dir", world.StationDir, "--central", $"https://localhost:{FreePort()}", "--max-wait", "1");

        Assert.True(send.ExitCode == 0, send.ToString());
        Assert.Equal("nothing to send: no signed protocol in the outbox", send.OutputLines[^1]);
    }

    [Fact]
    public async Task Send_HttpAddress_ExitTwo()
    {
        using var world = await StationWorld.CreateAsync();

        var send = await StationCli.Run("send", "--dir", world.StationDir, "--central", "http://localhost:7443");

        Assert.Equal(2, send.ExitCode);
        Assert.Equal("error: --central must be an https:// address such as https://localhost:7443, not 'http://localhost:7443'", send.Error.Trim());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
