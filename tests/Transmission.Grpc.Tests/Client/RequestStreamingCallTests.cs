using Google.Protobuf;
using Grpc.Testing;

namespace Transmission.Grpc.Tests.Client;

public sealed class RequestStreamingCallTests
{
    [Fact]
    public async Task AsyncClientStreamingCall_ClientSendsMessages_ServerAggregatesThem()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            var total = 0;
            while (await RawGrpc.ReadMessageAsync(context, StreamingInputCallRequest.Parser) is { } message)
            {
                total += message.Payload.Body.Length;
            }

            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, new StreamingInputCallResponse { AggregatedPayloadSize = total });
            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncClientStreamingCall(TestMethods.ClientStreaming);
        foreach (var size in new[] { 27182, 8, 1828, 45904 })
        {
            await call.RequestStream.WriteAsync(Input(size)).DefaultTimeout();
        }

        await call.RequestStream.CompleteAsync().DefaultTimeout();
        var response = await call.ResponseAsync.DefaultTimeout();

        Assert.Equal(74922, response.AggregatedPayloadSize);
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task AsyncClientStreamingCall_NoMessages_ServerSeesEmptyStream()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            var count = 0;
            while (await RawGrpc.ReadMessageAsync(context, StreamingInputCallRequest.Parser) is not null)
            {
                count++;
            }

            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, new StreamingInputCallResponse { AggregatedPayloadSize = count });
            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncClientStreamingCall(TestMethods.ClientStreaming);
        await call.RequestStream.CompleteAsync().DefaultTimeout();

        Assert.Equal(0, (await call.ResponseAsync.DefaultTimeout()).AggregatedPayloadSize);
    }

    [Fact]
    public async Task AsyncDuplexStreamingCall_ServerEchoesEachMessage_PingPongsBeforeRequestStreamEnds()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await context.Response.BodyWriter.FlushAsync();
            while (await RawGrpc.ReadMessageAsync(context, StreamingOutputCallRequest.Parser) is { } message)
            {
                await RawGrpc.WriteMessageAsync(context, new StreamingOutputCallResponse { Payload = message.Payload });
            }

            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncDuplexStreamingCall(TestMethods.Duplex);
        await call.ResponseHeadersAsync.DefaultTimeout();
        for (var i = 0; i < 50; i++)
        {
            // Each answer arrives while the request stream is still open: true full duplex.
            var ping = $"ping {i}";
            await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { Payload = new Payload { Body = ByteString.CopyFromUtf8(ping) } }).DefaultTimeout();
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
            Assert.Equal(ping, call.ResponseStream.Current.Payload.Body.ToStringUtf8());
        }

        await call.RequestStream.CompleteAsync().DefaultTimeout();

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task WriteAsync_AfterCompleteAsync_ThrowsInvalidOperation()
    {
        await using var endpoint = await TestEndpoint.StartAsync(EchoCountAsync);
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncClientStreamingCall(TestMethods.ClientStreaming);
        await call.RequestStream.WriteAsync(Input(1)).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(Input(1)).DefaultTimeout());
        Assert.Contains("completed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await call.ResponseAsync.DefaultTimeout()).AggregatedPayloadSize);
    }

    [Fact]
    public async Task WriteAsync_AfterCallEnded_ThrowsTheCallsStatus()
    {
        await using var endpoint = await TestEndpoint.StartAsync(context =>
        {
            RawGrpc.TrailersOnly(context, (int)StatusCode.PermissionDenied, "not your station");
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncClientStreamingCall(TestMethods.ClientStreaming);
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(Input(1)).DefaultTimeout());
        Assert.Equal(new Status(StatusCode.PermissionDenied, "not your station"), ex.Status);
        await call.RequestStream.CompleteAsync().DefaultTimeout();
    }

    [Fact]
    public async Task WriteAsync_MessageOverSendLimit_ThrowsResourceExhaustedAndEndsCall()
    {
        var received = 0;
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            try
            {
                while (await RawGrpc.ReadMessageAsync(context, StreamingInputCallRequest.Parser) is not null)
                {
                    Interlocked.Increment(ref received);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
            {
                return;
            }

            await EchoCountAsync(context);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { MaxSendMessageSize = 100 });

        using var call = channel.AsyncClientStreamingCall(TestMethods.ClientStreaming);
        await call.RequestStream.WriteAsync(Input(10)).DefaultTimeout();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(Input(1000)).DefaultTimeout());

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        var responseEx = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());
        Assert.Equal(StatusCode.ResourceExhausted, responseEx.StatusCode);
        Assert.True(Volatile.Read(ref received) <= 1);
    }

    [Fact]
    public async Task AsyncUnaryCall_RequestOverSendLimit_FailsWithoutSending()
    {
        var requests = 0;
        await using var endpoint = await TestEndpoint.StartAsync(context =>
        {
            Interlocked.Increment(ref requests);
            RawGrpc.TrailersOnly(context, 0);
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { MaxSendMessageSize = 10 });

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request(new string('x', 100)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, Volatile.Read(ref requests));
    }

    [Fact]
    public async Task WriteAsync_ServerEndedCallWithErrorWhileClientWrites_ReportsServerStatus()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            await RawGrpc.ReadMessageAsync(context, StreamingInputCallRequest.Parser);
            RawGrpc.StartResponse(context);
            RawGrpc.Trailers(context, (int)StatusCode.FailedPrecondition, "polls not closed yet");
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncClientStreamingCall(TestMethods.ClientStreaming);
        await call.RequestStream.WriteAsync(Input(10)).DefaultTimeout();
        var responseEx = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());
        Exception? writeFailure = null;
        for (var i = 0; i < 100 && writeFailure is null; i++)
        {
            try
            {
                await call.RequestStream.WriteAsync(Input(10_000)).DefaultTimeout();
            }
            catch (Exception ex) when (ex is RpcException or InvalidOperationException)
            {
                writeFailure = ex;
            }
        }

        Assert.Equal(new Status(StatusCode.FailedPrecondition, "polls not closed yet"), responseEx.Status);
        Assert.NotNull(writeFailure);
        Assert.Contains("FailedPrecondition", writeFailure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_DuplexServerEndedWithErrorAndNobodyReading_ThrowsInvalidOperationAndReadGetsStatus()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            await RawGrpc.ReadMessageAsync(context, StreamingOutputCallRequest.Parser);
            RawGrpc.StartResponse(context);
            RawGrpc.Trailers(context, (int)StatusCode.FailedPrecondition, "polls not closed yet");
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncDuplexStreamingCall(TestMethods.Duplex);
        await call.RequestStream.WriteAsync(new StreamingOutputCallRequest()).DefaultTimeout();
        InvalidOperationException? writeFailure = null;
        for (var i = 0; i < 100 && writeFailure is null; i++)
        {
            try
            {
                await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[10_000]) } }).DefaultTimeout();
                await Task.Delay(10);
            }
            catch (InvalidOperationException ex)
            {
                writeFailure = ex;
            }
        }

        Assert.NotNull(writeFailure);
        Assert.Contains("read the response stream", writeFailure!.Message, StringComparison.Ordinal);
        var readEx = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        Assert.Equal(new Status(StatusCode.FailedPrecondition, "polls not closed yet"), readEx.Status);
    }

    private static StreamingInputCallRequest Input(int size) =>
        new() { Payload = new Payload { Body = ByteString.CopyFrom(new byte[size]) } };

    private static async Task EchoCountAsync(Microsoft.AspNetCore.Http.HttpContext context)
    {
        var total = 0;
        while (await RawGrpc.ReadMessageAsync(context, StreamingInputCallRequest.Parser) is { } message)
        {
            total += message.Payload.Body.Length;
        }

        RawGrpc.StartResponse(context);
        await RawGrpc.WriteMessageAsync(context, new StreamingInputCallResponse { AggregatedPayloadSize = total });
        RawGrpc.Trailers(context, 0);
    }
}
