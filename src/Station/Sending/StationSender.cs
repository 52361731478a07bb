using System.Collections.Concurrent;
using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Grpc;
using Transmission.Station.Connection;
using Transmission.Station.Enrollment;
using Transmission.Station.Localization;
using Transmission.Station.Outbox;

namespace Transmission.Station.Sending;

/// <summary>
/// Sends a station's outbox to Central and collects the receipts: one <c>Submit</c> duplex call carries every due
/// item (start with the envelope, the attachment chunks, end), while the responses are read concurrently. Reusable:
/// the <c>send</c> command runs one; a demo driver can run many stations in one process, each with its own sender.
/// </summary>
/// <remarks>
/// <para>
/// Guarantees (design §6): an item is marked sent (with a resend-after time) before its first byte is written, so a
/// crash mid-send leaves it due again; a receipt is stored only after it verified (Central's signature chains to the
/// station's installed election root, and the receipt names exactly this envelope, station and revision); a receipt
/// that does not verify is not stored, the item stays queued and is sent again, and the chair is told, because it is
/// a security problem. Re-sending is always safe: Central answers a duplicate with the same receipt.
/// </para>
/// <para>
/// Failures: an in-band rejection stops that item (no next attempt) with Central's code and message; a call that ends
/// with UNAVAILABLE, DEADLINE_EXCEEDED or ABORTED (a connection error is UNAVAILABLE) is retried with exponential
/// backoff and full jitter (<see cref="RetryPolicy"/>) in a new call with what is still due, until everything is
/// receipted or <see cref="StationSenderOptions.MaxWait"/> passes; any other status stops the items it left without
/// an answer. RESOURCE_EXHAUSTED (a message over Central's limit) with several items in the call cannot say which one
/// was too large: the rest of the run then sends one item per call, and the item that is refused alone is stopped.
/// </para>
/// </remarks>
internal sealed class StationSender : IDisposable
{
    private readonly Outbox.Outbox _outbox;
    private readonly GrpcChannel _channel;
    private readonly EnvelopeVerifier _verifier;
    private readonly StationSenderOptions _options;
    private readonly TimeProvider _time;
    private readonly RetryPolicy _policy;
    private readonly ILogger _logger;
    private readonly Lock _policyLock = new();
    private readonly IDisposable[] _owned;

    /// <summary>A sender over an open outbox and channel (neither is disposed by the sender).</summary>
    /// <param name="outbox">The station's outbox.</param>
    /// <param name="channel">A mutual-TLS channel to Central with the station's TLS certificate.</param>
    /// <param name="trust">The election root the receipts must chain to.</param>
    /// <param name="options">Limits and timing.</param>
    /// <param name="time">The clock (receipt verification time, backoff, deadlines).</param>
    /// <param name="random">The jitter source.</param>
    /// <param name="logger">Where events are logged.</param>
    public StationSender(Outbox.Outbox outbox, GrpcChannel channel, ElectionTrust trust, StationSenderOptions options, TimeProvider time, Random random, ILogger? logger)
        : this(outbox, channel, trust, options, time, random, logger, [])
    {
    }

