using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Transmission.Central.Access;
using Transmission.Central.Pki;
using Transmission.Central.Storage;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Protocol;
using Transmission.Grpc;

namespace Transmission.Central.Submission;

/// <summary>
/// Central's ingestion: runs one Submit stream (docs/protocol.md, "Submit"). Per protocol: envelope size → parse →
/// signature and signer (current trust, at the receive time) → payload → binding (TLS caller = signer = payload
/// station) → protocol rules → attachments against their signed digests → durable store (group commit) → receipt.
/// A refused protocol is answered in-band and the stream goes on; a stream that breaks the framing rules ends with
/// INVALID_ARGUMENT; storage down ends it with UNAVAILABLE.
/// </summary>
public sealed class SubmissionService
{
    /// <summary>The status message when storage cannot commit; the station sends again later.</summary>
    public const string StorageUnavailableMessage = "Storage is unavailable; try again.";

    private readonly ReloadableElectionTrust _trust;
    private readonly SignerCertificateCache _certificates;
    private readonly KnownCertificates _known;
    private readonly CentralElection _election;
    private readonly SubmissionStore _store;
    private readonly SecurityEventStore _events;
    private readonly TimeProvider _time;
    private readonly SubmissionLimits _limits;
    private readonly ILogger _logger;
    private VerifierForTrust? _verifier;

