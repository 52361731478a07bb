using System.Security.Cryptography;
using Transmission.Contracts.V1;
using Transmission.Core.Pki;
using Transmission.Grpc;
using Transmission.Station.Outbox;
using Transmission.Station.Sending;
using Transmission.Station.Tests.Support;
using Transmission.Testing;

namespace Transmission.Station.Tests.Sending;

/// <summary>
/// <see cref="StationSender"/> against a fake Central on a real TLS socket: what it sends, and what it does with
/// receipts that verify, receipts that do not, rejections and failed calls.
/// </summary>
public sealed class StationSenderTests : IAsyncLifetime, IDisposable
{
    private static readonly StationSenderOptions FastOptions = new()
    {
        MaxWait = TimeSpan.FromSeconds(2),
        CallTimeout = TimeSpan.FromSeconds(10),
        Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) },
    };

    // A bad receipt leaves the item queued, so the sender keeps trying until MaxWait; the outcome is Refused once any
    // answer was a bad receipt. MaxWait must leave room for the first answer on a loaded machine (2 s did not, once,
    // in CI: the run ended Unreachable before the fake Central had answered at all).
    private static readonly StationSenderOptions BadReceiptOptions = FastOptions with { MaxWait = TimeSpan.FromSeconds(10) };

    private readonly TestCertificates _certificates = new("Fake Central Test Root");
    private readonly FakeCentral _fake = new();
    private StationWorld _world = null!;
    private TestServer _server = null!;
    private ReceiptSigner _receipts = null!;

    public async Task InitializeAsync()
    {
        _world = await StationWorld.CreateAsync(caCertificate: _certificates.Ca);
        _receipts = new ReceiptSigner(_world.Ca);
        _server = await FakeCentral.StartAsync(_fake, _certificates);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync().AsTask().DefaultTimeout();

    public void Dispose()
    {
        _receipts.Dispose();
        _world.Dispose();
        _certificates.Dispose();
    }

    [Fact]
    public async Task SendAsync_ValidReceipt_StartChunksEndThenReceiptStored()
    {
        var scan = _world.PathOf("form.pdf");
        await File.WriteAllBytesAsync(scan, RandomNumberGenerator.GetBytes(150_000));
        await SignAsync("--attach", scan);
        _fake.Answer = s => _receipts.ReceiptFor(s, StationWorld.Station, 1, logIndex: 42);
        var events = new List<SendEvent>();

        var result = await SendAsync(events);

        Assert.Equal(SendOutcome.AllReceipted, result.Outcome);
        var sha = Entry().EnvelopeSha256!;
        var requests = _fake.Requests.ToArray();
        Assert.Equal(
            [SubmitRequest.ItemOneofCase.Start, SubmitRequest.ItemOneofCase.Chunk, SubmitRequest.ItemOneofCase.Chunk, SubmitRequest.ItemOneofCase.Chunk, SubmitRequest.ItemOneofCase.End],
            requests.Select(r => r.ItemCase));
        Assert.Equal(sha, requests[0].Start.CorrelationId);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(requests[0].Start.Envelope.Span)));
        Assert.Equal([65_536, 65_536, 18_928], requests[1..4].Select(r => r.Chunk.Data.Length));
        Assert.All(requests[1..4], r => Assert.Equal((0u, sha), (r.Chunk.AttachmentIndex, r.Chunk.CorrelationId)));
        Assert.Equal(await File.ReadAllBytesAsync(scan), requests[1..4].SelectMany(r => r.Chunk.Data.ToByteArray()).ToArray());
        Assert.Equal(sha, requests[4].End.CorrelationId);
        Assert.Equal([SendEventKind.Sending, SendEventKind.Receipted], events.Select(e => e.Kind));
        Assert.Equal(42UL, events[1].LogIndex);
        Assert.Equal(OutboxState.Receipted, Entry().State);
        Assert.Equal(1, Entry().Attempts);
    }

    [Fact]
    public async Task SendAsync_ReceiptSignedOutsideTheElectionRoot_NotStoredSentAgainAndRefused()
    {
        await SignAsync();
        using var otherRoot = new TestCertificates("Some Other Root");
        using var forged = new ReceiptSigner(new ElectionCa(otherRoot.Ca, TimeProvider.System));
        _fake.Answer = s => forged.ReceiptFor(s, StationWorld.Station, 1, logIndex: 7);
        var events = new List<SendEvent>();

        var result = await SendAsync(events, BadReceiptOptions);

        Assert.Equal(SendOutcome.Refused, result.Outcome);
        var invalid = events.Where(e => e.Kind == SendEventKind.ReceiptInvalid).ToArray();
        Assert.NotEmpty(invalid);
        Assert.All(invalid, e => Assert.Equal("SIGNER_UNTRUSTED", e.Code));
        Assert.StartsWith("revision 1 (envelope ", invalid[0].ToLine(), StringComparison.Ordinal);
        Assert.Contains("SECURITY: Central's receipt did not verify (SIGNER_UNTRUSTED", invalid[0].ToLine(), StringComparison.Ordinal);
        Assert.True(_fake.Calls >= 2, $"sent {_fake.Calls} time(s); a bad receipt leaves the item for retry");
        var entry = Entry();
        Assert.Equal(OutboxState.Queued, entry.State);
        Assert.False(entry.HasReceipt);
        Assert.False(entry.IsStopped);
        // The last error is the last attempt's: usually the bad receipt again, or the call cut at the end of MaxWait.
        Assert.NotNull(entry.LastError);
        Assert.Null(ReadReceipt());
    }

    [Fact]
    public async Task SendAsync_ValidReceiptForAnotherEnvelope_NotStored()
    {
        await SignAsync();
        _fake.Answer = s => _receipts.ReceiptFor(s, StationWorld.Station, 1, logIndex: 7, envelopeSha256: new byte[32]);
        var events = new List<SendEvent>();

        var result = await SendAsync(events, BadReceiptOptions);

        Assert.Equal(SendOutcome.Refused, result.Outcome);
        Assert.Contains(events, e => e.Kind == SendEventKind.ReceiptInvalid && e.Code == "RECEIPT_MISMATCH");
        Assert.False(Entry().HasReceipt);
        Assert.Null(ReadReceipt());
    }

    [Fact]
    public async Task SendAsync_ReceiptWhoseInclusionProofFails_NotStored()
    {
        await SignAsync();
        _fake.Answer = s => _receipts.ReceiptFor(s, StationWorld.Station, 1, logIndex: 5, corruptProof: true);
        var events = new List<SendEvent>();

        var result = await SendAsync(events, BadReceiptOptions);

        Assert.Equal(SendOutcome.Refused, result.Outcome);
        Assert.Contains(events, e => e.Kind == SendEventKind.ReceiptInvalid && e.Code == "RECEIPT_INCLUSION_INVALID");
        Assert.False(Entry().HasReceipt);
        Assert.Null(ReadReceipt());
    }

    [Fact]
    public async Task SendAsync_InBandRejection_StoppedWithCentralsCodeNotSentAgain()
    {
        await SignAsync();
        _fake.Answer = s => new SubmitResponse
        {
            CorrelationId = s.CorrelationId,
            Rejection = new Rejection { Code = "SIGNATURE_INVALID", Message = "The envelope does not verify.", Status = (int)StatusCode.InvalidArgument },
        };
        var events = new List<SendEvent>();

        var result = await SendAsync(events);

        Assert.Equal(SendOutcome.Refused, result.Outcome);
        Assert.Equal(1, _fake.Calls);
        var refused = Assert.Single(events, e => e.Kind == SendEventKind.Refused);
        Assert.EndsWith("refused SIGNATURE_INVALID: The envelope does not verify.", refused.ToLine(), StringComparison.Ordinal);
        var entry = Entry();
        Assert.True(entry.IsStopped);
        Assert.Equal("refused SIGNATURE_INVALID: The envelope does not verify.", entry.LastError);
        Assert.Equal("Central refused it: SIGNATURE_INVALID: The envelope does not verify.", FailureNote.Describe(entry.LastError));
    }

    [Fact]
    public async Task SendAsync_CallEndsResourceExhausted_StoppedNotRetried()
    {
        await SignAsync();
        _fake.FailWith = new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");

        var result = await SendAsync([]);

        Assert.Equal(SendOutcome.Refused, result.Outcome);
        Assert.Equal(1, _fake.Calls);
        Assert.True(Entry().IsStopped);
        Assert.Contains("RESOURCE_EXHAUSTED", Entry().LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_CallEndsUnavailableOnce_RetriedInANewCallAndReceipted()
    {
        await SignAsync();
        _fake.FailWith = new Status(StatusCode.Unavailable, "Storage is unavailable; try again.");
        _fake.FailCalls = 1;
        _fake.Answer = s => _receipts.ReceiptFor(s, StationWorld.Station, 1, logIndex: 3);
        var events = new List<SendEvent>();

        var result = await SendAsync(events, FastOptions with { MaxWait = TimeSpan.FromSeconds(20) });

        Assert.Equal(SendOutcome.AllReceipted, result.Outcome);
        Assert.Equal(2, _fake.Calls);
        Assert.Equal([SendEventKind.Sending, SendEventKind.Retrying, SendEventKind.Sending, SendEventKind.Receipted], events.Select(e => e.Kind));
        Assert.Equal("UNAVAILABLE", events[1].Code);
        Assert.Equal(2, Entry().Attempts);
    }

    private async Task SignAsync(params string[] extra) =>
        await StationCli.Run(["protocol", "sign", "--dir", _world.StationDir, "--file", _world.WriteFilledForm("filled.json"), .. extra]).Ok();

    private async Task<SendResult> SendAsync(List<SendEvent> events, StationSenderOptions? options = null)
    {
        using var sender = StationSender.Open(_world.StationDir, _server.Address, options ?? FastOptions, TimeProvider.System, new Random(5), loggerFactory: null);
        return await sender.SendAsync(events.Add, CancellationToken.None).DefaultTimeout();
    }

    private OutboxEntry Entry()
    {
        using var outbox = Transmission.Station.Outbox.Outbox.Open(_world.StationDir, StationWorld.Station, TimeProvider.System);
        return Assert.Single(outbox.Status());
    }

    private byte[]? ReadReceipt()
    {
        using var outbox = Transmission.Station.Outbox.Outbox.Open(_world.StationDir, StationWorld.Station, TimeProvider.System);
        return outbox.ReadReceipt(1);
    }
}
