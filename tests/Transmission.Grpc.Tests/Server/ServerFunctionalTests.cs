using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Grpc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Transmission.Testing;

namespace Transmission.Grpc.Tests.Server;

/// <summary>
/// The server on real Kestrel with real mutual TLS, driven by hand-framed HTTP/2 requests.
/// Every test ends by asserting no unexpected Error was logged.
/// </summary>
public sealed class ServerFunctionalTests
{
    private const string Service = "/grpc.testing.TestService/";

    private static Task<TestServer> StartInteropAsync(Action<TestServerOptions>? configure = null) =>
        TestServer.StartAsync(o =>
        {
            o.ConfigureEndpoints = e => e.MapGrpcService<InteropTestService>(InteropTestService.Descriptor);
            configure?.Invoke(o);
        });

    private static Task<TestServer> StartMisbehavingAsync(CallProbe probe, Action<TestServerOptions>? configure = null) =>
        TestServer.StartAsync(o =>
        {
            o.ConfigureServices = s => s.AddSingleton(probe);
            o.ConfigureEndpoints = e => e.MapGrpcService<MisbehavingService>(InteropTestService.Descriptor);
            configure?.Invoke(o);
        });

    [Fact]
    public async Task UnaryCall_ValidRequest_ReturnsPayloadAndOk()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame(new SimpleRequest { ResponseSize = 314 })));

        Assert.Equal(HttpStatusCode.OK, response.Response.StatusCode);
        Assert.Equal(new Version(2, 0), response.Response.Version);
        Assert.Equal("application/grpc", response.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("identity,gzip", response.Header("grpc-accept-encoding"));
        Assert.Single(response.Messages);
        Assert.Equal(314, response.Message(SimpleResponse.Parser).Payload.Body.Length);
        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Equal("0", response.Trailer("grpc-status"));
        Assert.Null(response.StatusMessage);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task EmptyCall_EmptyMessage_ReturnsEmptyMessage()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "EmptyCall", RawGrpc.Frame(new Empty())));

        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0 }, response.Body);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task StreamingOutputCall_ResponseParameters_WritesOneMessagePerParameter()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var request = new StreamingOutputCallRequest();
        foreach (var size in new[] { 31415, 9, 2653, 58979 })
        {
            request.ResponseParameters.Add(new ResponseParameters { Size = size, IntervalUs = 1000 });
        }

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "StreamingOutputCall", RawGrpc.Frame(request)));

        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Equal(
            new[] { 31415, 9, 2653, 58979 },
            response.Messages.Select(m => StreamingOutputCallResponse.Parser.ParseFrom(m).Payload.Body.Length));
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task StreamingInputCall_SeveralMessages_ReturnsAggregatedSize()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var frames = new[] { 27182, 8, 1828, 45904 }
            .Select(size => RawGrpc.Frame(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[size]) } }))
            .ToArray();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "StreamingInputCall", frames));

        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Equal(74922, response.Message(StreamingInputCallResponse.Parser).AggregatedPayloadSize);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task FullDuplexCall_PingPong_AnswersEachRequestBeforeTheNext()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var content = new StreamingContent();
        var sizes = new[] { 31415, 9, 2653, 58979 };
        await content.WriteAsync(RawGrpc.Frame(PingPong(sizes[0])));

        using var response = await client.SendAsync(RawGrpc.Request(Service + "FullDuplexCall", content), HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        await using var body = await response.Content.ReadAsStreamAsync().DefaultTimeout();
        for (var i = 0; i < sizes.Length; i++)
        {
            // The next request is sent only after the previous answer arrived: true duplex.
            var frame = await RawGrpc.ReadFrameAsync(body);
            Assert.NotNull(frame);
            Assert.Equal(sizes[i], StreamingOutputCallResponse.Parser.ParseFrom(frame).Payload.Body.Length);
            if (i + 1 < sizes.Length)
            {
                await content.WriteAsync(RawGrpc.Frame(PingPong(sizes[i + 1])));
            }
        }

        content.Complete();
        Assert.Null(await RawGrpc.ReadFrameAsync(body));
        Assert.Equal("0", string.Join(",", response.TrailingHeaders.GetValues("grpc-status")));
        server.Logs.AssertNoUnexpectedErrors();

        static StreamingOutputCallRequest PingPong(int size) =>
            new() { ResponseParameters = { new ResponseParameters { Size = size } }, Payload = new Payload { Body = ByteString.CopyFrom(new byte[size / 2]) } };
    }

    [Fact]
    public async Task HalfDuplexCall_SeveralRequests_RespondsAfterTheLast()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var frames = new[] { 1, 2, 3 }
            .Select(size => RawGrpc.Frame(new StreamingOutputCallRequest { ResponseParameters = { new ResponseParameters { Size = size } } }))
            .ToArray();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "HalfDuplexCall", frames));

        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { 1, 2, 3 }, response.Messages.Select(m => StreamingOutputCallResponse.Parser.ParseFrom(m).Payload.Body.Length));
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_JsonContentType_Returns415()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "UnaryCall", new StringContent("{}"), "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Response.StatusCode);
        Assert.Null(response.Header("grpc-status"));
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_GrpcProtoContentType_IsAccepted()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "EmptyCall", new ByteArrayContent(RawGrpc.Frame(new Empty())), "application/grpc+proto"));

        Assert.Equal(StatusCode.OK, response.StatusCode);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_GetMethod_Returns405()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        using var response = await client.GetAsync(new Uri(Service + "UnaryCall", UriKind.Relative)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_Http11_Returns426()
    {
        await using var server = await StartInteropAsync(o => o.Protocols = HttpProtocols.Http1AndHttp2);
        using var client = server.CreateHttpClient();
        var request = RawGrpc.Request(Service + "EmptyCall", RawGrpc.Frame(new Empty()));
        request.Version = HttpVersion.Version11;

        using var response = await client.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Call_UnknownService_ReturnsUnimplementedServiceTrailersOnly()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request("/nope.Missing/Call", RawGrpc.Frame(new Empty())));

        Assert.Equal(HttpStatusCode.OK, response.Response.StatusCode);
        Assert.True(response.IsTrailersOnly);
        Assert.Equal(StatusCode.Unimplemented, response.StatusCode);
        Assert.Equal("Service is unimplemented.", response.StatusMessage);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("NoSuchMethod")]
    [InlineData("UnimplementedCall")]
    public async Task Call_UnknownOrUnboundMethod_ReturnsUnimplementedMethod(string method)
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + method, RawGrpc.Frame(new Empty())));

        Assert.True(response.IsTrailersOnly);
        Assert.Equal(StatusCode.Unimplemented, response.StatusCode);
        Assert.Equal("Method is unimplemented.", response.StatusMessage);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnknownPath_NotGrpc_Returns404()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("/css/site.css", UriKind.Relative)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task UnaryCall_PrefixOverLimit_ReturnsResourceExhaustedWithoutWaitingForBody()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var content = new StreamingContent();

        // Only the prefix, claiming 5 MB; the body never comes and the stream stays open.
        await content.WriteAsync([0, 0, 0x4C, 0x4B, 0x40]);
        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "UnaryCall", content));

        Assert.True(response.IsTrailersOnly);
        Assert.Equal(StatusCode.ResourceExhausted, response.StatusCode);
        Assert.Equal("Received message exceeds the maximum configured message size.", response.StatusMessage);
        content.Complete();
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_ConfiguredLimit_IsHonoured()
    {
        await using var server = await StartInteropAsync(o => o.ConfigureGrpc = g => g.MaxReceiveMessageSize = 100);
        using var client = server.CreateHttpClient();
        var big = new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[200]) } };

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame(big)));

        Assert.Equal(StatusCode.ResourceExhausted, response.StatusCode);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_TruncatedFrame_ReturnsInternal()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var frame = RawGrpc.Frame(new SimpleRequest { ResponseSize = 10, Payload = new Payload { Body = ByteString.CopyFrom(new byte[20]) } });

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "UnaryCall", frame[..^5]));

        Assert.Equal(StatusCode.Internal, response.StatusCode);
        Assert.Equal("Incomplete message.", response.StatusMessage);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_GarbageProtobuf_ReturnsInternal()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame([0xFF, 0xFF, 0xFF, 0xFF])));

        Assert.True(response.IsTrailersOnly);
        Assert.Equal(StatusCode.Internal, response.StatusCode);
        Assert.Equal("Failed to deserialize message.", response.StatusMessage);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_InvalidCompressedFlag_ReturnsInternal()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "EmptyCall", RawGrpc.Frame([], flag: 7)));

        Assert.Equal(StatusCode.Internal, response.StatusCode);
        Assert.Equal("Invalid compressed flag.", response.StatusMessage);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_NoMessage_ReturnsInternal()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "EmptyCall", []));

        Assert.Equal(StatusCode.Internal, response.StatusCode);
        Assert.Equal("Request message not received.", response.StatusMessage);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_TwoMessages_ReturnsInternal()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "EmptyCall", RawGrpc.Frame(new Empty()), RawGrpc.Frame(new Empty())));

        Assert.Equal(StatusCode.Internal, response.StatusCode);
        Assert.Equal("Additional data after the message received.", response.StatusMessage);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_GzipMessage_IsDecompressed()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var payload = new SimpleRequest { ResponseSize = 7, Payload = new Payload { Body = ByteString.CopyFrom(new byte[1000]) } }.ToByteArray();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(payload);
        }

        var request = RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame(compressed.ToArray(), flag: 1));
        request.Headers.Add("grpc-encoding", "gzip");
        var response = await RawGrpc.SendAsync(client, request);

        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Equal(7, response.Message(SimpleResponse.Parser).Payload.Body.Length);
        Assert.Null(response.Header("grpc-encoding"));
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_UnknownEncoding_ReturnsUnimplementedWithAcceptEncoding()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var request = RawGrpc.Request(Service + "EmptyCall", RawGrpc.Frame([], flag: 1));
        request.Headers.Add("grpc-encoding", "snappy");

        var response = await RawGrpc.SendAsync(client, request);

        Assert.True(response.IsTrailersOnly);
        Assert.Equal(StatusCode.Unimplemented, response.StatusCode);
        Assert.Equal("Unsupported grpc-encoding value 'snappy'. Supported encodings: identity,gzip", response.StatusMessage);
        Assert.Equal("identity,gzip", response.Header("grpc-accept-encoding"));
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task EmptyCall_HandlerThrows_ReturnsUnknownWithoutExceptionText()
    {
        var probe = new CallProbe();
        await using var server = await StartMisbehavingAsync(probe);
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "EmptyCall", RawGrpc.Frame(new Empty())));

        Assert.Equal(StatusCode.Unknown, response.StatusCode);
        Assert.Equal("Exception was thrown by handler.", response.StatusMessage);
        Assert.DoesNotContain("hunter2", string.Join("|", response.Response.Headers.Concat(response.Response.TrailingHeaders).SelectMany(h => h.Value)), StringComparison.Ordinal);
        var error = Assert.Single(server.Logs.Records, r => r.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Equal("ErrorExecutingServiceMethod", error.EventId.Name);
        Assert.IsType<InvalidOperationException>(error.Exception);
        server.Logs.AssertNoUnexpectedErrors(r => r.EventId.Name == "ErrorExecutingServiceMethod");
    }

    [Fact]
    public async Task UnaryCall_DeadlinePassesWhileHandlerSleeps_ReturnsDeadlineExceeded()
    {
        var probe = new CallProbe();
        await using var server = await StartMisbehavingAsync(probe);
        using var client = server.CreateHttpClient();
        var request = RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame(new SimpleRequest()));
        request.Headers.Add("grpc-timeout", "200m");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var response = await RawGrpc.SendAsync(client, request);

        // The handler sleeps 3 s ignoring its token; the status must not wait for it.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2.5), $"took {started.Elapsed}");
        Assert.True(response.IsTrailersOnly);
        Assert.Equal(StatusCode.DeadlineExceeded, response.StatusCode);
        Assert.Equal("Deadline Exceeded", response.StatusMessage);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task FullDuplexCall_WriteAfterDeadline_IsRefusedAndStreamStaysValid()
    {
        var probe = new CallProbe();
        await using var server = await StartMisbehavingAsync(probe);
        using var client = server.CreateHttpClient();
        var content = new StreamingContent();
        var request = RawGrpc.Request(Service + "FullDuplexCall", content);
        request.Headers.Add("grpc-timeout", "300m");

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();

        // Exactly the one message written before the deadline, then a clean DEADLINE_EXCEEDED.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0 }, body);
        Assert.Equal("4", string.Join(",", response.TrailingHeaders.GetValues("grpc-status")));
        // The late write fails (the call token is cancelled, the call is complete) instead of corrupting the stream.
        var lateWrite = await probe.WriteAfterDeadline.Task.DefaultTimeout();
        Assert.True(lateWrite is OperationCanceledException or InvalidOperationException, lateWrite.ToString());
        content.Complete();
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task StreamingInputCall_DeadlinePassesWhileReading_ReturnsDeadlineExceeded()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var content = new StreamingContent();
        await content.WriteAsync(RawGrpc.Frame(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[3]) } }));
        var request = RawGrpc.Request(Service + "StreamingInputCall", content);
        request.Headers.Add("grpc-timeout", "200m");

        // The request stream is never completed: the handler is blocked reading it.
        var response = await RawGrpc.SendAsync(client, request);

        Assert.True(response.IsTrailersOnly);
        Assert.Equal(StatusCode.DeadlineExceeded, response.StatusCode);
        Assert.Equal("Deadline Exceeded", response.StatusMessage);
        content.Complete();
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task StreamingOutputCall_NoMessages_OkAsTrailersOnly()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "StreamingOutputCall", RawGrpc.Frame(new StreamingOutputCallRequest())));

        Assert.True(response.IsTrailersOnly);
        Assert.Empty(response.Body);
        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Response.Content.Headers.ContentType?.MediaType);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("1x")]
    [InlineData("123456789S")]
    [InlineData("S")]
    public async Task EmptyCall_MalformedTimeout_IsIgnored(string timeout)
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var request = RawGrpc.Request(Service + "EmptyCall", RawGrpc.Frame(new Empty()));
        request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);

        var response = await RawGrpc.SendAsync(client, request);

        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Contains(server.Logs.Records, r => r.EventId.Name == "InvalidTimeoutIgnored");
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task StreamingOutputCall_ClientCancels_HandlerTokenIsCancelled()
    {
        var probe = new CallProbe();
        await using var server = await StartMisbehavingAsync(probe);
        using var client = server.CreateHttpClient();
        using var cts = new CancellationTokenSource();

        var response = await client.SendAsync(
            RawGrpc.Request(Service + "StreamingOutputCall", RawGrpc.Frame(new StreamingOutputCallRequest())),
            HttpCompletionOption.ResponseHeadersRead,
            cts.Token).DefaultTimeout();
        var body = await response.Content.ReadAsStreamAsync(cts.Token).DefaultTimeout();
        Assert.NotNull(await RawGrpc.ReadFrameAsync(body));
        await probe.Started.Task.DefaultTimeout();

        // Disposing the response mid-stream makes SocketsHttpHandler send RST_STREAM(CANCEL).
        response.Dispose();
        await probe.Cancelled.Task.DefaultTimeout();

        await WaitForAsync(() => server.Logs.Records.Any(r => r.EventId.Name == "CallCancelledByClient"));
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_CustomMetadata_EchoedAsHeaderAndBinaryTrailer()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var request = RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame(new SimpleRequest { ResponseSize = 1 }));
        request.Headers.Add("x-grpc-test-echo-initial", "test_initial_metadata_value");
        request.Headers.Add("x-grpc-test-echo-trailing-bin", "q6ur"); // 0xababab, padded or not is the same here

        var response = await RawGrpc.SendAsync(client, request);

        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Equal("test_initial_metadata_value", response.Header("x-grpc-test-echo-initial"));
        Assert.Equal("q6ur", response.Trailer("x-grpc-test-echo-trailing-bin"));
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("AQ", new byte[] { 1 })]
    [InlineData("AQ==", new byte[] { 1 })]
    [InlineData("AQI", new byte[] { 1, 2 })]
    [InlineData("AQI=", new byte[] { 1, 2 })]
    public async Task UnaryCall_BinaryMetadataPaddedOrNot_DecodedAndSentUnpadded(string sent, byte[] expected)
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var request = RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame(new SimpleRequest()));
        request.Headers.Add("x-grpc-test-echo-trailing-bin", sent);

        var response = await RawGrpc.SendAsync(client, request);

        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Equal(Convert.ToBase64String(expected).TrimEnd('='), response.Trailer("x-grpc-test-echo-trailing-bin"));
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task StreamingInputCall_RequestHeaders_HoldOnlyCustomMetadata()
    {
        var probe = new CallProbe();
        await using var server = await StartMisbehavingAsync(probe);
        using var client = server.CreateHttpClient();
        var request = RawGrpc.Request(Service + "StreamingInputCall", []);
        request.Headers.Add("x-custom", "value");
        request.Headers.Add("x-custom-bin", "AAEC");
        request.Headers.Add("grpc-timeout", "10S");

        var response = await RawGrpc.SendAsync(client, request);
        var context = await probe.Finished.Task.DefaultTimeout();

        Assert.Equal(StatusCode.OK, response.StatusCode);
        Assert.Equal("value", context.RequestHeaders.GetValue("x-custom"));
        Assert.Equal(new byte[] { 0, 1, 2 }, context.RequestHeaders.GetValueBytes("x-custom-bin"));
        Assert.DoesNotContain(context.RequestHeaders, e => e.Key is "te" or "content-type" or "grpc-timeout" || e.Key.StartsWith(':'));
        Assert.Equal("CN=Station T-001", context.ClientCertificateSubject);
        Assert.StartsWith("ipv4:127.0.0.1:", context.Peer, StringComparison.Ordinal);
        Assert.Equal("/grpc.testing.TestService/StreamingInputCall", context.Method);
        Assert.NotEqual(DateTime.MaxValue, context.Deadline);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_ResponseStatusRequested_SentWithPercentEncodedMessage()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        const string message = "test status message \t\ntest with percent 100% and ünïcödé ☺ and %3A kept";
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = 2, Message = message } };

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame(request)));

        Assert.True(response.IsTrailersOnly);
        Assert.Equal(StatusCode.Unknown, response.StatusCode);
        Assert.Equal(message, response.StatusMessage);
        Assert.Contains("%253A", response.Header("grpc-message"), StringComparison.Ordinal);
        Assert.Contains("test status message %09%0Atest with percent 100%25 and ", response.Header("grpc-message"), StringComparison.Ordinal);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryCall_ErrorAfterHeadersSent_StatusInTrailers()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();
        var request = RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame(new SimpleRequest { ResponseStatus = new EchoStatus { Code = 9, Message = "nope" } }));
        request.Headers.Add("x-grpc-test-echo-initial", "v");

        var response = await RawGrpc.SendAsync(client, request);

        Assert.False(response.IsTrailersOnly);
        Assert.Equal("v", response.Header("x-grpc-test-echo-initial"));
        Assert.Equal("9", response.Trailer("grpc-status"));
        Assert.Equal("nope", response.Trailer("grpc-message"));
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Connection_BadCallThenGoodCall_BothAnsweredOnSameConnection()
    {
        await using var server = await StartInteropAsync();
        using var client = server.CreateHttpClient();

        var bad = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame([0xFF, 0xFF])));
        var oversized = new StreamingContent();
        await oversized.WriteAsync([0, 0x7F, 0xFF, 0xFF, 0xFF]);
        var tooLarge = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "UnaryCall", oversized));
        var good = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "UnaryCall", RawGrpc.Frame(new SimpleRequest { ResponseSize = 3 })));

        Assert.Equal(StatusCode.Internal, bad.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, tooLarge.StatusCode);
        Assert.Equal(StatusCode.OK, good.StatusCode);
        Assert.Equal(3, good.Message(SimpleResponse.Parser).Payload.Body.Length);
        oversized.Complete();

        // One TLS connection served all three (SocketsHttpHandler multiplexes streams on it).
        var connections = server.Logs.Records.Where(r => r.EventId.Name == "ConnectionStart").ToList();
        Assert.True(connections.Count == 1, string.Join(Environment.NewLine, server.Logs.Records));
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Call_AuthorizerRefuses_ReturnsItsStatusTrailersOnly()
    {
        await using var server = await TestServer.StartAsync(o => o.ConfigureEndpoints = e =>
            e.MapGrpcService<InteropTestService>(
                InteropTestService.Descriptor,
                context => ValueTask.FromResult<Status?>(
                    context.ClientCertificate?.Subject == "CN=Station T-001"
                        ? new Status(StatusCode.PermissionDenied, "Station T-001 may not call this.")
                        : null)));
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "EmptyCall", RawGrpc.Frame(new Empty())));

        Assert.True(response.IsTrailersOnly);
        Assert.Equal(StatusCode.PermissionDenied, response.StatusCode);
        Assert.Equal("Station T-001 may not call this.", response.StatusMessage);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Call_AuthorizerAllowsAndSetsUserState_HandlerRuns()
    {
        await using var server = await TestServer.StartAsync(o => o.ConfigureEndpoints = e =>
            e.MapGrpcService<InteropTestService>(InteropTestService.Descriptor, context =>
            {
                context.UserState["station"] = "T-001";
                return ValueTask.FromResult<Status?>(null);
            }));
        using var client = server.CreateHttpClient();

        var response = await RawGrpc.SendAsync(client, RawGrpc.Request(Service + "EmptyCall", RawGrpc.Frame(new Empty())));

        Assert.Equal(StatusCode.OK, response.StatusCode);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task MapGrpcService_WrongSignature_FailsAtStartupNamingTheMethod()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestServer.StartAsync(o => o.ConfigureEndpoints = e => e.MapGrpcService<WrongSignatureService>(InteropTestService.Descriptor)))
            .DefaultTimeout();

        Assert.Contains("WrongSignatureService.EmptyCall", ex.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met in time.");
            await Task.Delay(20);
        }
    }
}
