using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Central.Review;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Grpc;
using Transmission.Testing;
using Domain = Transmission.Core.Protocol;

namespace Transmission.Central.Tests.Hostile;

/// <summary>
/// Issue 7 item 2, envelopes and protocols: payloads signed with the station's real key (so they pass the signature
/// and reach the size, mapping, binding and rule checks) that carry oversized fields, numbers at the integer limits,
/// duplicates and payload-type variants. Each case pins the exact in-band code and status, that nothing was stored,
/// and that Central then takes an honest protocol. Duplicate signatures and 5,000 co-signatures are in
/// Core.Tests/Properties/EnvelopePropertyTests (structural mutations); random damage in Central.Tests/Properties.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class EnvelopeHostileTests(RunningCentral central)
{
    private readonly HostileChecks _checks = new(central);

    [Fact]
    public async Task Submit_StationCodeOfOneMegabyte_EnvelopeTooLargeResourceExhausted()
    {
        var signed = SignContract(c => c.StationCode = new string('S', 1024 * 1024));
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        Assert.Equal(("ENVELOPE_TOO_LARGE", (int)StatusCode.ResourceExhausted), (rejection.Code, rejection.Status));
        Assert.Equal($"The envelope is {signed.Envelope.Length} bytes; at most 1048576 are accepted.", rejection.Message);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_StationCodeOfHalfAMegabyte_StationMismatchWithABoundedMessage()
    {
        var signed = SignContract(c => c.StationCode = "ST-0001" + new string('\u0007', 500_000));
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        Assert.Equal(("STATION_MISMATCH", (int)StatusCode.PermissionDenied), (rejection.Code, rejection.Status));
        // The station's text is echoed cut to 64 characters with control characters replaced.
        Assert.InRange(rejection.Message.Length, 1, 400);
        Assert.DoesNotContain('\u0007', rejection.Message);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    public static TheoryData<string, string> OversizedNames => new()
    {
        { "choice", "CHOICE_UNKNOWN" },
        { "contest", "CONTEST_UNKNOWN" },
        { "election", "ELECTION_MISMATCH" },
        { "attachment", "ATTACHMENT_INVALID" },
        { "mediaType", "ATTACHMENT_INVALID" },
    };

    [Theory]
    [MemberData(nameof(OversizedNames))]
    public async Task Submit_NameOf900Kilobytes_RuleCodeWithABoundedMessage(string field, string code)
    {
        var huge = string.Concat(Enumerable.Repeat("Партия\u202E\n", 900_000 / 16));
        var signed = SignContract(c =>
        {
            switch (field)
            {
                case "choice": c.Contests[0].Choices[0].ChoiceId = huge; break;
                case "contest": c.Contests[0].ContestId = huge; break;
                case "election": c.ElectionId = huge; break;
                case "attachment": c.Attachments.Add(new AttachmentDigest { Name = huge, MediaType = "image/png", Size = 1, Sha256 = ByteString.CopyFrom(new byte[32]) }); break;
                default: c.Attachments.Add(new AttachmentDigest { Name = "scan.png", MediaType = huge, Size = 1, Sha256 = ByteString.CopyFrom(new byte[32]) }); break;
            }
        });
        Assert.InRange(signed.Envelope.Length, 800_000, 1024 * 1024);
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        Assert.Equal((code, (int)StatusCode.InvalidArgument), (rejection.Code, rejection.Status));
        Assert.InRange(rejection.Message.Length, 1, 2000);
        Assert.DoesNotContain('\n', rejection.Message);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Theory]
    [InlineData(100_000, "choices")]
    [InlineData(50_000, "contests")]
    public async Task Submit_TensOfThousandsOfDistinctCandidatesOrContests_ChoiceOrContestUnknown(int count, string what)
    {
        var signed = SignContract(c =>
        {
            if (what == "choices")
            {
                c.Contests[0].Choices.Add(Enumerable.Range(0, count).Select(i => new ChoiceVotes { ChoiceId = i.ToString("x", System.Globalization.CultureInfo.InvariantCulture), Votes = 1 }));
            }
            else
            {
                c.Contests.Add(Enumerable.Range(0, count).Select(i => new ContestResult { ContestId = i.ToString("x", System.Globalization.CultureInfo.InvariantCulture) }));
            }
        });
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        var code = what == "choices" ? "CHOICE_UNKNOWN" : "CONTEST_UNKNOWN";
        Assert.Equal((code, (int)StatusCode.InvalidArgument), (rejection.Code, rejection.Status));
        Assert.InRange(rejection.Message.Length, 1, 2000);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    public static TheoryData<string, string> Unrepresentable => new()
    {
        { "votes = 2^64 - 1 (a -1 encoded as uint64)", "COUNT_TOO_LARGE" },
        { "votes = 2^63", "COUNT_TOO_LARGE" },
        { "ballots.used = 2^64 - 1", "COUNT_TOO_LARGE" },
        { "attachment size = 2^63", "COUNT_TOO_LARGE" },
        { "revision = 2^32 - 1", "REVISION_OUT_OF_RANGE" },
        { "revision = 2^31", "REVISION_OUT_OF_RANGE" },
        { "signed_at seconds = long.MaxValue", "TIMESTAMP_INVALID" },
        { "signed_at nanos = -1", "TIMESTAMP_INVALID" },
        { "signed_at nanos = 10^9", "TIMESTAMP_INVALID" },
        { "mode = 99", "MODE_UNKNOWN" },
        { "mode = -1", "MODE_UNKNOWN" },
        { "revision = 0", "REVISION_INVALID" },
    };

    [Theory]
    [MemberData(nameof(Unrepresentable))]
    public async Task Submit_NumberAtOrPastItsLimit_ItsCode(string what, string code)
    {
        var signed = SignContract(c =>
        {
            switch (what)
            {
                case "votes = 2^64 - 1 (a -1 encoded as uint64)": c.Contests[0].Choices[0].Votes = ulong.MaxValue; break;
                case "votes = 2^63": c.Contests[0].Choices[0].Votes = (ulong)long.MaxValue + 1; break;
                case "ballots.used = 2^64 - 1": c.Ballots.Used = ulong.MaxValue; break;
                case "attachment size = 2^63": c.Attachments.Add(new AttachmentDigest { Name = "a.png", MediaType = "image/png", Size = (ulong)long.MaxValue + 1, Sha256 = ByteString.CopyFrom(new byte[32]) }); break;
                case "revision = 2^32 - 1": c.Revision = uint.MaxValue; break;
                case "revision = 2^31": c.Revision = (uint)int.MaxValue + 1; break;
                case "signed_at seconds = long.MaxValue": c.SignedAt = new Timestamp { Seconds = long.MaxValue }; break;
                case "signed_at nanos = -1": c.SignedAt = new Timestamp { Seconds = 1, Nanos = -1 }; break;
                case "signed_at nanos = 10^9": c.SignedAt = new Timestamp { Seconds = 1, Nanos = 1_000_000_000 }; break;
                case "mode = 99": c.Mode = (ElectionMode)99; break;
                case "mode = -1": c.Mode = (ElectionMode)(-1); break;
                default: c.Revision = 0; break;
            }
        });
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        Assert.True((code, (int)StatusCode.InvalidArgument) == (rejection.Code, rejection.Status), $"{what}: got {rejection.Code} {rejection.Status}: {rejection.Message}");
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Theory]
    [InlineData("contest", "CONTEST_DUPLICATE")]
    [InlineData("choice", "CHOICE_DUPLICATE")]
    [InlineData("attachment name", "ATTACHMENT_INVALID")]
    public async Task Submit_Duplicate_RejectedWithItsCode(string what, string code)
    {
        var signed = SignContract(c =>
        {
            switch (what)
            {
                case "contest": c.Contests.Add(c.Contests[0].Clone()); break;
                case "choice": c.Contests[0].Choices.Add(c.Contests[0].Choices[0].Clone()); break;
                default:
                    var a = new AttachmentDigest { Name = "scan.png", MediaType = "image/png", Size = 1, Sha256 = ByteString.CopyFrom(new byte[32]) };
                    c.Attachments.Add([a, new AttachmentDigest { Name = "SCAN.png", MediaType = "image/png", Size = 1, Sha256 = ByteString.CopyFrom(new byte[32]) }]);
                    break;
            }
        });
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        Assert.Equal((code, (int)StatusCode.InvalidArgument), (rejection.Code, rejection.Status));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    public static TheoryData<string, string> PayloadTypes => new()
    {
        { "application/vnd.transmission.receipt.v1+protobuf", "PAYLOAD_TYPE_UNKNOWN" },
        { "APPLICATION/VND.TRANSMISSION.RESULT-PROTOCOL.V1+PROTOBUF", "PAYLOAD_TYPE_UNKNOWN" },
        { "application/vnd.transmission.result-protocol.v2+protobuf", "PAYLOAD_TYPE_UNKNOWN" },
        { "application/vnd.transmission.result-protocol.v1+json", "PAYLOAD_TYPE_UNKNOWN" },
        { "application/vnd.transmission.result-protocol.v1+protobuf ", "ENVELOPE_MALFORMED" },
        { "application/vnd.transmission.result-protocol.v1+protobuf\0", "ENVELOPE_MALFORMED" },
        { "application/vnd.transmission.résult-protocol.v1+protobuf", "ENVELOPE_MALFORMED" },
        { "", "ENVELOPE_MALFORMED" },
        { new string('a', 257), "ENVELOPE_MALFORMED" },
    };

    [Theory]
    [MemberData(nameof(PayloadTypes))]
    public async Task Submit_PayloadTypeVariant_RefusedWithItsCode(string payloadType, string code)
    {
        var signed = SignWithAnyPayloadType(payloadType);
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        Assert.True((code, (int)StatusCode.InvalidArgument) == (rejection.Code, rejection.Status), $"'{payloadType}': got {rejection.Code}: {rejection.Message}");
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    /// <summary>
    /// A count can be at most <see cref="Domain.ResultProtocol.MaxCount"/>: one station's protocol with a count near
    /// <see cref="long.MaxValue"/> used to be stored (flagged), and then every later honest station's protocol overflowed
    /// the (checked) provisional totals and was left off the review board and out of the totals. Its own Central,
    /// so that the shared one's totals are never at risk.
    /// </summary>
    [Fact]
    public async Task Submit_CountNearLongMaxThenAnHonestStation_RefusedCountTooLargeAndTheHonestOneIsCounted()
    {
        await using var own = new RunningCentral();
        await own.InitializeAsync();
        var station = new StationSubmitter(own);
        var hostile = station.Protocol("ST-0001", 1);
        var contest = hostile.Contests[0];
        hostile = hostile with
        {
            Contests = [contest with { Choices = [contest.Choices[0] with { Votes = long.MaxValue }, .. contest.Choices.Skip(1)] }, .. hostile.Contests.Skip(1)],
        };
        var before = await station.CountsAsync();

        var refused = await station.SubmitAsync(station.Sign(hostile));
        var honest = station.Protocol("ST-0002", 1);
        var accepted = await station.SubmitAsync(station.Sign(honest));

        // First what went wrong before the cap: the honest station must be on the board and in the totals.
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, accepted.Single().OutcomeCase);
        var board = own.Services.GetService(typeof(ReviewBoard)) as ReviewBoard ?? throw new InvalidOperationException("no review board");
        await board.RefreshAsync(CancellationToken.None).DefaultTimeout();
        Assert.NotEmpty(board.GetStation("ST-0002")?.Revisions ?? []);
        Assert.Equal(honest.Contests[0].Choices[0].Votes, board.Totals().Provisional.Overall.Contests[0].Choices[0].Votes);
        own.Logs.AssertNoUnexpectedErrors();
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Rejection, refused.Single().OutcomeCase);
        Assert.Equal(("COUNT_TOO_LARGE", (int)StatusCode.InvalidArgument), (refused.Single().Rejection.Code, refused.Single().Rejection.Status));
        Assert.Equal(before.Submissions + 1, (await station.CountsAsync()).Submissions);
    }

    [Fact]
    public async Task Submit_CountsAtTheLargestAcceptedValue_StoredFlaggedAndTotalsStillAddUp()
    {
        // At the cap the protocol is stored (flagged: it cannot add up), and the sum over every station of the
        // election stays far inside a 64-bit total, so an honest station after it is still counted.
        await using var own = new RunningCentral();
        await own.InitializeAsync();
        var station = new StationSubmitter(own);
        var big = station.Protocol("ST-0001", 1);
        var contest = big.Contests[0];
        big = big with
        {
            Ballots = big.Ballots with { Used = Domain.ResultProtocol.MaxCount, Received = Domain.ResultProtocol.MaxCount },
            Contests = [contest with { Choices = [contest.Choices[0] with { Votes = Domain.ResultProtocol.MaxCount }, .. contest.Choices.Skip(1)] }, .. big.Contests.Skip(1)],
        };

        var first = await station.SubmitAsync(station.Sign(big));
        var second = await station.SubmitAsync(station.Sign(station.Protocol("ST-0002", 1)));

        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, first.Single().OutcomeCase);
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, second.Single().OutcomeCase);
        var board = own.Services.GetService(typeof(ReviewBoard)) as ReviewBoard ?? throw new InvalidOperationException("no review board");
        await board.RefreshAsync(CancellationToken.None).DefaultTimeout();
        Assert.Equal(2, board.Totals().Provisional.Overall.StationsReported);
        Assert.NotEmpty(board.GetStation("ST-0001")!.Revisions.Single().Flags);
        own.Logs.AssertNoUnexpectedErrors();
    }

    private SignedProtocol SignContract(Action<Contracts.V1.ResultProtocol> change)
    {
        var protocol = _checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision());
        var contract = protocol.ToContract().Value!;
        change(contract);
        var envelope = _checks.Station.SignEnvelope(contract.ToByteArray(), "ST-0001");
        return new SignedProtocol(protocol, EnvelopeMapping.ToBytes(envelope), []);
    }

    /// <summary>Signs a valid payload under any payload type, even one <see cref="EnvelopeSigner"/> refuses to produce.</summary>
    private SignedProtocol SignWithAnyPayloadType(string payloadType)
    {
        var protocol = _checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision());
        var payload = protocol.ToContractBytes();
        var good = _checks.Station.SignEnvelope(payload, "ST-0001");
        var folder = central.Pki.StationDir("ST-0001");
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(Path.Combine(folder, "signing.cert.pem"), Path.Combine(folder, "signing.key.pem"));
        using var key = System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.GetECDsaPrivateKey(certificate)!;
        var type = Encoding.UTF8.GetBytes(payloadType);
        var pae = Encoding.ASCII.GetBytes($"DSSEv1 {type.Length} ").Concat(type).Concat(Encoding.ASCII.GetBytes($" {payload.Length} ")).Concat(payload).ToArray();
        var signature = key.SignData(pae, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var message = new Envelope { PayloadType = payloadType, Payload = ByteString.CopyFrom(payload) };
        message.Signatures.Add(new Contracts.V1.EnvelopeSignature
        {
            Algorithm = good.Signatures[0].Algorithm,
            Sig = ByteString.CopyFrom(signature),
            Certificate = ByteString.CopyFrom(good.Signatures[0].CertificateDer.Span),
            Keyid = good.Signatures[0].KeyId,
        });
        return new SignedProtocol(protocol, message.ToByteArray(), []);
    }
}
