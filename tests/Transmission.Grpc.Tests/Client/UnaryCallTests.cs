using System.Text;
using Google.Protobuf;
using Grpc.Testing;
using Microsoft.AspNetCore.Http;

namespace Transmission.Grpc.Tests.Client;

public sealed class UnaryCallTests
{
    [Fact]
    public async Task AsyncUnaryCall_ServerReturnsOneMessage_ReturnsItWithOkStatus()
    {
        string? protocol = null, contentType = null, te = null, userAgent = null, acceptEncoding = null, path = null;
        bool hasTimeout = true;
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            protocol = context.Request.Protocol;
            path = context.Request.Path;
            contentType = context.Request.ContentType;
            te = context.Request.Headers.TE;
            userAgent = context.Request.Headers.UserAgent;
            acceptEncoding = context.Request.Headers["grpc-accept-encoding"];
            hasTimeout = context.Request.Headers.ContainsKey("grpc-timeout");
            var request = await RawGrpc.ReadMessageAsync(context, SimpleRequest.Parser);
            RawGrpc.StartResponse(context);
            context.Response.Headers["x-served-by"] = "test";
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response("echo:" + request!.Payload.Body.ToStringUtf8()));
            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("hello"));
        var response = await call.ResponseAsync.DefaultTimeout();
        var headers = await call.ResponseHeadersAsync.DefaultTimeout();

        Assert.Equal("echo:hello", response.Payload.Body.ToStringUtf8());
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
        Assert.Empty(call.GetTrailers());
        Assert.Equal("test", headers.GetValue("x-served-by"));
        Assert.Equal("HTTP/2", protocol);
        Assert.Equal("/grpc.testing.TestService/UnaryCall", path);
        Assert.Equal("application/grpc", contentType);
        Assert.Equal("trailers", te);
        Assert.Equal("grpc-dotnet-transmission/1.0", userAgent);
        Assert.Equal("identity,gzip", acceptEncoding);
        Assert.False(hasTimeout);
    }

    [Fact]
    public async Task AsyncUnaryCall_Awaited_ReturnsResponse()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response("awaited"));
            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        var response = await channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout();

        Assert.Equal("awaited", response.Payload.Body.ToStringUtf8());
    }

    [Fact]
    public async Task AsyncUnaryCall_CustomMetadata_ReachesServerIncludingBinary()
    {
        string? text = null, binary = null;
        await using var endpoint = await TestEndpoint.StartAsync(context =>
        {
            text = context.Request.Headers["x-station"];
            binary = context.Request.Headers["x-envelope-hash-bin"];
            RawGrpc.TrailersOnly(context, 0);
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);
        var metadata = new Metadata { { "x-station", "KS-0042" }, { "x-envelope-hash-bin", new byte[] { 0, 1, 2, 250, 255 } } };

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"), new CallOptions(Headers: metadata));
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal("KS-0042", text);
        Assert.NotNull(binary);
        Assert.True(Internal.ClientResponse.TryDecodeBase64(binary!, out var bytes));
        Assert.Equal(new byte[] { 0, 1, 2, 250, 255 }, bytes);
        Assert.DoesNotContain('=', binary!);
    }

    [Fact]
    public async Task AsyncUnaryCall_TrailersOnlyWithPercentEncodedMessage_ThrowsWithDecodedDetail()
    {
        const string detail = "Protokoll für Prishtinë abgelehnt: 100% ✓ – „nein“";
        await using var endpoint = await TestEndpoint.StartAsync(context =>
        {
            RawGrpc.TrailersOnly(context, (int)StatusCode.PermissionDenied, detail);
            context.Response.Headers["x-reason-code"] = "wrong-station";
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(detail, ex.Status.Detail);
        Assert.Equal("wrong-station", ex.Trailers.GetValue("x-reason-code"));
        Assert.Equal(ex.Status, call.GetStatus());
        Assert.Equal("wrong-station", call.GetTrailers().GetValue("x-reason-code"));
        Assert.Equal("wrong-station", (await call.ResponseHeadersAsync.DefaultTimeout()).GetValue("x-reason-code"));
    }

    [Fact]
    public async Task AsyncUnaryCall_ErrorTrailersWithCustomAndBinaryMetadata_ExposesThem()
    {
        var binaryValue = Encoding.UTF8.GetBytes("receipt\0bytes");
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await context.Response.BodyWriter.FlushAsync();
            RawGrpc.Trailers(context, (int)StatusCode.InvalidArgument, "bad signature");
            context.Response.AppendTrailer("x-reason", "SIGNATURE_INVALID");

            // One padded, one unpadded value: receivers must accept both (PROTOCOL-HTTP2.md).
            context.Response.AppendTrailer("x-detail-bin", Convert.ToBase64String(binaryValue));
            context.Response.AppendTrailer("x-more-bin", Convert.ToBase64String([1, 2, 3, 4]).TrimEnd('='));
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("bad signature", ex.Status.Detail);
        Assert.Equal("SIGNATURE_INVALID", ex.Trailers.GetValue("x-reason"));
        Assert.Equal(binaryValue, ex.Trailers.GetValueBytes("x-detail-bin"));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, ex.Trailers.GetValueBytes("x-more-bin"));
        Assert.Same(ex.Trailers, call.GetTrailers());
    }

    [Fact]
    public async Task AsyncUnaryCall_OkTrailersWithMetadata_ExposesTrailers()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response("ok"));
            RawGrpc.Trailers(context, 0);
            context.Response.AppendTrailer("x-log-index", "17");
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        await call.ResponseAsync.DefaultTimeout();

        Assert.Equal("17", call.GetTrailers().GetValue("x-log-index"));
    }

    [Fact]
    public async Task AsyncUnaryCall_GzipCompressedResponse_Decompresses()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            context.Response.Headers["grpc-encoding"] = "gzip";
            var payload = TestMethods.Response(new string('z', 10_000)).ToByteArray();
            using var compressed = new MemoryStream();
            await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            {
                await gzip.WriteAsync(payload);
            }

            var frame = new byte[5 + compressed.Length];
            Internal.MessageFraming.WriteHeader(frame, compressed: true, (int)compressed.Length);
            compressed.ToArray().CopyTo(frame, 5);
            await context.Response.BodyWriter.WriteAsync(frame);
            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        var response = await channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout();

        Assert.Equal(10_000, response.Payload.Body.Length);
    }

    [Fact]
    public async Task AsyncUnaryCall_OkStatusWithoutMessage_ThrowsInternal()
    {
        await using var endpoint = await TestEndpoint.StartAsync(context =>
        {
            RawGrpc.TrailersOnly(context, 0);
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal(StatusCode.Internal, call.GetStatus().Code);
    }

    [Fact]
    public async Task AsyncUnaryCall_TwoMessages_ThrowsInternal()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response("one"));
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response("two"));
            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal("More than one message returned for unary call.", ex.Status.Detail);
    }

    [Fact]
    public async Task GetStatus_CallStillRunning_ThrowsInvalidOperation()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await context.Response.BodyWriter.FlushAsync();
            await release.Task.WaitAsync(context.RequestAborted);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"));
        await call.ResponseHeadersAsync.DefaultTimeout();

        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => call.GetTrailers());
        release.SetResult();
    }
}
