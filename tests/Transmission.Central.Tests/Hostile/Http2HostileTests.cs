using System.Buffers.Binary;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Hosting;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Pki;
using Transmission.Central.Tests.StationSend;
using Transmission.Contracts.V1;
using Transmission.Station.Outbox;
using Transmission.Station.Protocol;
using Transmission.Station.Sending;
using Transmission.Testing;
using Xunit.Abstractions;
using StationElectionCommands = Transmission.Station.Election.ElectionCommands;
using StationOutbox = Transmission.Station.Outbox.Outbox;

namespace Transmission.Central.Tests.Hostile;

/// <summary>
/// HTTP/2 abuse from a client holding a valid station certificate (ST-0001), written frame by frame
/// (<see cref="RawHttp2Connection"/>), against the real Central with its configured Kestrel limits
/// (<see cref="ConnectionLimits"/>): streams beyond the limit, rapid resets (CVE-2023-44487), huge header blocks and
/// CONTINUATION floods, a reader that never opens its window, a writer that trickles its body, idle connections. For
/// each: the abuser gets the specific HTTP/2 error or is disconnected, a well-behaved station (ST-0002) sending at the
/// same time through the station's real sending code is receipted, and nothing of the abuser's is stored.
/// </summary>
public sealed class Http2HostileTests : IAsyncLifetime
{
    private const string Abuser = "ST-0001";
    private const string GoodStation = "ST-0002";
    private const string SubmitPath = "/transmission.v1.Transmission/Submit";
    private const string HandshakePath = "/transmission.v1.Transmission/Handshake";
    private const ushort SettingsInitialWindowSize = 0x4;

    private readonly ITestOutputHelper _output;

    // The limits as shipped, except the two timeouts whose defaults (2 min, 15 s) would make a test wait for minutes.
    private readonly RunningCentral _central = new(new DevelopmentPki(2), configure: options =>
    {
        options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(3);
        options.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(3);
    });

    public Http2HostileTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private ConnectionLimits Limits => new();

    public Task InitializeAsync() => _central.InitializeAsync().DefaultTimeout(TimeSpan.FromSeconds(120));

    public Task DisposeAsync() => _central.DisposeAsync().DefaultTimeout();

    [Fact]
    public async Task Streams_BeyondMaxStreamsPerConnection_RefusedWhileAGoodStationIsReceipted()
    {
        await SignAsync(GoodStation);
        await using var abuser = await RawHttp2Connection.ConnectAsync(_central.Address, _central.Pki.StationDir(Abuser));

        // 300 Submit calls opened and never written to: each one holds a stream on Central.
        const int opened = 300;
        for (var i = 0; i < opened; i++)
        {
            await abuser.WriteHeadersAsync(1 + (2 * i), RawHttp2Connection.GrpcRequest(SubmitPath), endStream: false);
        }

        var good = SendAsync(GoodStation);
        await WaitUntilAsync(() => abuser.Received.Count(f => f.Type == FrameType.RstStream) >= opened - Limits.MaxStreamsPerConnection || abuser.Closed.IsCompleted);
        Report(abuser);

        var refused = abuser.Received.Where(f => f.Type == FrameType.RstStream).ToArray();
        Assert.Equal(opened - Limits.MaxStreamsPerConnection, refused.Length);
        Assert.All(refused, f => Assert.Equal(Http2Error.RefusedStream, f.ErrorCode));
        Assert.All(refused, f => Assert.True(f.StreamId > 2 * Limits.MaxStreamsPerConnection, f.ToString()));
        Assert.Equal(1, KestrelEvents().GetValueOrDefault("Http2MaxConcurrentStreamsReached"));
        Assert.False(abuser.Closed.IsCompleted);
        await AssertReceiptedAsync(good);
        await AssertNothingStoredForAbuserAsync();
    }

