using System.Net;
using System.Net.Sockets;
using Grpc.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Transmission.Grpc.Tests.Client;

public sealed class ResponseErrorTests
{
    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(415, StatusCode.Unknown)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    public async Task AsyncUnaryCall_HttpErrorWithoutGrpcStatus_MapsPerHttpGrpcStatusMapping(int httpStatus, StatusCode expected)
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            context.Response.StatusCode = httpStatus;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("nope");
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(expected, ex.StatusCode);
        Assert.Equal($"Bad gRPC response. HTTP status code: {httpStatus}", ex.Status.Detail);
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseHeadersAsync.DefaultTimeout());
    }

    [Fact]
    public async Task AsyncUnaryCall_HttpErrorWithGrpcStatus_UsesGrpcStatus()
    {
        await using var endpoint = await TestEndpoint.StartAsync(context =>
        {
            RawGrpc.TrailersOnly(context, (int)StatusCode.NotFound, "no such station");
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout());

        Assert.Equal(new Status(StatusCode.NotFound, "no such station"), ex.Status);
    }

    [Fact]
    public async Task AsyncUnaryCall_NonGrpcContentType_ThrowsUnknown()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>proxy login</html>");
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.Equal("Bad gRPC response. Invalid content-type value: text/html", ex.Status.Detail);
    }

    [Fact]
    public async Task AsyncUnaryCall_OtherGrpcCodec_ThrowsInternal()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc+json";
            await context.Response.WriteAsync("{}");
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_TrailersWithoutGrpcStatus_ThrowsUnknown()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response("orphan"));
            context.Response.AppendTrailer("x-something", "else");
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(new Status(StatusCode.Unknown, "No grpc-status found on response."), ex.Status);
        Assert.Equal("else", ex.Trailers.GetValue("x-something"));
    }

    [Fact]
    public async Task AsyncServerStreamingCall_BodyEndsWithoutTrailers_ThrowsUnknown()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, new StreamingOutputCallResponse());
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncServerStreamingCall(TestMethods.ServerStreaming, new StreamingOutputCallRequest());

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_ResponseOverReceiveLimit_ThrowsResourceExhausted()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            using var registration = context.RequestAborted.Register(() => aborted.TrySetResult());
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response(new string('x', 2000)));
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        await aborted.Task.DefaultTimeout();
    }

    [Fact]
    public async Task AsyncServerStreamingCall_TruncatedFrame_ThrowsInternal()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, new StreamingOutputCallResponse());

            // A prefix announcing 100 bytes, then only 3, then the end of the stream.
            await context.Response.BodyWriter.WriteAsync(new byte[] { 0, 0, 0, 0, 100, 1, 2, 3 });
            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncServerStreamingCall(TestMethods.ServerStreaming, new StreamingOutputCallRequest());

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        Assert.Equal(new Status(StatusCode.Internal, "Incomplete message."), ex.Status);
        Assert.Equal(StatusCode.Internal, call.GetStatus().Code);
    }

    [Fact]
    public async Task AsyncUnaryCall_UnsupportedResponseEncoding_ThrowsInternal()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            context.Response.Headers["grpc-encoding"] = "snappy";
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response("x"));
            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("snappy", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncUnaryCall_ServerResetsStream_MapsHttp2ErrorCode()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await context.Response.BodyWriter.FlushAsync();
            context.Features.GetRequiredFeature<IHttpResetFeature>().Reset(0x8); // CANCEL
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_NothingListening_ThrowsUnavailable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{port}"));

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.StartsWith("Error connecting to the server: ", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", ex.Status.Detail, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseHeadersAsync.DefaultTimeout());
    }
}
