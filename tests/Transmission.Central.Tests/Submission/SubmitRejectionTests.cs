using System.Security.Cryptography;
using Google.Protobuf;
using Transmission.Central.Submission;
using Transmission.Central.Tests.Hosting;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Grpc;

namespace Transmission.Central.Tests.Submission;

/// <summary>
/// Design §11, submission rows: every bad input gets its exact status and code in-band, nothing is stored (table
/// counts unchanged), a security event is recorded, and the stream goes on with the next protocol.
/// </summary>
public sealed class SubmitRejectionTests(RunningCentral central) : IClassFixture<RunningCentral>
{
    private readonly StationSubmitter _station = new(central);

    private Core.Protocol.ResultProtocol Valid(string station = "ST-0001") => _station.Protocol(station, StationSubmitter.NextRevision());

    [Fact]
    public async Task Submit_FlippedSignatureByte_SignatureInvalid()
    {
        var protocol = Valid();
        var envelope = _station.SignEnvelope(protocol.ToContractBytes(), "ST-0001");
        var sig = envelope.Signatures[0].Signature.ToArray();
        sig[10] ^= 0x01;
        var tampered = envelope with { Signatures = [envelope.Signatures[0] with { Signature = sig }] };

        await AssertRefusedAsync(new SignedProtocol(protocol, EnvelopeMapping.ToBytes(tampered), []), StatusCode.InvalidArgument, "SIGNATURE_INVALID");
    }

    [Fact]
    public async Task Submit_AlteredPayload_SignatureInvalid()
    {
        var protocol = Valid();
        var envelope = _station.SignEnvelope(protocol.ToContractBytes(), "ST-0001");
        var altered = protocol with { Ballots = protocol.Ballots with { Invalid = protocol.Ballots.Invalid + 1 } };
        var tampered = envelope with { Payload = altered.ToContractBytes() };

        await AssertRefusedAsync(new SignedProtocol(altered, EnvelopeMapping.ToBytes(tampered), []), StatusCode.InvalidArgument, "SIGNATURE_INVALID");
    }

    [Fact]
    public async Task Submit_AlteredAttachment_DigestMismatch()
    {
        var scan = RandomNumberGenerator.GetBytes(5000);
        var signed = _station.Sign(StationSubmitter.WithAttachments(Valid(), scan), [scan]);
        var altered = (byte[])scan.Clone();
        altered[4999] ^= 0xFF;

        await AssertRefusedAsync(signed with { Attachments = [altered] }, StatusCode.InvalidArgument, "ATTACHMENT_DIGEST_MISMATCH");
    }

    [Fact]
    public async Task Submit_AttachmentLongerThanDeclared_SizeMismatchAnsweredBeforeTheEnd()
    {
        var scan = RandomNumberGenerator.GetBytes(5000);
        var signed = _station.Sign(StationSubmitter.WithAttachments(Valid(), scan), [scan]);
        var before = await _station.CountsAsync();
        using var channel = central.ChannelFor(central.Pki.StationDir("ST-0001"));
        using var call = channel.AsyncDuplexStreamingCall(TransmissionMethods.Submit);

        await call.RequestStream.WriteAsync(signed.Items("p1").First());
        await call.RequestStream.WriteAsync(SignedProtocol.Chunk("p1", 0, scan));
        await call.RequestStream.WriteAsync(SignedProtocol.Chunk("p1", 0, new byte[1]));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        var rejection = call.ResponseStream.Current.Rejection;
        await call.RequestStream.WriteAsync(SignedProtocol.End("p1"));
        await call.RequestStream.CompleteAsync();

        Assert.Equal(("ATTACHMENT_SIZE_MISMATCH", (int)StatusCode.InvalidArgument), (rejection.Code, rejection.Status));
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        (await _station.CountsAsync()).AssertNothingStoredSince(before);
    }

    [Fact]
    public async Task Submit_AttachmentShorterThanDeclared_SizeMismatch()
    {
        var scan = RandomNumberGenerator.GetBytes(5000);
        var signed = _station.Sign(StationSubmitter.WithAttachments(Valid(), scan), [scan]);

        await AssertRefusedAsync(signed with { Attachments = [scan[..4000]] }, StatusCode.InvalidArgument, "ATTACHMENT_SIZE_MISMATCH");
    }

    [Fact]
    public async Task Submit_UnknownPayloadType_PayloadTypeUnknown()
    {
        var signed = _station.Sign(Valid(), payloadType: "application/vnd.transmission.something-else.v1+protobuf");

        await AssertRefusedAsync(signed, StatusCode.InvalidArgument, "PAYLOAD_TYPE_UNKNOWN");
    }

    [Fact]
    public async Task Submit_MalformedEnvelopeBytes_EnvelopeMalformed()
    {
        var garbage = new SignedProtocol(Valid(), [0x0A, 0xFF, 0x01, 0x02, 0x03], []);

        await AssertRefusedAsync(garbage, StatusCode.InvalidArgument, "ENVELOPE_MALFORMED");
    }