    [Fact]
    public async Task RapidReset_StreamsOpenedAndCancelledInALoop_ConnectionClosedWhileAGoodStationIsReceipted()
    {
        await SignAsync(GoodStation);
        await using var abuser = await RawHttp2Connection.ConnectAsync(_central.Address, _central.Pki.StationDir(Abuser));
        var good = SendAsync(GoodStation);

        // CVE-2023-44487: open a stream, cancel it at once, repeat, so the server starts work that never counts
        // against the stream limit.
        var sent = 0;
        for (var i = 0; i < 20_000 && !abuser.Closed.IsCompleted; i++)
        {
            var stream = 1 + (2 * i);
            if (!await abuser.TryWriteFrameAsync(FrameType.Headers, Frame.EndHeaders, stream, RawHttp2Connection.EncodeHeaders(RawHttp2Connection.GrpcRequest(SubmitPath)))
                || !await abuser.TryWriteFrameAsync(FrameType.RstStream, 0, stream, CancelPayload()))
            {
                break;
            }

            sent++;
        }

        await abuser.Closed.DefaultTimeout();
        Report(abuser, $"{sent} streams opened and reset before the connection closed");

        // Kestrel refuses streams it is still winding down with ENHANCE_YOUR_CALM, then drops the connection: for too
        // many ENHANCE_YOUR_CALMs, or (seen in CI, when the abuser outpaces Kestrel's writes) because the RST frames
        // queued for the abuser exceeded the output queue. Both are its CVE-2023-44487 defences; at least one fires
        // (the output-queue one can be logged more than once for the same connection: CI saw it twice).
        // The RST_STREAMs may or may not reach the abuser before the connection is torn down (CI saw both), so only
        // their kind is checked; Kestrel's own events say which defence closed it.
        var resets = abuser.Received.Where(f => f.Type == FrameType.RstStream).ToArray();
        Assert.All(resets, f => Assert.Equal(Http2Error.EnhanceYourCalm, f.ErrorCode));
        Assert.True(sent < 20_000, $"{sent}");
        var events = KestrelEvents();
        Assert.True(events.GetValueOrDefault("Http2TooManyEnhanceYourCalms") + events.GetValueOrDefault("Http2QueueOperationsExceeded") >= 1, string.Join(", ", events));
        await AssertReceiptedAsync(good);

        // Kestrel logs its output-queue defence at Critical (CI saw it); here it is the expected outcome, not a fault.
        await AssertNothingStoredForAbuserAsync(r => r.EventId.Name == "Http2QueueOperationsExceeded");
    }

    [Fact]
    public async Task Headers_OneFieldLargerThanTheLimit_ConnectionClosedWhileAGoodStationIsReceipted()
    {
        await SignAsync(GoodStation);
        await using var abuser = await RawHttp2Connection.ConnectAsync(_central.Address, _central.Pki.StationDir(Abuser));
        var good = SendAsync(GoodStation);

        // One 64 KiB header value: a HEADERS frame and three CONTINUATIONs.
        var block = RawHttp2Connection.EncodeHeaders(RawHttp2Connection.GrpcRequest(HandshakePath, ("x-big", new string('a', 64 * 1024))));
        await WriteHeaderBlockAsync(abuser, 1, block);
        await abuser.Closed.DefaultTimeout();
        Report(abuser);

        var goAway = Assert.Single(abuser.Received, f => f.Type == FrameType.GoAway);
        Assert.Equal(Http2Error.CompressionError, goAway.ErrorCode);
        Assert.DoesNotContain(abuser.Received, f => f.Type is FrameType.Headers or FrameType.Data);
        Assert.Contains(_central.Logs.Records, r => r.EventId.Name == "HPackDecodingError" && $"{r.Message} {r.Exception?.Message}".Contains("exceeded the set limit of 16384 bytes", StringComparison.Ordinal));
        await AssertReceiptedAsync(good);
        await AssertNothingStoredForAbuserAsync();
    }

    [Fact]
    public async Task Headers_ContinuationFloodWithoutEndHeaders_ConnectionClosedWhileAGoodStationIsReceipted()
    {
        await SignAsync(GoodStation);
        await using var abuser = await RawHttp2Connection.ConnectAsync(_central.Address, _central.Pki.StationDir(Abuser));
        var good = SendAsync(GoodStation);

        // CVE-2024-27316 and relatives: a header block that never ends, CONTINUATION after CONTINUATION of small fields.
        await abuser.WriteFrameAsync(FrameType.Headers, 0, 1, RawHttp2Connection.EncodeHeaders(RawHttp2Connection.GrpcRequest(HandshakePath)));
        var fields = RawHttp2Connection.EncodeHeaders(Enumerable.Range(0, 50).Select(i => ($"x-flood-{i}", "0123456789")));
        var written = 0;
        while (written < 10_000 && !abuser.Closed.IsCompleted && await abuser.TryWriteFrameAsync(FrameType.Continuation, 0, 1, fields))
        {
            written++;
        }

        await abuser.Closed.DefaultTimeout();
        Report(abuser, $"{written} CONTINUATION frames written before the connection closed");

        var goAway = Assert.Single(abuser.Received, f => f.Type == FrameType.GoAway);
        Assert.Equal(Http2Error.ProtocolError, goAway.ErrorCode);
        Assert.True(written < 10_000, $"{written}");
        Assert.Contains(_central.Logs.Records, r => r.EventId.Name == "Http2ConnectionError" && $"{r.Message} {r.Exception?.Message}".Contains("too many headers", StringComparison.Ordinal));
        await AssertReceiptedAsync(good);
        await AssertNothingStoredForAbuserAsync();
    }

