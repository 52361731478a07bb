using System.IO.Compression;
using Google.Protobuf;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.V1;
using Transmission.Grpc;

namespace Transmission.Central.Tests.Hostile;

/// <summary>
/// Issue 7 item 2, gRPC framing: hand-built HTTP/2 request bodies and headers sent to the real Central's Submit over
/// mutual TLS with a plain HttpClient (no gRPC client in between). Each case pins the exact HTTP status or gRPC status
/// and message (docs/protocol.md §4.2), that nothing was stored, and that Central then takes an honest protocol.
/// The random-damage properties of the framing reader are in Grpc.Tests/Internal/MessageFramingPropertyTests.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class GrpcFramingHostileTests(RunningCentral central)
{
    private readonly HostileChecks _checks = new(central);

    public static TheoryData<string, byte, uint?, int, StatusCode, string> BadFrames => new()
    {
        // case, flag, declared length (null: the true length), bytes of the start message actually sent, status, message
        { "compressed flag without grpc-encoding", 1, null, int.MaxValue, StatusCode.Internal, "Request sent 'grpc-encoding' of 'identity' but message has compressed flag." },
        { "flag 2", 2, null, int.MaxValue, StatusCode.Internal, "Invalid compressed flag." },
        { "flag 0xFF", 0xFF, null, int.MaxValue, StatusCode.Internal, "Invalid compressed flag." },
        { "prefix one byte over 4 MiB", 0, 4 * 1024 * 1024 + 1, int.MaxValue, StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size." },
        { "prefix 0xFFFFFFFF", 0, uint.MaxValue, int.MaxValue, StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size." },
        { "prefix longer than the body, then END_STREAM", 0, 5000, int.MaxValue, StatusCode.Internal, "Incomplete message." },
        { "body cut inside the 5-byte prefix", 0, null, -3, StatusCode.Internal, "Incomplete message." },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task Submit_BadFrame_ExactStatusNothingStored(string what, byte flag, uint? declared, int sent, StatusCode status, string message)
    {
        var start = Start();
        var frame = HostileChecks.Frame(start, flag, declared);
        // sent < 0: only the first 5 + sent bytes of the prefix go out; otherwise the whole frame (or what the prefix lies about).
        var body = sent < 0 ? frame[..(5 + sent)] : frame;
        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(body));

        Assert.True((status, message) == (reply.Status, reply.Message), $"{what}: got {reply.Status} '{reply.Message}'");
        Assert.Empty(reply.Messages);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_ZeroLengthMessage_StreamRuleBrokenRequestWithNoItem()
    {
        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(HostileChecks.Frame([])));

        Assert.Equal(StatusCode.InvalidArgument, reply.Status);
        Assert.Equal("Submit stream rule broken: a request with no item. Expected per protocol: start, its chunks in order, end.", reply.Message);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("application/grpc-web")]
    [InlineData("application/grpc+json")]
    [InlineData(null)]
    public async Task Submit_NotAGrpcContentType_Http415NoGrpcStatus(string? contentType)
    {
        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(Honest().Body, contentType: contentType));

        Assert.Equal((415, (StatusCode?)null), (reply.HttpStatus, reply.Status));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_WithoutTeTrailers_ServedAsUsual()
    {
        // grpc/grpc PROTOCOL-HTTP2.md has clients send "te: trailers" to detect broken proxies; like grpc-dotnet,
        // Central does not refuse a request without it (protocol.md §4.2 says so). A valid protocol is receipted.
        var honest = Honest();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(honest.Body, trailers: false));

        Assert.Equal(StatusCode.OK, reply.Status);
        var response = SubmitResponse.Parser.ParseFrom(Assert.Single(reply.Messages));
        Assert.True(_checks.Station.VerifyReceipt(response, honest.Signed).IsValid);
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("/transmission.v1.Transmission/SubmitEverything", "Method is unimplemented.")]
    [InlineData("/transmission.v1.Nothing/Submit", "Service is unimplemented.")]
    [InlineData("/transmission.v2.Transmission/Submit", "Service is unimplemented.")]
    public async Task Call_UnknownMethodOrService_Unimplemented(string path, string message)
    {
        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(Honest().Body, path));

        Assert.Equal((StatusCode.Unimplemented, message), (reply.Status, reply.Message));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_PathInAnotherLetterCase_ServedAsSubmit()
    {
        // ASP.NET Core matches routes case-insensitively (so does grpc-dotnet on it): the same method, not another one.
        var honest = Honest();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(honest.Body, "/TRANSMISSION.V1.TRANSMISSION/SUBMIT"));

        Assert.Equal(StatusCode.OK, reply.Status);
        Assert.True(_checks.Station.VerifyReceipt(SubmitResponse.Parser.ParseFrom(Assert.Single(reply.Messages)), honest.Signed).IsValid);
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("/transmission.v1.Transmission/")]
    [InlineData("/")]
    [InlineData("/transmission.v1.Transmission")]
    [InlineData("/transmission.v1.Transmission/Submit/extra")]
    public async Task Call_PathThatIsNotAGrpcMethod_Http403NoGrpcStatusNothingStored(string path)
    {
        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(Honest().Body, path));

        // Not a gRPC route: it falls to the web dashboard, which is for verifier certificates only.
        Assert.Equal((403, (StatusCode?)null), (reply.HttpStatus, reply.Status));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_UnknownGrpcEncoding_UnimplementedNothingStored()
    {
        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(Honest().Body, encoding: "br"));

        Assert.Equal(StatusCode.Unimplemented, reply.Status);
        Assert.Contains("br", reply.Message, StringComparison.Ordinal);
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_GzipThatInflatesPastTheLimit_ResourceExhausted()
    {
        // 64 MiB of zeros compress to about 64 KB: the limit is held while inflating, not after.
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(zeros);
            }
        }

        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(HostileChecks.Frame(compressed.ToArray(), flag: 1), encoding: "gzip"));

        Assert.Equal((StatusCode.ResourceExhausted, "Decompressed message exceeds the maximum configured message size."), (reply.Status, reply.Message));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    [Fact]
    public async Task Submit_CompressedFlagWithGarbageAsGzip_InternalFailedToDecompress()
    {
        var before = await _checks.Station.CountsAsync();
        using var client = _checks.RawClient();

        var reply = await HostileChecks.SendAsync(client, HostileChecks.Request(HostileChecks.Frame(Start(), flag: 1), encoding: "gzip"));

        Assert.Equal((StatusCode.Internal, "Failed to decompress message."), (reply.Status, reply.Message));
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    private byte[] Start() => Honest().Items[0].ToByteArray();

    private HonestCall Honest()
    {
        var signed = _checks.Station.Sign(_checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision()));
        var items = signed.Items("raw").ToList();
        return new HonestCall(signed, items, items.SelectMany(i => HostileChecks.Frame(i)).ToArray());
    }

    private sealed record HonestCall(SignedProtocol Signed, List<SubmitRequest> Items, byte[] Body);
}
