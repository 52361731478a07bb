using Grpc.Testing;
using Microsoft.AspNetCore.Http;

namespace Transmission.Grpc.Tests.Client;

public sealed class DeadlineAndCancellationTests
{
    [Fact]
    public async Task AsyncUnaryCall_DeadlineExpiresWhileServerSleeps_ThrowsDeadlineExceededAndServerSeesAbort()
    {
        var server = new SleepingServer();
        await using var endpoint = await TestEndpoint.StartAsync(server.HandleAsync);
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"),
            new CallOptions(Deadline: DateTime.UtcNow.AddMilliseconds(300)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), ex.Status);
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().Code);
        await server.Aborted.DefaultTimeout();
        Assert.NotNull(server.Timeout);
        Assert.Matches("^[0-9]{1,8}[HMSmun]$", server.Timeout!);
    }

    [Fact]
    public async Task AsyncUnaryCall_DeadlineInThePast_FailsWithoutSending()
    {
        var server = new SleepingServer();
        await using var endpoint = await TestEndpoint.StartAsync(server.HandleAsync);
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"),
            new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task AsyncDuplexStreamingCall_DeadlinePassedBeforeFirstWrite_WriteThrowsDeadlineExceeded()
    {
        var server = new SleepingServer();
        await using var endpoint = await TestEndpoint.StartAsync(server.HandleAsync);
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncDuplexStreamingCall(TestMethods.Duplex, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1)));
        var write = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new StreamingOutputCallRequest()).DefaultTimeout());
        var read = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());

        // The write and the read report the same failure, whichever notices it first (as grpc-dotnet does).
        Assert.Equal(StatusCode.DeadlineExceeded, write.StatusCode);
        Assert.Equal(write.Status, read.Status);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task AsyncUnaryCall_FakeClock_SendsRemainingTimeAndFailsWhenClockPassesDeadline()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 4, 5, 19, 0, 0, TimeSpan.Zero));
        var server = new SleepingServer();
        await using var endpoint = await TestEndpoint.StartAsync(server.HandleAsync);
        using var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { TimeProvider = clock });

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"),
            new CallOptions(Deadline: clock.GetUtcNow().UtcDateTime.AddSeconds(5)));
        await server.Started.DefaultTimeout();

        Assert.Equal("5000000u", server.Timeout);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        clock.Advance(TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await server.Aborted.DefaultTimeout();
    }

    [Fact]
    public void AsyncUnaryCall_LocalTimeDeadline_ThrowsArgumentException()
    {
        using var channel = GrpcChannel.ForAddress(new Uri("http://127.0.0.1:1"));

        Assert.Throws<ArgumentException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"),
            new CallOptions(Deadline: DateTime.Now.AddSeconds(5))));
    }

    [Fact]
    public async Task AsyncServerStreamingCall_TokenCancelled_ThrowsCancelledAndServerSeesAbort()
    {
        var server = new SleepingServer { SendFirstMessage = true };
        await using var endpoint = await TestEndpoint.StartAsync(server.HandleAsync);
        using var channel = GrpcChannel.ForAddress(endpoint.Address);
        using var cts = new CancellationTokenSource();

        using var call = channel.AsyncServerStreamingCall(TestMethods.ServerStreaming, new StreamingOutputCallRequest(),
            new CallOptions(CancellationToken: cts.Token));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        var next = call.ResponseStream.MoveNext(CancellationToken.None);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => next.DefaultTimeout());
        Assert.Equal(new Status(StatusCode.Cancelled, "Call canceled by the client."), ex.Status);
        await server.Aborted.DefaultTimeout();
    }

    [Fact]
    public async Task AsyncServerStreamingCall_MoveNextTokenCancelled_CancelsCall()
    {
        var server = new SleepingServer { SendFirstMessage = true };
        await using var endpoint = await TestEndpoint.StartAsync(server.HandleAsync);
        using var channel = GrpcChannel.ForAddress(endpoint.Address);
        using var cts = new CancellationTokenSource();

        using var call = channel.AsyncServerStreamingCall(TestMethods.ServerStreaming, new StreamingOutputCallRequest());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        var next = call.ResponseStream.MoveNext(cts.Token);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => next.DefaultTimeout());
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await server.Aborted.DefaultTimeout();
    }

    [Fact]
    public async Task AsyncUnaryCall_TokenCancelledBeforeHeaders_ThrowsCancelledAndServerSeesAbort()
    {
        var server = new SleepingServer();
        await using var endpoint = await TestEndpoint.StartAsync(server.HandleAsync);
        using var channel = GrpcChannel.ForAddress(endpoint.Address);
        using var cts = new CancellationTokenSource();

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"), new CallOptions(CancellationToken: cts.Token));
        await server.Started.DefaultTimeout();
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        var headersEx = await Assert.ThrowsAsync<RpcException>(() => call.ResponseHeadersAsync.DefaultTimeout());
        Assert.Equal(StatusCode.Cancelled, headersEx.StatusCode);
        await server.Aborted.DefaultTimeout();
    }

    [Fact]
    public async Task Dispose_DuplexCallRunning_ServerSeesAbortAndReadsThrowCancelled()
    {
        var server = new SleepingServer { SendFirstMessage = true };
        await using var endpoint = await TestEndpoint.StartAsync(server.HandleAsync);
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        var call = channel.AsyncDuplexStreamingCall(TestMethods.Duplex);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        call.Dispose();

        await server.Aborted.DefaultTimeout();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        Assert.Equal(new Status(StatusCode.Cancelled, "Call canceled by the client."), ex.Status);
        var write = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new StreamingOutputCallRequest()).DefaultTimeout());
        Assert.Equal(ex.Status, write.Status);
    }

    [Fact]
    public async Task Dispose_CompletedCall_KeepsOkStatus()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response("done"));
            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        await call.ResponseAsync.DefaultTimeout();
        call.Dispose();

        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    /// <summary>A handler that answers nothing until the client gives up, and records what it saw.</summary>
    private sealed class SleepingServer
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _requests;

        public bool SendFirstMessage { get; init; }

        public string? Timeout { get; private set; }

        public int Requests => Volatile.Read(ref _requests);

        public Task Started => _started.Task;

        public Task Aborted => _aborted.Task;

        public async Task HandleAsync(HttpContext context)
        {
            Interlocked.Increment(ref _requests);
            Timeout = context.Request.Headers["grpc-timeout"];
            try
            {
                RawGrpc.StartResponse(context);
                if (SendFirstMessage)
                {
                    await RawGrpc.WriteMessageAsync(context, new StreamingOutputCallResponse());
                }

                _started.TrySetResult();
                await Task.Delay(System.Threading.Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                _aborted.TrySetResult();
            }
        }
    }
}
