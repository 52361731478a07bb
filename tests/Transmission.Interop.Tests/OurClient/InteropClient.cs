using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Testing;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Interop.Tests.OurClient;

/// <summary>
/// The client procedures of grpc/grpc doc/interop-test-descriptions.md written against OUR
/// <see cref="GrpcChannel"/>. Each case throws (an xunit assertion) when the peer's
/// behaviour or ours departs from the description. Calls carry a deadline and every
/// await is bounded.
/// </summary>
internal sealed class InteropClient
{
    public const string InitialMetadataKey = "x-grpc-test-echo-initial";
    public const string InitialMetadataValue = "test_initial_metadata_value";
    public const string TrailingMetadataKey = "x-grpc-test-echo-trailing-bin";

    /// <summary>The special_status_message case: whitespace, a BMP and a non-BMP character.</summary>
    public const string SpecialStatusMessage = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001F608\t\n";

    private const int LargeRequestSize = 271828;

    // Shorter than TestTimeouts.Default, so a stuck call ends by its deadline first.
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(20);
    private const int LargeResponseSize = 314159;

    private static readonly byte[] TrailingMetadataValue = [0xab, 0xab, 0xab];

    // From the interop descriptions: request sizes pair with response sizes.
    private static readonly int[] RequestSizes = [27182, 8, 1828, 45904];
    private static readonly int[] ResponseSizes = [31415, 9, 2653, 58979];

    private static readonly ServiceDescriptor TestService = FindService("grpc.testing.TestService");
    private static readonly ServiceDescriptor UnimplementedService = FindService("grpc.testing.UnimplementedService");

    private static readonly Method<Empty, Empty> EmptyCall = Bind<Empty, Empty>(TestService, "EmptyCall");
    private static readonly Method<SimpleRequest, SimpleResponse> UnaryCall = Bind<SimpleRequest, SimpleResponse>(TestService, "UnaryCall");
    private static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> StreamingOutputCall =
        Bind<StreamingOutputCallRequest, StreamingOutputCallResponse>(TestService, "StreamingOutputCall");
    private static readonly Method<StreamingInputCallRequest, StreamingInputCallResponse> StreamingInputCall =
        Bind<StreamingInputCallRequest, StreamingInputCallResponse>(TestService, "StreamingInputCall");
    private static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> FullDuplexCall =
        Bind<StreamingOutputCallRequest, StreamingOutputCallResponse>(TestService, "FullDuplexCall");
    private static readonly Method<Empty, Empty> UnimplementedMethodCall = Bind<Empty, Empty>(TestService, "UnimplementedCall");
    private static readonly Method<Empty, Empty> UnimplementedServiceCall = Bind<Empty, Empty>(UnimplementedService, "UnimplementedCall");

    private readonly GrpcChannel _channel;
    private readonly TimeProvider _clock;

    public InteropClient(GrpcChannel channel, TimeProvider clock)
    {
        _channel = channel;
        _clock = clock;
    }

