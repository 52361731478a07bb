using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Pki;
using Transmission.Central.Tests.StationSend;
using Transmission.Contracts.Receipts;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Station.Outbox;
using Transmission.Station.Protocol;
using Transmission.Station.Sending;
using Transmission.Testing;
using Transmission.Testing.Faults;
using StationElectionCommands = Transmission.Station.Election.ElectionCommands;
using StationOutbox = Transmission.Station.Outbox.Outbox;

namespace Transmission.Central.Tests.Faults;

/// <summary>
/// Network faults between stations and the real Central, injected by a <see cref="FaultProxy"/> on 127.0.0.1 that
/// relays plain TCP (mutual TLS stays end to end): added latency, throttled bandwidth, stalls, connections reset
/// mid-stream, half-open connections. Several stations send at once with the station's real sending and outbox code
/// (<see cref="StationSender"/>, each with its own connection), every one with a scanned form so faults land in the
/// middle of uploads. Afterwards, for every fault: each station finished by itself (its own retries), Central holds
/// exactly one submission and one log entry per station (no duplicates), and every receipt a station holds verifies
/// and is the stored receipt of a stored submission of exactly the envelope it sent.
/// </summary>
public sealed class NetworkFaultTests : IAsyncLifetime
{
    private const int StationCount = 4;
    private const int ScanBytes = 150_000;
    private const int Seed = 20261122;