    [Fact]
    public async Task Submit_SignedWithTheStationsTlsCertificate_SignerUntrustedWrongKeyUsage()
    {
        var signed = _station.Sign(Valid(), keyStem: "tls");

        var rejection = await AssertRefusedAsync(signed, StatusCode.InvalidArgument, "SIGNER_UNTRUSTED");

        Assert.Contains("WRONG_KEY_USAGE", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_AnotherStationsProtocol_PermissionDeniedStationMismatchSecurityEvent()
    {
        var signed = _station.Sign(Valid("ST-0002"));
        var before = await _station.CountsAsync();

        await AssertRefusedAsync(signed, StatusCode.PermissionDenied, "STATION_MISMATCH", connection: "ST-0001");

        var events = await _station.SecurityEventsAfterAsync(before.SecurityEvents);
        var e = Assert.Single(events);
        Assert.Equal("STATION_MISMATCH", e.Kind);
        Assert.Equal("urn:transmission:station:ST-0001", e.CallerUri);
    }

    [Fact]
    public async Task Submit_PayloadNamesAnotherStationSignedByTheCaller_StationMismatch()
    {
        var signed = _station.Sign(Valid() with { StationCode = "ST-9999" }, signer: "ST-0001");

        await AssertRefusedAsync(signed, StatusCode.PermissionDenied, "STATION_MISMATCH", connection: "ST-0001");
    }

    [Theory]
    [InlineData("election", "ELECTION_MISMATCH")]
    [InlineData("definition", "DEFINITION_MISMATCH")]
    [InlineData("mode", "MODE_MISMATCH")]
    public async Task Submit_WrongBinding_InvalidArgumentWithTheRuleCode(string what, string code)
    {
        var protocol = Valid();
        protocol = what switch
        {
            "election" => protocol with { ElectionId = "another-election" },
            "definition" => protocol with { DefinitionSha256 = SHA256.HashData("another definition"u8) },
            _ => protocol with { Mode = Core.Election.ElectionMode.Live },
        };

        var rejection = await AssertRefusedAsync(_station.Sign(protocol), StatusCode.InvalidArgument, code);

        Assert.Contains(code, rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_SeveralRejectRules_FirstCodeAndAllCodesInTheMessage()
    {
        var protocol = Valid() with { ElectionId = "another-election", Mode = Core.Election.ElectionMode.Live };

        var rejection = await AssertRefusedAsync(_station.Sign(protocol), StatusCode.InvalidArgument, "ELECTION_MISMATCH");

        Assert.Contains("ELECTION_MISMATCH, MODE_MISMATCH", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_RefusedProtocolThenValidOne_StreamGoesOn()
    {
        var bad = new SignedProtocol(Valid(), [0x0A, 0xFF], []);
        var good = _station.Sign(Valid());

        var result = await _station.SubmitAsync("ST-0001", bad.Items("bad").Concat(good.Items("good")));

        Assert.Null(result.Error);
        Assert.Equal("ENVELOPE_MALFORMED", result.Responses[0].Rejection.Code);
        Assert.True(_station.VerifyReceipt(result.Responses[1], good).IsValid);
    }

    [Fact]
    public async Task Submit_ChunkWithoutStart_CallEndsInvalidArgument()
    {
        var result = await _station.SubmitAsync("ST-0001", [SignedProtocol.Chunk("p1", 0, new byte[10])]);

        Assert.Equal(StatusCode.InvalidArgument, result.Error?.StatusCode);
        Assert.Contains("without a 'start'", result.Error!.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_InterleavedCorrelationIds_CallEndsInvalidArgument()
    {
        var scan = RandomNumberGenerator.GetBytes(100);
        var signed = _station.Sign(StationSubmitter.WithAttachments(Valid(), scan), [scan]);
        var before = await _station.CountsAsync();

        var result = await _station.SubmitAsync("ST-0001", [signed.Items("a").First(), SignedProtocol.Chunk("b", 0, scan), SignedProtocol.End("a")]);

        Assert.Equal(StatusCode.InvalidArgument, result.Error?.StatusCode);
        Assert.Empty(result.Responses);
        (await _station.CountsAsync()).AssertNothingStoredSince(before);
    }

    [Fact]
    public async Task Submit_EmptyCorrelationId_CallEndsInvalidArgument()
    {
        var result = await _station.SubmitAsync("ST-0001", _station.Sign(Valid()).Items(string.Empty));

        Assert.Equal(StatusCode.InvalidArgument, result.Error?.StatusCode);
    }

    [Fact]
    public async Task Submit_StartBeforeEnd_CallEndsInvalidArgument()
    {
        var signed = _station.Sign(Valid());

        var result = await _station.SubmitAsync("ST-0001", [signed.Items("a").First(), signed.Items("b").First()]);

        Assert.Equal(StatusCode.InvalidArgument, result.Error?.StatusCode);
    }

    [Fact]
    public async Task Submit_TooManyAttachments_ResourceExhausted()
    {
        var scans = Enumerable.Range(0, 9).Select(_ => RandomNumberGenerator.GetBytes(10)).ToArray();

        await AssertRefusedAsync(_station.Sign(StationSubmitter.WithAttachments(Valid(), scans), scans), StatusCode.ResourceExhausted, SubmissionCodes.AttachmentLimit);
    }

    /// <summary>Sends <paramref name="signed"/>, asserts the in-band status and code, nothing stored, a security event.</summary>
    private async Task<Rejection> AssertRefusedAsync(SignedProtocol signed, StatusCode status, string code, string? connection = null)
    {
        var before = await _station.CountsAsync();

        var result = await _station.SubmitAsync(signed, connection);

        Assert.Null(result.Error);
        var response = result.Single();
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Rejection, response.OutcomeCase);
        Assert.Equal((code, (int)status), (response.Rejection.Code, response.Rejection.Status));
        var after = await _station.CountsAsync();
        after.AssertNothingStoredSince(before);
        Assert.Equal(before.SecurityEvents + 1, after.SecurityEvents);
        central.Logs.AssertNoUnexpectedErrors();
        return response.Rejection;
    }
}