    private StationSender(Outbox.Outbox outbox, GrpcChannel channel, ElectionTrust trust, StationSenderOptions options, TimeProvider time, Random random, ILogger? logger, IDisposable[] owned)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        _outbox = outbox;
        _channel = channel;
        _verifier = new EnvelopeVerifier(trust, new SignerCertificateCache(capacity: 16));
        _options = options;
        _time = time;
        _policy = new RetryPolicy(options.Retry, random, time);
        _logger = logger ?? NullLogger.Instance;
        _owned = owned;
    }

    /// <summary>The station whose outbox this sender sends.</summary>
    public string StationCode => _outbox.StationCode;

    /// <summary>
    /// Opens everything a station folder needs to send (outbox, TLS channel to <paramref name="central"/>, election
    /// root); the sender owns and disposes them. A folder that cannot be used is a <see cref="CommandFailureException"/>.
    /// </summary>
    public static StationSender Open(string stationDirectory, Uri central, StationSenderOptions options, TimeProvider time, Random random, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(central);
        var folder = new StationKeyFolder(stationDirectory);
        var identity = folder.ReadIdentity();
        ArgumentNullException.ThrowIfNull(options);
        var connection = StationConnection.Open(folder, central, loggerFactory, (options.KeepAlivePingDelay, options.KeepAlivePingTimeout));
        Outbox.Outbox? outbox = null;
        try
        {
            outbox = CommandOutbox.Open(folder.Path, identity.Id, time);
            using var root = KeyFiles.ReadCertificate(folder.RootPath, "election root certificate");
            var trust = new ElectionTrust(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(root.RawData));
            var logger = (ILogger?)loggerFactory?.CreateLogger<StationSender>() ?? NullLogger.Instance;
            return new StationSender(outbox, connection.Channel, trust, options, time, random, logger, [outbox, connection]);
        }
        catch
        {
            outbox?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends every waiting item until all are receipted, something is refused and nothing else is pending, or
    /// <see cref="StationSenderOptions.MaxWait"/> passes. Items signed but not queued (a crash between the two) are
    /// queued first, and items waiting for a later attempt are made due now; stopped items are left alone.
    /// </summary>
    /// <param name="onEvent">Called for every progress event (serialized: never concurrently).</param>
    /// <param name="cancellationToken">Stops sending; items in flight become due again at once.</param>
    public async Task<SendResult> SendAsync(Action<SendEvent>? onEvent, CancellationToken cancellationToken)
    {
        var eventLock = new Lock();
        void Emit(SendEvent e)
        {
            lock (eventLock)
            {
                onEvent?.Invoke(e);
            }
        }

        // A run starts by trying everything that is waiting: the chair who runs 'send' again after a failure should not
        // sit through the backoff of the previous run. Stopped items stay stopped (a refusal needs the chair, not a retry);
        // an item another process still has in flight may go twice, which is safe (Central answers a duplicate with the
        // same receipt).
        var runStartedAt = _time.GetUtcNow();
        foreach (var entry in _outbox.Status())
        {
            if (entry.State == OutboxState.Signed
                || (entry.State is OutboxState.Queued or OutboxState.Sent && entry.NextAttemptAt is { } next && next > runStartedAt))
            {
                _outbox.MarkQueued(entry.Revision);
            }
        }

        var deadline = _time.GetUtcNow() + _options.MaxWait;
        var failedCalls = 0;
        var singly = false;
        var insecure = new ConcurrentDictionary<long, bool>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = _time.GetUtcNow();
            var due = now < deadline ? _outbox.NextDue(singly ? 1 : _options.BatchSize) : [];
            if (due.Count == 0)
            {
                var waiting = _outbox.Status().Where(e => e.State is OutboxState.Queued or OutboxState.Sent && e.NextAttemptAt is not null).ToArray();
                var next = waiting.Length == 0 ? (DateTimeOffset?)null : waiting.Min(e => e.NextAttemptAt!.Value);
                if (next is null || next.Value > deadline || now >= deadline)
                {
                    return Finish(insecure);
                }

                if (next.Value > now)
                {
                    await Task.Delay(next.Value - now, _time, cancellationToken);
                }

                continue;
            }

            var call = await SendCallAsync(due, deadline, insecure, Emit, cancellationToken);
            if (call.Status.Code == StatusCode.OK || call.Answered > 0)
            {
                failedCalls = 0;
            }

            if (call.Unresolved.Count == 0)
            {
                continue;
            }

            var status = call.Status;
            if (status.Code == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                foreach (var item in call.Unresolved)
                {
                    _outbox.RecordFailure(item.Entry.Revision, FailureNote.Interrupted.ToStored(), _time.GetUtcNow());
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            if (status.Code == StatusCode.ResourceExhausted && call.Unresolved.Count > 1)
            {
                // Which of the call's messages was too large is unknown: send one item per call from now on.
                singly = true;
                foreach (var item in call.Unresolved)
                {
                    _outbox.RecordFailure(item.Entry.Revision, FailureNote.Splitting.ToStored(), _time.GetUtcNow());
                }

                continue;
            }

            var stoppedWithOk = status.Code == StatusCode.OK;
            var code = stoppedWithOk ? StatusCode.Unavailable : status.Code;
            var detail = stoppedWithOk ? StationText.Note_NoAnswer : status.Detail;
            failedCalls++;
            RetryDecision decision;
            lock (_policyLock)
            {
                // The outbox keeps no words of this program's own (they would be in this run's language): for a call
                // Central ended without an answer, only the status; the live line says what happened.
                decision = _policy.Decide(code, failedCalls, stoppedWithOk ? null : detail);
            }

            SendLog.CallFailed(_logger, status.Code.ToCanonicalName(), status.Detail, call.Unresolved.Count, decision.Retry ? decision.Delay : null);
            foreach (var item in call.Unresolved)
            {
                var sha = item.Entry.EnvelopeSha256!;
                _outbox.RecordFailure(item.Entry.Revision, decision.Note.ToStored(), decision.NextAttemptAt);
                if (decision.Retry)
                {
                    Emit(new SendEvent(SendEventKind.Retrying, item.Entry.Revision, sha, code.ToCanonicalName(), detail, null, decision.Delay));
                }
                else
                {
                    SendLog.Refused(_logger, item.Entry.Revision, sha, code.ToCanonicalName(), detail);
                    Emit(new SendEvent(SendEventKind.Refused, item.Entry.Revision, sha, code.ToCanonicalName(), decision.Message, null, null));
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private SendResult Finish(ConcurrentDictionary<long, bool> insecure)
    {
        var items = _outbox.Status().Where(e => e.State != OutboxState.Draft).ToArray();
        var stopped = items.Any(i => i.IsStopped);
        var pending = items.Where(i => i.State != OutboxState.Receipted && !i.IsStopped).ToArray();
        var outcome = stopped || pending.Any(i => insecure.ContainsKey(i.Revision))
            ? SendOutcome.Refused
            : pending.Length > 0 ? SendOutcome.Unreachable : SendOutcome.AllReceipted;
        var result = new SendResult(outcome, items);
        SendLog.Finished(_logger, outcome, result.Receipted, result.Stopped, result.Pending);
        return result;
    }

    private async Task<CallResult> SendCallAsync(
        IReadOnlyList<OutboxDelivery> due,
        DateTimeOffset deadline,
        ConcurrentDictionary<long, bool> insecure,
        Action<SendEvent> emit,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var callDeadline = now + _options.CallTimeout < deadline ? now + _options.CallTimeout : deadline;
        var inFlight = new ConcurrentDictionary<string, OutboxDelivery>(StringComparer.Ordinal);
        var answered = 0;
        SendLog.CallStarting(_logger, _channel.Address, due.Count);
        using var call = _channel.AsyncDuplexStreamingCall(
            TransmissionMethods.Submit,
            new CallOptions(Deadline: callDeadline.UtcDateTime, CancellationToken: cancellationToken));

        async Task<Status> ReadAsync()
        {
            try
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                    var response = call.ResponseStream.Current;
                    if (!inFlight.TryGetValue(response.CorrelationId, out var item))
                    {
                        SendLog.UnknownCorrelation(_logger, response.CorrelationId);
                        continue;
                    }

                    if (Handle(item, response, insecure, emit))
                    {
                        inFlight.TryRemove(response.CorrelationId, out _);
                        Interlocked.Increment(ref answered);
                    }
                }

                return Status.DefaultSuccess;
            }
            catch (RpcException e)
            {
                return e.Status;
            }
        }

        var reader = Task.Run(ReadAsync, CancellationToken.None);
        try
        {
            foreach (var item in due)
            {
                var sha = item.Entry.EnvelopeSha256!;
                if (item.Envelope.Length > _options.MaxMessageSize - 1024)
                {
                    var tooLarge = FailureNote.TooLargeToSend(item.Envelope.Length, _options.MaxMessageSize);
                    _outbox.RecordFailure(item.Entry.Revision, tooLarge.ToStored(), null);
                    emit(new SendEvent(SendEventKind.Refused, item.Entry.Revision, sha, tooLarge.Code, tooLarge.ToText(), null, null));
                    continue;
                }

                var marked = _outbox.MarkSent(item.Entry.Revision, callDeadline - now + TimeSpan.FromSeconds(5));
                if (!marked.IsSuccess)
                {
                    continue;
                }

                inFlight[sha] = item;
                emit(new SendEvent(SendEventKind.Sending, item.Entry.Revision, sha, null, marked.Entry.Attempts > 1 ? Localized.Format(StationText.EventAttempt, marked.Entry.Attempts) : string.Empty, null, null));
                await call.RequestStream.WriteAsync(new SubmitRequest { Start = new SubmissionStart { CorrelationId = sha, Envelope = ByteString.CopyFrom(item.Envelope) } }, cancellationToken);
                Failpoint.Reach(Failpoint.MidSend);
                for (var i = 0; i < item.Attachments.Count; i++)
                {
                    var bytes = item.Attachments[i].Bytes;
                    for (var offset = 0; offset < bytes.Length; offset += _options.ChunkSize)
                    {
                        var chunk = ByteString.CopyFrom(bytes, offset, Math.Min(_options.ChunkSize, bytes.Length - offset));
                        await call.RequestStream.WriteAsync(
                            new SubmitRequest { Chunk = new AttachmentChunk { CorrelationId = sha, AttachmentIndex = (uint)i, Data = chunk } },
                            cancellationToken);
                    }
                }

                await call.RequestStream.WriteAsync(new SubmitRequest { End = new SubmissionEnd { CorrelationId = sha } }, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or OperationCanceledException)
        {
            // The call ended while writing; the reader sees its status.
        }

        var status = await reader;
        return new CallResult(status, inFlight.Values.OrderBy(i => i.Entry.Revision).ToArray(), Volatile.Read(ref answered));
    }

    /// <summary>Records one answer; returns whether the item got an outcome (a receipt that did not verify is none).</summary>
    private bool Handle(OutboxDelivery item, SubmitResponse response, ConcurrentDictionary<long, bool> insecure, Action<SendEvent> emit)
    {
        var revision = item.Entry.Revision;
        var sha = item.Entry.EnvelopeSha256!;
        switch (response.OutcomeCase)
        {
            case SubmitResponse.OutcomeOneofCase.Receipt:
                var receipt = response.Receipt.Envelope.ToByteArray();
                var check = Receipts.VerifyFor(receipt, _verifier, _time.GetUtcNow(), item.Envelope, _outbox.StationCode, checked((uint)revision));
                if (check.Body is not { } body)
                {
                    insecure[revision] = true;
                    RetryDecision decision;
                    lock (_policyLock)
                    {
                        decision = _policy.Decide(StatusCode.Unavailable, Math.Max(1, item.Entry.Attempts + 1));
                    }

                    _outbox.RecordFailure(revision, FailureNote.ReceiptDidNotVerify(check.ReasonCode ?? "RECEIPT_INVALID", check.Detail).ToStored(), decision.NextAttemptAt);
                    SendLog.ReceiptInvalid(_logger, revision, sha, check.ReasonCode ?? "?", check.Detail);
                    emit(new SendEvent(SendEventKind.ReceiptInvalid, revision, sha, check.ReasonCode, check.Detail, null, decision.Delay));
                    return true;
                }

                Failpoint.Reach(Failpoint.AfterReceiptBeforeStore);
                var stored = _outbox.RecordReceipt(Convert.FromHexString(sha), receipt);
                if (!stored.IsSuccess)
                {
                    SendLog.ReceiptNotStored(_logger, revision, stored.ReasonCode ?? "?", stored.Detail);
                    emit(new SendEvent(SendEventKind.Refused, revision, sha, stored.ReasonCode, stored.Text, null, null));
                    return true;
                }

                insecure.TryRemove(revision, out _);
                SendLog.Receipted(_logger, revision, sha, body.LogIndex);
                emit(new SendEvent(SendEventKind.Receipted, revision, sha, null, string.Empty, body.LogIndex, null));
                return true;

            case SubmitResponse.OutcomeOneofCase.Rejection:
                var rejection = response.Rejection;
                var code = string.IsNullOrEmpty(rejection.Code) ? ((StatusCode)rejection.Status).ToCanonicalName() : rejection.Code;
                _outbox.RecordFailure(revision, FailureNote.RefusedByCentral(code, rejection.Message).ToStored(), null);
                SendLog.Refused(_logger, revision, sha, code, rejection.Message);
                emit(new SendEvent(SendEventKind.Refused, revision, sha, code, FailureNote.RefusalText(code, rejection.Message), null, null));
                return true;

            default:
                return false;
        }
    }


    private sealed record CallResult(Status Status, IReadOnlyList<OutboxDelivery> Unresolved, int Answered);
}