    // Quick retries so that a test spends its time on faults, not on backoff; everything else as the station ships.
    private static readonly StationSenderOptions FastRetries = new()
    {
        MaxWait = TimeSpan.FromSeconds(90),
        CallTimeout = TimeSpan.FromSeconds(30),
        Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2) },
    };

    private readonly RunningCentral _central = new(new DevelopmentPki(StationCount));

    public Task InitializeAsync() => _central.InitializeAsync().DefaultTimeout(TimeSpan.FromSeconds(120));

    public Task DisposeAsync() => _central.DisposeAsync().DefaultTimeout();

    [Fact]
    public async Task Send_AddedLatency_EveryStationReceiptedOnce()
    {
        await SignEveryStationAsync(ScanBytes);
        await using var proxy = new FaultProxy(_central.Address, _ => new ConnectionFault(Latency: TimeSpan.FromMilliseconds(150)));

        var results = await SendEveryStationAsync(proxy, FastRetries);

        Assert.True(proxy.Connections >= StationCount, proxy.ToString());
        await AssertEveryReceiptStoredOnceAsync(results, ScanBytes);
    }

    [Fact]
    public async Task Send_ThrottledBandwidth_EveryStationReceiptedOnce()
    {
        await SignEveryStationAsync(ScanBytes);

        // 64 KB/s each way per connection: a 150 KB scan takes seconds to trickle through.
        await using var proxy = new FaultProxy(_central.Address, _ => new ConnectionFault(BytesPerSecond: 64 * 1024));

        var results = await SendEveryStationAsync(proxy, FastRetries);

        Assert.True(proxy.Connections >= StationCount, proxy.ToString());
        await AssertEveryReceiptStoredOnceAsync(results, ScanBytes);
    }

    [Fact]
    public async Task Send_ConnectionsResetMidStream_StationsRetryAndEveryOneReceiptedOnce()
    {
        await SignEveryStationAsync(ScanBytes);

        // The first two connections per station are reset (RST) somewhere between the TLS handshake and the end of
        // the upload, at seeded random points; later connections go through.
        var random = new Random(Seed);
        var resetPoints = Enumerable.Range(0, 2 * StationCount).Select(_ => (long)random.Next(2_000, ScanBytes)).ToArray();
        await using var proxy = new FaultProxy(
            _central.Address,
            n => n <= resetPoints.Length ? new ConnectionFault(ResetAfterUpBytes: resetPoints[n - 1]) : ConnectionFault.None);

        var results = await SendEveryStationAsync(proxy, FastRetries);

        Assert.True(proxy.Resets >= StationCount, proxy.ToString());
        await AssertEveryReceiptStoredOnceAsync(results, ScanBytes);
    }

    [Fact]
    public async Task Send_ConnectionStallsLongerThanTheCallDeadline_StationsRetryAndEveryOneReceiptedOnce()
    {
        await SignEveryStationAsync(ScanBytes);

        // Each station's first connection freezes for 8 s halfway through the upload; the call's deadline is 4 s, so
        // the station gives up on the call and sends again, while the frozen bytes (the whole submission, then the
        // client's RST_STREAM) reach Central late: whichever copy is first is stored, the other gets the same receipt.
        await using var proxy = new FaultProxy(
            _central.Address,
            n => n <= StationCount ? new ConnectionFault(StallAfterUpBytes: ScanBytes / 2, StallFor: TimeSpan.FromSeconds(8)) : ConnectionFault.None);

        var results = await SendEveryStationAsync(proxy, FastRetries with { CallTimeout = TimeSpan.FromSeconds(4) });

        Assert.True(proxy.Stalls >= StationCount, proxy.ToString());
        await AssertEveryReceiptStoredOnceAsync(results, ScanBytes);
    }

    [Fact]
    public async Task Send_ConnectionGoesHalfOpenMidUpload_KeepAliveNoticesAndEveryStationReceiptedOnce()
    {
        await SignEveryStationAsync(ScanBytes);

        // Each station's first connection silently stops carrying anything either way after 30 KB (no FIN, no RST).
        // The call deadline (120 s) is longer than this test may take: only the station's HTTP/2 PING, unanswered,
        // can end the call and send the protocol again on a new connection.
        await using var proxy = new FaultProxy(
            _central.Address,
            n => n <= StationCount ? new ConnectionFault(BlackholeAfterUpBytes: 30_000) : ConnectionFault.None);
        var options = FastRetries with
        {
            CallTimeout = TimeSpan.FromSeconds(120),
            MaxWait = TimeSpan.FromSeconds(300),
            KeepAlivePingDelay = TimeSpan.FromSeconds(2),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(2),
        };

        var results = await SendEveryStationAsync(proxy, options, bound: TimeSpan.FromSeconds(60));

        Assert.True(proxy.Blackholes >= StationCount, proxy.ToString());
        await AssertEveryReceiptStoredOnceAsync(results, ScanBytes);
    }

    [Fact]
    public async Task Send_ReceiptLostOnHalfOpenConnection_StationSendsAgainAndGetsTheSameReceipt()
    {
        // Small scans: the whole submission fits HTTP/2's initial 64 KiB window, so it reaches Central although no
        // WINDOW_UPDATE (nor anything else) comes back once the way back is cut.
        const int smallScan = 20_000;
        await SignEveryStationAsync(smallScan);

        // Each station's first connection carries everything to Central but nothing back after the first 8 KB up
        // (past the TLS handshake): Central stores the submission and its receipt is lost on the way.
        await using var proxy = new FaultProxy(
            _central.Address,
            n => n <= StationCount ? new ConnectionFault(BlackholeAfterUpBytes: 8_000, DropDownOnly: true) : ConnectionFault.None);
        var options = FastRetries with
        {
            CallTimeout = TimeSpan.FromSeconds(120),
            MaxWait = TimeSpan.FromSeconds(300),
            KeepAlivePingDelay = TimeSpan.FromSeconds(2),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(2),
        };

        var results = await SendEveryStationAsync(proxy, options, bound: TimeSpan.FromSeconds(60));

        Assert.True(proxy.Blackholes >= StationCount, proxy.ToString());
        var duplicates = _central.Logs.Records.Count(r => r.EventId.Name == "SubmissionDuplicate");
        Assert.True(duplicates >= StationCount, $"{duplicates} duplicate(s) answered; {proxy}");
        await AssertEveryReceiptStoredOnceAsync(results, smallScan);
    }

    private async Task SignEveryStationAsync(int scanBytes)
    {
        var random = new Random(Seed);
        foreach (var code in _central.Pki.Stations)
        {
            var dir = _central.Pki.StationDir(code);
            await InProcessCli.Run(StationElectionCommands.Create(), "election", "install", "--dir", dir, "--definition", _central.Pki.ElectionPath).Ok();
            var form = StationFolders.FilledForm(_central.Pki.Election, code);
            var scan = Path.Combine(Path.GetDirectoryName(form)!, "form.pdf");
            var bytes = new byte[scanBytes];
            random.NextBytes(bytes);
            await File.WriteAllBytesAsync(scan, bytes);
            await InProcessCli.Run(ProtocolCommands.Create(TimeProvider.System), "protocol", "sign", "--dir", dir, "--file", form, "--attach", scan).Ok();
        }
    }

    private async Task<SendResult[]> SendEveryStationAsync(FaultProxy proxy, StationSenderOptions options, TimeSpan? bound = null)
    {
        var sends = _central.Pki.Stations.Select((code, i) => Task.Run(async () =>
        {
            using var sender = StationSender.Open(_central.Pki.StationDir(code), proxy.Address, options, TimeProvider.System, new Random(Seed + i), loggerFactory: null);
            return await sender.SendAsync(onEvent: null, CancellationToken.None);
        }));
        return await Task.WhenAll(sends).DefaultTimeout(bound ?? TimeSpan.FromSeconds(90));
    }

    private async Task AssertEveryReceiptStoredOnceAsync(SendResult[] results, int scanBytes)
    {
        var outcomes = string.Join("; ", results.Select(r => $"{r.Outcome}: " + string.Join(", ", r.Items.Select(i => $"rev {i.Revision} {i.State} attempts {i.Attempts} {i.LastError}"))));
        Assert.True(results.All(r => r.Outcome == SendOutcome.AllReceipted), outcomes + Environment.NewLine + "Central's errors: " + _central.Logs.DescribeErrors());
        await using var db = _central.OpenDatabase();
        var rows = await db.Submissions.Include(s => s.Attachments).ToListAsync();
        Assert.Equal(StationCount, rows.Count);
        Assert.Equal(StationCount, await db.LogEntries.CountAsync(e => e.SubmissionId != null));
        Assert.Equal(_central.Pki.Stations.Order(StringComparer.Ordinal), rows.Select(r => r.StationCode).Order(StringComparer.Ordinal));

        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_central.Pki.Ca, "ca.cert.pem"));
        var verifier = new EnvelopeVerifier(new ElectionTrust(root), new SignerCertificateCache());
        foreach (var code in _central.Pki.Stations)
        {
            using var outbox = StationOutbox.Open(_central.Pki.StationDir(code), code, TimeProvider.System);
            var entry = Assert.Single(outbox.Status());
            Assert.Equal(OutboxState.Receipted, entry.State);
            var envelope = outbox.ReadEnvelope(1)!;
            var receipt = outbox.ReadReceipt(1)!;
            var check = Receipts.VerifyFor(receipt, verifier, DateTimeOffset.UtcNow, envelope, code, 1);
            Assert.True(check.Body is not null, $"{code}: {check.ReasonCode} {check.Detail}");

            var row = rows.Single(r => r.StationCode == code);
            Assert.Equal(SHA256.HashData(envelope), row.EnvelopeSha256);
            Assert.Equal(row.ReceiptBytes, receipt);
            Assert.Equal((long)check.Body!.LogIndex, row.LogIndex);
            Assert.Equal(scanBytes, Assert.Single(row.Attachments).Size);
        }

        _central.Logs.AssertNoUnexpectedErrors();
    }
}