    /// <summary>Creates the service (one per Central).</summary>
    public SubmissionService(
        ReloadableElectionTrust trust,
        SignerCertificateCache certificates,
        KnownCertificates known,
        CentralElection election,
        SubmissionStore store,
        SecurityEventStore events,
        TimeProvider time,
        SubmissionLimits limits,
        ILogger<SubmissionService> logger)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(logger);
        _trust = trust;
        _certificates = certificates;
        _known = known;
        _election = election;
        _store = store;
        _events = events;
        _time = time;
        _limits = limits;
        _logger = logger;
    }

    /// <summary>Runs one Submit call until the station half-closes, a stream rule is broken, or storage is down.</summary>
    public async Task RunAsync(IAsyncStreamReader<SubmitRequest> requests, IServerStreamWriter<SubmitResponse> responses, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(context);
        var call = new CallInfo(CallerContext.Get(context), context.Peer, context.CancellationToken);
        InFlight? current = null;
        // After an in-band refusal, the rest of that protocol's items (chunks, end) are skipped.
        string? skipping = null;
        while (await requests.MoveNext(call.CancellationToken))
        {
            var item = requests.Current;
            switch (item.ItemCase)
            {
                case SubmitRequest.ItemOneofCase.Start:
                {
                    var id = item.Start.CorrelationId;
                    if (current is not null)
                    {
                        await EndStreamAsync(call, $"'start' of '{Printable(id)}' before the 'end' of '{Printable(current.CorrelationId)}'");
                    }

                    if (string.IsNullOrEmpty(id))
                    {
                        await EndStreamAsync(call, "'start' with an empty correlation id");
                    }

                    skipping = null;
                    var begun = Begin(call, item.Start);
                    if (begun.Refusal is { } refusal)
                    {
                        await RefuseAsync(call, responses, id, begun.EnvelopeSha256, refusal);
                        skipping = id;
                    }
                    else
                    {
                        current = begun.InFlight;
                    }

                    break;
                }

                case SubmitRequest.ItemOneofCase.Chunk:
                {
                    var id = item.Chunk.CorrelationId;
                    if (skipping is not null && string.Equals(id, skipping, StringComparison.Ordinal))
                    {
                        break;
                    }

                    var inFlight = await ExpectCurrentAsync(call, current, id, "chunk");
                    if (inFlight.Add(item.Chunk) is { } refusal)
                    {
                        await RefuseAsync(call, responses, id, inFlight.EnvelopeSha256, refusal);
                        current = null;
                        skipping = id;
                    }

                    break;
                }

                case SubmitRequest.ItemOneofCase.End:
                {
                    var id = item.End.CorrelationId;
                    if (skipping is not null && string.Equals(id, skipping, StringComparison.Ordinal))
                    {
                        skipping = null;
                        break;
                    }

                    var inFlight = await ExpectCurrentAsync(call, current, id, "end");
                    current = null;
                    if (inFlight.Finish() is { } refusal)
                    {
                        await RefuseAsync(call, responses, id, inFlight.EnvelopeSha256, refusal);
                        break;
                    }

                    await StoreAsync(call, responses, inFlight);
                    break;
                }

                default:
                    await EndStreamAsync(call, "a request with no item");
                    break;
            }
        }

        if (current is not null)
        {
            await EndStreamAsync(call, $"the stream ended before the 'end' of '{Printable(current.CorrelationId)}'");
        }
    }

    private async Task<InFlight> ExpectCurrentAsync(CallInfo call, InFlight? current, string id, string what)
    {
        if (current is null)
        {
            await EndStreamAsync(call, $"'{what}' of '{Printable(id)}' without a 'start'");
        }
        else if (!string.Equals(current.CorrelationId, id, StringComparison.Ordinal))
        {
            await EndStreamAsync(call, $"'{what}' of '{Printable(id)}' while '{Printable(current.CorrelationId)}' is open (protocols may not interleave)");
        }

        return current!;
    }

    private Begun Begin(CallInfo call, SubmissionStart start)
    {
        var receivedAt = _time.GetUtcNow();
        if (start.Envelope.Length > _limits.MaxEnvelopeBytes)
        {
            return Begun.Refused(null, new SubmissionRefusal(SubmissionCodes.EnvelopeTooLarge, StatusCode.ResourceExhausted,
                $"The envelope is {start.Envelope.Length} bytes; at most {_limits.MaxEnvelopeBytes} are accepted."));
        }

        var envelopeBytes = start.Envelope.ToByteArray();
        var envelopeSha = SHA256.HashData(envelopeBytes);
        var parsed = EnvelopeMapping.Parse(envelopeBytes);
        if (parsed.Envelope is not { } envelope)
        {
            return Begun.Refused(envelopeSha, Invalid(parsed.ReasonCode ?? "ENVELOPE_MALFORMED", "The envelope is malformed: " + parsed.Detail));
        }

        var verification = Verifier().Verify(envelope, PayloadTypes.ResultProtocol, receivedAt);
        if (!verification.IsValid)
        {
            var pki = verification.PkiReasonCode is { } reason ? $" ({reason})" : string.Empty;
            return Begun.Refused(envelopeSha, Invalid(verification.ReasonCode, $"The envelope does not verify: {verification.ReasonCode}{pki}: {verification.Detail}"));
        }

        Contracts.V1.ResultProtocol message;
        try
        {
            message = Contracts.V1.ResultProtocol.Parser.ParseFrom(envelope.Payload.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Begun.Refused(envelopeSha, Invalid(SubmissionCodes.PayloadMalformed, "The signed payload is not a result protocol: " + e.Message));
        }

        if (Utf8Fields.FirstInvalid(Contracts.V1.ResultProtocol.Descriptor, envelope.Payload.Span) is { } notUtf8)
        {
            return Begun.Refused(envelopeSha, Invalid(SubmissionCodes.PayloadMalformed, $"The signed payload is not a result protocol: {notUtf8} is not valid UTF-8."));
        }

        var mapped = message.ToDomain();
        if (mapped.Value is not { } protocol)
        {
            return Begun.Refused(envelopeSha, Invalid(mapped.ReasonCode ?? SubmissionCodes.PayloadMalformed, $"The result protocol cannot be read: {mapped.Detail}"));
        }

        // Binding (design §3): the connection's station, the signer and the station named in the payload are one.
        var caller = call.Caller.Id;
        var signer = verification.Signer;
        if (!string.Equals(signer.Id, caller, StringComparison.Ordinal) || !string.Equals(protocol.StationCode, caller, StringComparison.Ordinal))
        {
            return Begun.Refused(envelopeSha, new SubmissionRefusal(SubmissionCodes.StationMismatch, StatusCode.PermissionDenied,
                $"Station {caller} may only submit its own protocols; this one is signed by {signer} for station '{Printable(protocol.StationCode ?? string.Empty)}'."));
        }

        // Before the rules: they report each attachment's problems, so 400,000 empty attachment entries (800 KB of
        // payload) used to cost seconds of CPU and 1.6 million violations before this one-line refusal.
        if (protocol.Attachments.Count > _limits.MaxAttachments)
        {
            return Begun.Refused(envelopeSha, new SubmissionRefusal(SubmissionCodes.AttachmentLimit, StatusCode.ResourceExhausted,
                $"The protocol declares {protocol.Attachments.Count} attachments; at most {_limits.MaxAttachments} are accepted."));
        }

        var report = ProtocolValidator.Validate(protocol, _election.Definition);
        var rejections = report.Violations.Where(v => v.Severity == ViolationSeverity.Reject).ToList();
        if (rejections.Count > 0)
        {
            var codes = string.Join(", ", rejections.Select(v => v.Code).Distinct(StringComparer.Ordinal));
            return Begun.Refused(envelopeSha, Invalid(rejections[0].Code, $"The protocol cannot be accepted ({codes}): {rejections[0].Message}"));
        }

        for (var i = 0; i < protocol.Attachments.Count; i++)
        {
            if (protocol.Attachments[i].Size > _limits.MaxAttachmentBytes)
            {
                return Begun.Refused(envelopeSha, new SubmissionRefusal(SubmissionCodes.AttachmentLimit, StatusCode.ResourceExhausted,
                    $"Attachment {i} declares {protocol.Attachments[i].Size} bytes; at most {_limits.MaxAttachmentBytes} are accepted."));
            }
        }

        // The verifier parsed the chair's certificate into the cache a moment ago.
        string? signerSerial = null;
        if (_certificates.TryGet(verification.SignerCertificateSha256, out var chairCertificate))
        {
            signerSerial = RevocationEntry.CanonicalSerial(chairCertificate.Certificate);
            _known.Remember(chairCertificate.Certificate, signer);
        }

        var pending = new PendingSubmission(
            protocol.ElectionId,
            caller,
            protocol.Revision,
            SHA256.HashData(envelope.Payload.Span),
            envelopeBytes,
            envelopeSha,
            Convert.FromHexString(verification.SignerCertificateSha256),
            report.FlagCodes,
            verification.CoSignatureCount,
            [],
            receivedAt)
        {
            Peer = call.Peer,
            CallerUri = call.Caller.Uri,
            SignerSerialNumber = signerSerial,
        };
        return new Begun(new InFlight(start.CorrelationId, pending, protocol.Attachments), envelopeSha, null);
    }

    private async Task StoreAsync(CallInfo call, IServerStreamWriter<SubmitResponse> responses, InFlight inFlight)
    {
        var pending = inFlight.ToPending();
        var sha = Convert.ToHexStringLower(pending.EnvelopeSha256);
        var outcome = await _store.SubmitAsync(pending, call.CancellationToken);
        switch (outcome)
        {
            case SubmissionStored stored:
                SubmissionLog.Accepted(_logger, pending.StationCode, pending.Revision, sha, stored.LogIndex, string.Join(',', pending.Flags), inFlight.CorrelationId);
                await SendReceiptAsync(responses, inFlight.CorrelationId, stored.Receipt, call.CancellationToken);
                break;
            case SubmissionDuplicate duplicate:
                SubmissionLog.Duplicate(_logger, pending.StationCode, pending.Revision, sha, duplicate.LogIndex, inFlight.CorrelationId);
                await SendReceiptAsync(responses, inFlight.CorrelationId, duplicate.Receipt, call.CancellationToken);
                break;
            case SubmissionConflict conflict:
                // The store kept the envelope as evidence and recorded the security event in the same commit.
                await SendRefusalAsync(call, responses, inFlight.CorrelationId, sha, new SubmissionRefusal(SubmissionCodes.RevisionConflict, StatusCode.AlreadyExists,
                    $"Station {pending.StationCode} already has a different protocol accepted for revision {pending.Revision} (envelope {Convert.ToHexStringLower(conflict.ExistingEnvelopeSha256)}); this one is kept as evidence. A correction needs a higher revision."));
                break;
            case SubmissionStale stale:
                await SendRefusalAsync(call, responses, inFlight.CorrelationId, sha, new SubmissionRefusal(SubmissionCodes.RevisionStale, StatusCode.FailedPrecondition,
                    $"Revision {pending.Revision} is older than revision {stale.HighestRevision}, which is already accepted for station {pending.StationCode}."));
                break;
            case SubmissionSignerUntrusted untrusted:
                // A CRL put in force after the envelope was verified revokes its signer (the store's gate).
                await RefuseAsync(call, responses, inFlight.CorrelationId, pending.EnvelopeSha256, Invalid(EnvelopeFailure.SignerUntrusted.ToReasonCode(),
                    $"The envelope does not verify: {EnvelopeFailure.SignerUntrusted.ToReasonCode()} ({untrusted.PkiReason}): {untrusted.Detail}"));
                break;
            case StorageUnavailable unavailable:
                SubmissionLog.StorageUnavailable(_logger, pending.StationCode, sha, inFlight.CorrelationId, unavailable.Reason);
                throw new RpcException(new Status(StatusCode.Unavailable, StorageUnavailableMessage));
            default:
                throw new InvalidOperationException($"Unknown submission outcome {outcome.GetType().Name}.");
        }
    }

    private static Task SendReceiptAsync(IServerStreamWriter<SubmitResponse> responses, string correlationId, byte[]? receipt, CancellationToken cancellationToken) =>
        responses.WriteAsync(
            new SubmitResponse
            {
                CorrelationId = correlationId,
                Receipt = new Receipt { Envelope = ByteString.CopyFrom(receipt ?? throw new InvalidOperationException("The submission was stored without a receipt: the store has no receipt factory.")) },
            },
            cancellationToken);

    private async Task RefuseAsync(CallInfo call, IServerStreamWriter<SubmitResponse> responses, string correlationId, byte[]? envelopeSha256, SubmissionRefusal refusal)
    {
        var sha = envelopeSha256 is null ? "-" : Convert.ToHexStringLower(envelopeSha256);
        var kind = refusal.Code == SubmissionCodes.StationMismatch ? SubmissionCodes.StationMismatch : SubmissionCodes.RejectedEventKind;
        await _events.RecordAsync(kind, call.Peer, call.Caller.Uri, $"{refusal.Code}: {refusal.Message} (envelope {sha})", call.CancellationToken);
        await SendRefusalAsync(call, responses, correlationId, sha, refusal);
    }

    private async Task SendRefusalAsync(CallInfo call, IServerStreamWriter<SubmitResponse> responses, string correlationId, string envelopeSha, SubmissionRefusal refusal)
    {
        SubmissionLog.Refused(_logger, call.Caller.Uri, call.Peer, refusal.Code, refusal.Status.ToString(), refusal.Message, envelopeSha, Printable(correlationId));
        await responses.WriteAsync(
            new SubmitResponse
            {
                CorrelationId = correlationId,
                Rejection = new Rejection { Code = refusal.Code, Message = refusal.Message, Status = (int)refusal.Status },
            },
            call.CancellationToken);
    }

    private async Task EndStreamAsync(CallInfo call, string detail)
    {
        var message = $"Submit stream rule broken: {detail}. Expected per protocol: start, its chunks in order, end.";
        SubmissionLog.StreamInvalid(_logger, call.Caller.Uri, call.Peer, detail);
        await _events.RecordAsync(SubmissionCodes.StreamInvalidEventKind, call.Peer, call.Caller.Uri, detail, call.CancellationToken);
        throw new RpcException(new Status(StatusCode.InvalidArgument, message));
    }

    private EnvelopeVerifier Verifier()
    {
        // One verifier per trust: a reloaded CRL is a new ElectionTrust, and the next protocol is verified with it.
        var trust = _trust.Current;
        var current = Volatile.Read(ref _verifier);
        if (current is null || !ReferenceEquals(current.Trust, trust))
        {
            current = new VerifierForTrust(trust, new EnvelopeVerifier(trust, _certificates));
            Volatile.Write(ref _verifier, current);
        }

        return current.Verifier;
    }

    private static SubmissionRefusal Invalid(string code, string message) => new(code, StatusCode.InvalidArgument, message);

    // Station-chosen text echoed into messages and logs is bounded and stripped of control characters.
    private static string Printable(string value)
    {
        var cut = value.Length > 64 ? value[..64] + "..." : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }

    private sealed record VerifierForTrust(ElectionTrust Trust, EnvelopeVerifier Verifier);

    private sealed record CallInfo(CallerIdentity Caller, string Peer, CancellationToken CancellationToken);

    private sealed record Begun(InFlight? InFlight, byte[]? EnvelopeSha256, SubmissionRefusal? Refusal)
    {
        public static Begun Refused(byte[]? envelopeSha256, SubmissionRefusal refusal) => new(null, envelopeSha256, refusal);
    }

    /// <summary>A verified protocol whose attachments are arriving.</summary>
    private sealed class InFlight(string correlationId, PendingSubmission pending, IReadOnlyList<Transmission.Core.Protocol.AttachmentDigest> declared)
    {
        private readonly byte[]?[] _buffers = new byte[]?[declared.Count];
        private readonly long[] _received = new long[declared.Count];
        private readonly bool[] _checked = new bool[declared.Count];
        private int _index = -1;

        public string CorrelationId { get; } = correlationId;

        public byte[] EnvelopeSha256 => pending.EnvelopeSha256;

        public SubmissionRefusal? Add(AttachmentChunk chunk)
        {
            var index = chunk.AttachmentIndex;
            if (index >= declared.Count || index < _index || index > _index + 1)
            {
                return Invalid(SubmissionCodes.AttachmentOutOfOrder,
                    $"A chunk names attachment {index}, but the protocol declares {declared.Count} attachment(s), sent in order (current: {_index}).");
            }

            if (index == _index + 1)
            {
                if (_index >= 0 && CheckComplete(_index) is { } incomplete)
                {
                    return incomplete;
                }

                _index = (int)index;
            }

            var size = declared[_index].Size;
            var data = chunk.Data.Span;
            if (_received[_index] + data.Length > size)
            {
                return Invalid(SubmissionCodes.AttachmentSizeMismatch,
                    $"Attachment {_index} ('{Printable(declared[_index].Name)}') carries more than the {size} bytes the protocol declares.");
            }

            var received = checked((int)_received[_index]);
            var buffer = Reserve(_index, received + data.Length, size);
            data.CopyTo(buffer.AsSpan(received));
            _received[_index] += data.Length;
            return null;
        }

        public SubmissionRefusal? Finish()
        {
            for (var i = 0; i < declared.Count; i++)
            {
                if (CheckComplete(i) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        public PendingSubmission ToPending()
        {
            var attachments = new PendingAttachment[declared.Count];
            for (var i = 0; i < attachments.Length; i++)
            {
                attachments[i] = new PendingAttachment(declared[i].Name, declared[i].MediaType, _buffers[i] ?? []);
            }

            return pending with { Attachments = attachments };
        }

        // The buffer grows with the bytes that arrive (doubling, never past the declared size) instead of being
        // allocated at the declared size: a station that declares 8 × 20 MiB and sends a byte of each must not make
        // Central hold 160 MiB. Once complete, the buffer is exactly the declared size.
        private byte[] Reserve(int index, int needed, long declaredSize)
        {
            var buffer = _buffers[index];
            if (buffer is not null && buffer.Length >= needed)
            {
                return buffer;
            }

            var grown = new byte[(int)Math.Min(declaredSize, Math.Max(needed, 2L * (buffer?.Length ?? 0)))];
            buffer?.CopyTo(grown, 0);
            return _buffers[index] = grown;
        }

        private SubmissionRefusal? CheckComplete(int i)
        {
            if (_checked[i])
            {
                return null;
            }

            var attachment = declared[i];
            if (_received[i] != attachment.Size)
            {
                return Invalid(SubmissionCodes.AttachmentSizeMismatch,
                    $"Attachment {i} ('{Printable(attachment.Name)}') carried {_received[i]} bytes; the protocol declares {attachment.Size}.");
            }

            if (!SHA256.HashData(_buffers[i] ?? []).AsSpan().SequenceEqual(attachment.Sha256.Span))
            {
                return Invalid(SubmissionCodes.AttachmentDigestMismatch,
                    $"Attachment {i} ('{Printable(attachment.Name)}') does not have the SHA-256 the protocol signs.");
            }

            _checked[i] = true;
            return null;
        }
    }
}