    /// <summary>Runs the case with the interop name <paramref name="testCase"/> (e.g. <c>empty_unary</c>).</summary>
    public Task RunAsync(string testCase) => testCase switch
    {
        "empty_unary" => EmptyUnaryAsync(),
        "large_unary" => LargeUnaryAsync(),
        "client_streaming" => ClientStreamingAsync(),
        "server_streaming" => ServerStreamingAsync(),
        "ping_pong" => PingPongAsync(),
        "empty_stream" => EmptyStreamAsync(),
        "custom_metadata" => CustomMetadataAsync(),
        "status_code_and_message" => StatusCodeAndMessageAsync(),
        "special_status_message" => SpecialStatusMessageAsync(),
        "unimplemented_method" => UnimplementedMethodAsync(),
        "unimplemented_service" => UnimplementedServiceAsync(),
        "cancel_after_begin" => CancelAfterBeginAsync(),
        "cancel_after_first_response" => CancelAfterFirstResponseAsync(),
        "timeout_on_sleeping_server" => TimeoutOnSleepingServerAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase, "Unknown interop case."),
    };

    private async Task EmptyUnaryAsync()
    {
        var response = await _channel.AsyncUnaryCall(EmptyCall, new Empty(), Options()).ResponseAsync.DefaultTimeout();
        Assert.NotNull(response);
        Assert.Equal(0, response.CalculateSize());
    }

    private async Task LargeUnaryAsync()
    {
        var request = new SimpleRequest { ResponseSize = LargeResponseSize, Payload = Zeros(LargeRequestSize) };
        var response = await _channel.AsyncUnaryCall(UnaryCall, request, Options()).ResponseAsync.DefaultTimeout();
        AssertZeros(response.Payload, LargeResponseSize, "response");
    }

    private async Task ClientStreamingAsync()
    {
        using var call = _channel.AsyncClientStreamingCall(StreamingInputCall, Options());
        foreach (var size in RequestSizes)
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(size) }).DefaultTimeout();
        }

        await call.RequestStream.CompleteAsync().DefaultTimeout();
        var response = await call.ResponseAsync.DefaultTimeout();
        Assert.Equal(74922, response.AggregatedPayloadSize);
    }

    private async Task ServerStreamingAsync()
    {
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.AddRange(ResponseSizes.Select(size => new ResponseParameters { Size = size }));
        using var call = _channel.AsyncServerStreamingCall(StreamingOutputCall, request, Options());
        var responses = await ReadAllAsync(call.ResponseStream);
        Assert.Equal(ResponseSizes.Length, responses.Count);
        for (var i = 0; i < ResponseSizes.Length; i++)
        {
            AssertZeros(responses[i].Payload, ResponseSizes[i], $"response {i}");
        }

        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    private async Task PingPongAsync()
    {
        using var call = _channel.AsyncDuplexStreamingCall(FullDuplexCall, Options());
        for (var i = 0; i < RequestSizes.Length; i++)
        {
            await call.RequestStream.WriteAsync(StreamingRequest(ResponseSizes[i], RequestSizes[i])).DefaultTimeout();
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout(), $"stream ended before response {i}");
            AssertZeros(call.ResponseStream.Current.Payload, ResponseSizes[i], $"response {i}");
        }

        await call.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout(), "a response after half-close");
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    private async Task EmptyStreamAsync()
    {
        using var call = _channel.AsyncDuplexStreamingCall(FullDuplexCall, Options());
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout(), "a response on an empty stream");
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    private async Task CustomMetadataAsync()
    {
        var request = new SimpleRequest { ResponseSize = LargeResponseSize, Payload = Zeros(LargeRequestSize) };
        using (var call = _channel.AsyncUnaryCall(UnaryCall, request, Options(EchoMetadata())))
        {
            var response = await call.ResponseAsync.DefaultTimeout();
            AssertZeros(response.Payload, LargeResponseSize, "UnaryCall response");
            AssertEchoedMetadata(await call.ResponseHeadersAsync.DefaultTimeout(), call.GetTrailers(), "UnaryCall");
        }

        using (var call = _channel.AsyncDuplexStreamingCall(FullDuplexCall, Options(EchoMetadata())))
        {
            await call.RequestStream.WriteAsync(StreamingRequest(LargeResponseSize, LargeRequestSize)).DefaultTimeout();
            await call.RequestStream.CompleteAsync().DefaultTimeout();
            var responses = await ReadAllAsync(call.ResponseStream);
            var response = Assert.Single(responses);
            AssertZeros(response.Payload, LargeResponseSize, "FullDuplexCall response");
            AssertEchoedMetadata(await call.ResponseHeadersAsync.DefaultTimeout(), call.GetTrailers(), "FullDuplexCall");
        }
    }

    private async Task StatusCodeAndMessageAsync()
    {
        const string Message = "test status message";
        await EchoStatusUnaryAsync(StatusCode.Unknown, Message);

        using var call = _channel.AsyncDuplexStreamingCall(FullDuplexCall, Options());
        var request = new StreamingOutputCallRequest { ResponseStatus = new EchoStatus { Code = (int)StatusCode.Unknown, Message = Message } };
        await call.RequestStream.WriteAsync(request).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal(Message, error.Status.Detail);
    }

    private Task SpecialStatusMessageAsync() => EchoStatusUnaryAsync(StatusCode.Unknown, SpecialStatusMessage);

    private async Task EchoStatusUnaryAsync(StatusCode code, string message)
    {
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = (int)code, Message = message } };
        using var call = _channel.AsyncUnaryCall(UnaryCall, request, Options());
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());
        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
        Assert.Equal(code, call.GetStatus().Code);
    }

    private async Task UnimplementedMethodAsync()
    {
        using var call = _channel.AsyncUnaryCall(UnimplementedMethodCall, new Empty(), Options());
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    private async Task UnimplementedServiceAsync()
    {
        using var call = _channel.AsyncUnaryCall(UnimplementedServiceCall, new Empty(), Options());
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    private async Task CancelAfterBeginAsync()
    {
        using var cts = new CancellationTokenSource();
        using (var call = _channel.AsyncClientStreamingCall(StreamingInputCall, Options(cancellationToken: cts.Token)))
        {
            await cts.CancelAsync();
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());
            Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        }

        await AssertStillServingAsync();
    }

    private async Task CancelAfterFirstResponseAsync()
    {
        using var cts = new CancellationTokenSource();
        using (var call = _channel.AsyncDuplexStreamingCall(FullDuplexCall, Options(cancellationToken: cts.Token)))
        {
            await call.RequestStream.WriteAsync(StreamingRequest(31415, 27182)).DefaultTimeout();
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout(), "stream ended before the first response");
            AssertZeros(call.ResponseStream.Current.Payload, 31415, "response");
            await cts.CancelAsync();
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
            Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        }

        await AssertStillServingAsync();
    }

    private async Task TimeoutOnSleepingServerAsync()
    {
        var deadline = _clock.GetUtcNow().UtcDateTime.AddMilliseconds(1);
        using (var call = _channel.AsyncDuplexStreamingCall(FullDuplexCall, new CallOptions(Deadline: deadline)))
        {
            try
            {
                await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { Payload = Zeros(27182) }).DefaultTimeout();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
            {
                // The deadline may pass before the request is written; the call still ends the same way.
            }

            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
            Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        }

        await AssertStillServingAsync();
    }

    // A cancelled or expired call must not break the connection for the next one.
    private async Task AssertStillServingAsync()
    {
        var response = await _channel.AsyncUnaryCall(EmptyCall, new Empty(), Options()).ResponseAsync.DefaultTimeout();
        Assert.NotNull(response);
    }

    private CallOptions Options(Metadata? headers = null, CancellationToken cancellationToken = default) =>
        new(headers, _clock.GetUtcNow().UtcDateTime.Add(CallDeadline), cancellationToken);

    private static Metadata EchoMetadata() => new()
    {
        { InitialMetadataKey, InitialMetadataValue },
        { TrailingMetadataKey, TrailingMetadataValue },
    };

    private static void AssertEchoedMetadata(Metadata headers, Metadata trailers, string what)
    {
        Assert.True(
            headers.GetValue(InitialMetadataKey) == InitialMetadataValue,
            $"{what}: initial metadata {InitialMetadataKey} = {Show(headers)}");
        Assert.True(
            trailers.GetValueBytes(TrailingMetadataKey) is { } bytes && bytes.AsSpan().SequenceEqual(TrailingMetadataValue),
            $"{what}: trailing metadata {TrailingMetadataKey} = {Show(trailers)}");
    }

    private static string Show(Metadata metadata) =>
        "[" + string.Join(", ", metadata.Select(e => e.IsBinary ? $"{e.Key}: {Convert.ToHexString(e.ValueBytes)}" : $"{e.Key}: {e.Value}")) + "]";

    private static async Task<List<T>> ReadAllAsync<T>(IAsyncStreamReader<T> reader)
    {
        var all = new List<T>();
        while (await reader.MoveNext(CancellationToken.None).DefaultTimeout())
        {
            all.Add(reader.Current);
        }

        return all;
    }

    private static StreamingOutputCallRequest StreamingRequest(int responseSize, int requestSize) => new()
    {
        ResponseParameters = { new ResponseParameters { Size = responseSize } },
        Payload = Zeros(requestSize),
    };

    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };

    private static void AssertZeros(Payload? payload, int size, string what)
    {
        Assert.True(payload is not null, $"{what}: no payload");
        Assert.True(payload.Body.Length == size, $"{what}: payload body is {payload.Body.Length} bytes, expected {size}");
        Assert.True(!payload.Body.Span.ContainsAnyExcept((byte)0), $"{what}: payload body is not all zeros");
    }

    private static ServiceDescriptor FindService(string fullName) =>
        TestReflection.Descriptor.Services.Single(s => s.FullName == fullName);

    private static Method<TRequest, TResponse> Bind<TRequest, TResponse>(ServiceDescriptor service, string name)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        Method<TRequest, TResponse>.FromDescriptor(service.FindMethodByName(name));
}
