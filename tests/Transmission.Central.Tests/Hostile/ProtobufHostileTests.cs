using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Grpc;

namespace Transmission.Central.Tests.Hostile;

/// <summary>
/// Issue 7 item 2, protobuf: hand-encoded bytes at the two places Central parses protobuf from a station — the
/// SubmitRequest messages of the gRPC stream (sent raw, so no client re-encodes them) and the signed ResultProtocol
/// payload (signed with the station's real key, so it passes the signature and reaches the parser). Each case pins the
/// exact status and code, that nothing was stored, and that Central then takes an honest protocol.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class ProtobufHostileTests(RunningCentral central)
{
    private readonly HostileChecks _checks = new(central);

    public static TheoryData<string, byte[]> UnparsableRequests => new()
    {
        { "truncated varint (a length that never ends)", [0x0A, 0x80, 0x80] },
        { "truncated varint tag", [0x80] },
        { "varint longer than 10 bytes", [0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { "wire type 6 (does not exist)", [0x0E, 0x00] },
        { "wire type 7 (does not exist)", [0x0F, 0x00] },
        { "field number 0", [0x00, 0x00] },
        { "length past the end of the message", [0x0A, 0x20, 0x0A, 0x01, 0x41] },
        { "end-group without a start-group", [0x0C] },
        { "start-group never closed", [0x0B, 0x08, 0x01] },
        { "201 nested groups (recursion limit 100)", NestedGroups(201) },
    };

    [Theory]
    [MemberData(nameof(UnparsableRequests))]
    public async Task Submit_UnparsableRequestMessage_InternalFailedToDeserialize(string what, byte[] message)
    {
        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(HostileChecks.Frame(message)));

        Assert.True((StatusCode.Internal, "Failed to deserialize message.") == (reply.Status, reply.Message), $"{what}: got {reply.Status} '{reply.Message}'");
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_StartFieldWithTheWrongWireType_AnUnknownFieldSoARequestWithNoItem()
    {
        // Field 1 (start, a message) sent as a varint: protobuf treats a tag with another wire type as an unknown
        // field, so the request has no item, which breaks the stream rules.
        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(HostileChecks.Frame([0x08, 0x01])));

        Assert.Equal((StatusCode.InvalidArgument, "Submit stream rule broken: a request with no item. Expected per protocol: start, its chunks in order, end."), (reply.Status, reply.Message));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_TwoMillionTinyUnknownFieldsWithinTheLimit_RequestWithNoItemCentralKeepsServing()
    {
        // 2,000,000 two-byte unknown varint fields: 4,000,000 bytes, under the 4 MiB message limit.
        var message = new byte[4_000_000];
        for (var i = 0; i < message.Length; i += 2)
        {
            message[i] = 0x20; // field 4, varint: not a field of SubmitRequest
        }

        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(HostileChecks.Frame(message)));

        Assert.Equal(StatusCode.InvalidArgument, reply.Status);
        Assert.StartsWith("Submit stream rule broken: a request with no item.", reply.Message, StringComparison.Ordinal);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_UnknownFieldsInEveryRequestMessage_IgnoredAndReceipted()
    {
        // Unknown fields of the transport messages (SubmitRequest, SubmissionStart, SubmissionEnd) are skipped: the
        // stream is read by its known fields, as proto3 asks. What is stored is the envelope bytes, not these.
        var signed = _checks.Station.Sign(_checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision()));
        var unknown = new byte[] { 0xF8, 0x3E, 0x2A, 0xC2, 0x3E, 0x03, 0x61, 0x62, 0x63 }; // field 1007 varint 42, field 1000 "abc"
        var body = signed.Items("u").SelectMany(i => HostileChecks.Frame([.. i.ToByteArray(), .. unknown])).ToArray();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(body));

        Assert.Equal(StatusCode.OK, reply.Status);
        Assert.True(_checks.Station.VerifyReceipt(SubmitResponse.Parser.ParseFrom(Assert.Single(reply.Messages)), signed).IsValid);
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Submit_CorrelationIdNotValidUtf8_DecodedWithReplacementCharactersAndEchoed()
    {
        // Google.Protobuf (C#) decodes a string that is not UTF-8 leniently, with U+FFFD. The correlation id only pairs
        // a response with its protocol, so Central takes it as decoded; what is stored and signed is the envelope.
        var signed = _checks.Station.Sign(_checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision()));
        var id = new byte[] { 0xFF, 0xFE, 0x41 };
        var start = new List<byte> { 0x0A, 0x03 };
        start.AddRange(id);
        start.Add(0x12);
        var envelope = new CodedLength(signed.Envelope.Length);
        start.AddRange(envelope.Bytes);
        start.AddRange(signed.Envelope);
        var body = HostileChecks.Frame([0x0A, .. new CodedLength(start.Count).Bytes, .. start])
            .Concat(HostileChecks.Frame(new SubmitRequest { End = new SubmissionEnd { CorrelationId = "\uFFFD\uFFFDA" } })).ToArray();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(body));

        Assert.Equal(StatusCode.OK, reply.Status);
        var response = SubmitResponse.Parser.ParseFrom(Assert.Single(reply.Messages));
        Assert.Equal("\uFFFD\uFFFDA", response.CorrelationId);
        Assert.True(_checks.Station.VerifyReceipt(response, signed).IsValid);
        central.Logs.AssertNoUnexpectedErrors();
    }

    public static TheoryData<string, byte[]> UnparsablePayloadTails => new()
    {
        { "truncated varint", [0x28, 0xFF] },
        { "length past the end", [0x22, 0x40, 0x41] },
        { "wire type 7", [0x0F] },
        { "201 nested groups", NestedGroups(201) },
        { "station_code (field 4) not valid UTF-8", [0x22, 0x02, 0xC3, 0x28] },
        { "explanation (field 11) not valid UTF-8", [0x5A, 0x03, 0x41, 0xFF, 0x42] },
        { "correction_reason (field 6) a lone surrogate in UTF-8", [0x32, 0x03, 0xED, 0xA0, 0x80] },
        { "a choice id (contests.choices.choice_id) overlong UTF-8", [0x4A, 0x06, 0x12, 0x04, 0x0A, 0x02, 0xC0, 0xAF] },
        { "an attachment name not valid UTF-8", [0x52, 0x03, 0x0A, 0x01, 0x80] },
    };

    [Theory]
    [MemberData(nameof(UnparsablePayloadTails))]
    public async Task Submit_SignedPayloadThatDoesNotParse_PayloadMalformed(string what, byte[] tail)
    {
        var signed = SignRaw(Payload(tail));
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        Assert.True(("PAYLOAD_MALFORMED", (int)StatusCode.InvalidArgument) == (rejection.Code, rejection.Status), $"{what}: got {rejection.Code} {rejection.Status}: {rejection.Message}");
        Assert.StartsWith("The signed payload is not a result protocol", rejection.Message, StringComparison.Ordinal);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_SignedPayloadWithUnknownFields_KeptAsSignedAndIgnored()
    {
        // protocol.md §7.2: fields this version does not know are ignored by the checks and the totals; the envelope
        // is stored byte for byte as signed, unknown fields included (an auditor sees exactly what the chair signed).
        var signed = SignRaw(Payload([0xF8, 0x3E, 0xE7, 0x07, 0x82, 0x3F, 0x05, .. "hello"u8])); // field 1007 = 999, field 1008 = "hello"

        var result = await _checks.Station.SubmitAsync(signed);

        Assert.Null(result.Error);
        Assert.True(_checks.Station.VerifyReceipt(result.Single(), signed).IsValid);
        await using var db = central.OpenDatabase();
        Assert.Equal(signed.Envelope, (await db.Blobs.SingleAsync(b => b.Sha256 == signed.EnvelopeSha256)).Bytes);
        var stored = await db.Submissions.SingleAsync(s => s.EnvelopeSha256 == signed.EnvelopeSha256);
        Assert.Empty(stored.Flags);
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Submit_SignedPayloadStationCodeWithTheWrongWireType_UnknownFieldSoStationMismatch()
    {
        // station_code (field 4, a string) sent only as a varint: protobuf keeps a tag of another wire type as an
        // unknown field, so the payload names no station, and binding refuses it.
        var protocol = _checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision()) with { StationCode = string.Empty };
        var signed = SignRaw((protocol, [.. protocol.ToContractBytes(), 0x20, 0x01]));
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        Assert.Equal(("STATION_MISMATCH", (int)StatusCode.PermissionDenied), (rejection.Code, rejection.Status));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Theory]
    [InlineData("contests", 400_000)]
    [InlineData("choices", 400_000)]
    [InlineData("attachments", 400_000)]
    public async Task Submit_SignedPayloadWithHundredsOfThousandsOfTinyEntries_RefusedByTheRulesInBand(string field, int count)
    {
        // Empty repeated messages cost 2 bytes each: 400,000 of them (800 KB) stay under the 1 MiB envelope limit and
        // reach the checks, which answer with one bounded message, never one line per entry.
        var protocol = _checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision());
        var contract = protocol.ToContract().Value!;
        switch (field)
        {
            case "contests":
                contract.Contests.Add(Enumerable.Range(0, count).Select(_ => new ContestResult()));
                break;
            case "choices":
                contract.Contests[0].Choices.Add(Enumerable.Range(0, count).Select(_ => new ChoiceVotes()));
                break;
            default:
                contract.Attachments.Add(Enumerable.Range(0, count).Select(_ => new AttachmentDigest()));
                break;
        }

        var signed = SignRaw((protocol, contract.ToByteArray()));
        Assert.InRange(signed.Envelope.Length, 800_000, 1024 * 1024);
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        // An empty id is first unknown (one violation), then repeated (one more), whatever the count.
        // Attachments are counted against MaxAttachments before the rules look at each one.
        var expected = field switch
        {
            "contests" => ("CONTEST_UNKNOWN", (int)StatusCode.InvalidArgument),
            "choices" => ("CHOICE_UNKNOWN", (int)StatusCode.InvalidArgument),
            _ => ("ATTACHMENT_LIMIT", (int)StatusCode.ResourceExhausted),
        };
        Assert.Equal(expected, (rejection.Code, rejection.Status));
        Assert.InRange(rejection.Message.Length, 1, 2000);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    /// <summary><paramref name="depth"/> start-group tags of unknown field 50 (wire type 3), never closed.</summary>
    internal static byte[] NestedGroups(int depth)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < depth; i++)
        {
            bytes.AddRange([0x93, 0x03]); // field 50, start group
        }

        for (var i = 0; i < depth; i++)
        {
            bytes.AddRange([0x94, 0x03]); // field 50, end group
        }

        return [.. bytes];
    }

    private (Core.Protocol.ResultProtocol Protocol, byte[] Bytes) Payload(byte[] tail)
    {
        var protocol = _checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision());
        return (protocol, [.. protocol.ToContractBytes(), .. tail]);
    }

    private SignedProtocol SignRaw((Core.Protocol.ResultProtocol Protocol, byte[] Bytes) payload) =>
        new(payload.Protocol, EnvelopeMapping.ToBytes(_checks.Station.SignEnvelope(payload.Bytes, "ST-0001")), []);

    /// <summary>A protobuf length as a varint.</summary>
    private readonly record struct CodedLength(int Value)
    {
        public byte[] Bytes
        {
            get
            {
                var bytes = new List<byte>();
                var v = (uint)Value;
                while (v >= 0x80)
                {
                    bytes.Add((byte)((v & 0x7F) | 0x80));
                    v >>= 7;
                }

                bytes.Add((byte)v);
                return [.. bytes];
            }
        }
    }
}