    [Fact]
    public async Task SlowReader_WindowKeptAtZero_CutOffWhileAGoodStationIsReceipted()
    {
        await SignAsync(GoodStation);

        // The abuser's streams may never receive a byte of DATA: every response Central writes waits for a window.
        await using var abuser = await RawHttp2Connection.ConnectAsync(_central.Address, _central.Pki.StationDir(Abuser), [(SettingsInitialWindowSize, 0)]);
        for (var i = 0; i < 20; i++)
        {
            await abuser.WriteHeadersAsync(1 + (2 * i), RawHttp2Connection.GrpcRequest(HandshakePath), endStream: false);
            await abuser.WriteGrpcMessageAsync(1 + (2 * i), new HandshakeRequest().ToByteArray(), endStream: true);
        }

        var good = SendAsync(GoodStation);
        await abuser.Closed.DefaultTimeout(TimeSpan.FromSeconds(60));
        Report(abuser);

        Assert.DoesNotContain(abuser.Received, f => f.Type == FrameType.Data);
        Assert.Equal(1, KestrelEvents().GetValueOrDefault("ResponseMinimumDataRateNotSatisfied"));
        await AssertReceiptedAsync(good);
        await AssertNothingStoredForAbuserAsync();
    }

    [Fact]
    public async Task SlowWriter_SubmissionTrickledByteByByte_CutOffAndNothingStoredWhileAGoodStationIsReceipted()
    {
        await SignAsync(GoodStation);
        await SignAsync(Abuser);
        byte[] envelope;
        using (var outbox = StationOutbox.Open(_central.Pki.StationDir(Abuser), Abuser, TimeProvider.System))
        {
            envelope = outbox.ReadEnvelope(1)!;
        }

        // A real, valid signed protocol of the abuser's own station, written 2 bytes a second.
        var message = new SubmitRequest { Start = new SubmissionStart { CorrelationId = "slow", Envelope = ByteString.CopyFrom(envelope) } }.ToByteArray();
        var body = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)message.Length);
        message.CopyTo(body, 5);
        await using var abuser = await RawHttp2Connection.ConnectAsync(_central.Address, _central.Pki.StationDir(Abuser));
        await abuser.WriteHeadersAsync(1, RawHttp2Connection.GrpcRequest(SubmitPath), endStream: false);
        var good = SendAsync(GoodStation);
        var trickled = 0;
        while (trickled < body.Length && !abuser.Closed.IsCompleted && !abuser.Received.Any(f => f.Type == FrameType.RstStream)
               && await abuser.TryWriteFrameAsync(FrameType.Data, 0, 1, body.AsMemory(trickled, 1)))
        {
            trickled++;
            await Task.Delay(500);
        }

        Report(abuser, $"{trickled} of {body.Length} bytes trickled before Central cut the call off");

        Assert.True(trickled < body.Length, $"{trickled}");
        await abuser.Closed.DefaultTimeout();
        Assert.Equal(1, KestrelEvents().GetValueOrDefault("RequestBodyMinimumDataRateNotSatisfied"));
        await AssertReceiptedAsync(good);
        await AssertNothingStoredForAbuserAsync();
    }

    [Fact]
    public async Task Idle_ConnectionWithNoStream_ClosedAfterKeepAliveTimeoutWhileAGoodStationIsReceipted()
    {
        await SignAsync(GoodStation);
        await using var abuser = await RawHttp2Connection.ConnectAsync(_central.Address, _central.Pki.StationDir(Abuser));
        var good = SendAsync(GoodStation);

        await abuser.Closed.DefaultTimeout();
        Report(abuser);

        var goAway = Assert.Single(abuser.Received, f => f.Type == FrameType.GoAway);
        Assert.Equal(Http2Error.NoError, goAway.ErrorCode);
        Assert.Equal(0, goAway.LastStreamId);
        Assert.True(KestrelEvents().GetValueOrDefault("Http2ConnectionClosing") >= 1);
        await AssertReceiptedAsync(good);
        await AssertNothingStoredForAbuserAsync();
    }

    [Fact]
    public async Task Idle_HeaderBlockNeverFinished_ClosedAfterRequestHeadersTimeoutWhileAGoodStationIsReceipted()
    {
        await SignAsync(GoodStation);
        await using var abuser = await RawHttp2Connection.ConnectAsync(_central.Address, _central.Pki.StationDir(Abuser));
        var good = SendAsync(GoodStation);

        // Half a request: HEADERS without END_HEADERS, then silence.
        await abuser.WriteFrameAsync(FrameType.Headers, 0, 1, RawHttp2Connection.EncodeHeaders(RawHttp2Connection.GrpcRequest(SubmitPath)));
        await abuser.Closed.DefaultTimeout();
        Report(abuser);

        Assert.DoesNotContain(abuser.Received, f => f.Type is FrameType.Headers or FrameType.Data);
        Assert.Contains(_central.Logs.Records, r => r.EventId.Name == "ConnectionBadRequest" && r.Message.Contains("Reading the request headers timed out", StringComparison.Ordinal));
        await AssertReceiptedAsync(good);
        await AssertNothingStoredForAbuserAsync();
    }

    private static byte[] CancelPayload()
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)Http2Error.Cancel);
        return payload;
    }

    private static async Task WriteHeaderBlockAsync(RawHttp2Connection connection, int streamId, byte[] block)
    {
        for (var offset = 0; offset < block.Length; offset += RawHttp2Connection.MaxFrameSize)
        {
            var length = Math.Min(RawHttp2Connection.MaxFrameSize, block.Length - offset);
            var last = offset + length == block.Length;
            var type = offset == 0 ? FrameType.Headers : FrameType.Continuation;
            var flags = (byte)((last ? Frame.EndHeaders : 0) | (offset == 0 ? Frame.EndStream : 0));
            if (!await connection.TryWriteFrameAsync(type, flags, streamId, block.AsMemory(offset, length)))
            {
                return;
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var bound = new CancellationTokenSource(TestTimeouts.Default);
        while (!condition())
        {
            await Task.Delay(50, bound.Token);
        }
    }

    private void Report(RawHttp2Connection connection, string? note = null)
    {
        var summary = connection.Received
            .GroupBy(f => f.Type is FrameType.RstStream or FrameType.GoAway ? $"{f.Type} {f.ErrorCode}" : f.Type.ToString())
            .Select(g => $"{g.Key} ×{g.Count()}");
        _output.WriteLine($"{note}{(note is null ? "" : "; ")}received: {string.Join(", ", summary)}; closed: {connection.Closed.IsCompleted}");
        _output.WriteLine("Kestrel events: " + string.Join(", ", KestrelEvents().Select(e => $"{e.Key} ×{e.Value}")));
        foreach (var record in _central.Logs.Records.Where(r => r.Category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal)
                     && r.Level >= Microsoft.Extensions.Logging.LogLevel.Debug).DistinctBy(r => r.EventId.Name).Take(12))
        {
            _output.WriteLine($"  {record.EventId.Name}: {record.Message} {record.Exception?.Message}");
        }
    }

    /// <summary>Kestrel's log events (by stable event name) and how often each was written.</summary>
    private Dictionary<string, int> KestrelEvents() => _central.Logs.Records
        .Where(r => r.Category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) && r.EventId.Name is not null)
        .GroupBy(r => r.EventId.Name!)
        .ToDictionary(g => g.Key, g => g.Count());

    private async Task SignAsync(string code)
    {
        var dir = _central.Pki.StationDir(code);
        await InProcessCli.Run(StationElectionCommands.Create(), "election", "install", "--dir", dir, "--definition", _central.Pki.ElectionPath).Ok();
        await InProcessCli.Run(ProtocolCommands.Create(TimeProvider.System), "protocol", "sign", "--dir", dir, "--file", StationFolders.FilledForm(_central.Pki.Election, code)).Ok();
    }

    private Task<SendResult> SendAsync(string code) => Task.Run(async () =>
    {
        var options = new StationSenderOptions
        {
            MaxWait = TimeSpan.FromSeconds(60),
            Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2) },
        };
        using var sender = StationSender.Open(_central.Pki.StationDir(code), _central.Address, options, TimeProvider.System, new Random(7), loggerFactory: null);
        return await sender.SendAsync(onEvent: null, CancellationToken.None);
    });

    private async Task AssertReceiptedAsync(Task<SendResult> send)
    {
        var result = await send.DefaultTimeout(TimeSpan.FromSeconds(90));
        Assert.Equal(SendOutcome.AllReceipted, result.Outcome);
        using var outbox = StationOutbox.Open(_central.Pki.StationDir(GoodStation), GoodStation, TimeProvider.System);
        await using var db = _central.OpenDatabase();
        var row = await db.Submissions.SingleAsync(s => s.StationCode == GoodStation);
        Assert.Equal(row.ReceiptBytes, outbox.ReadReceipt(1));
    }

    private async Task AssertNothingStoredForAbuserAsync(Func<TestLogRecord, bool>? expectedErrors = null)
    {
        await using var db = _central.OpenDatabase();
        Assert.Equal(0, await db.Submissions.CountAsync(s => s.StationCode == Abuser));
        Assert.Equal(1, await db.LogEntries.CountAsync(e => e.SubmissionId != null));
        _central.Logs.AssertNoUnexpectedErrors(expectedErrors);
    }
}
