using Google.Protobuf;
using Grpc.Testing;

namespace Transmission.Grpc.Tests.Client;

public sealed class ServerStreamingCallTests
{
    [Fact]
    public async Task AsyncServerStreamingCall_ServerSendsManyMessages_ReadsAllInOrder()
    {
        const int count = 2_000;
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            var request = await RawGrpc.ReadMessageAsync(context, StreamingOutputCallRequest.Parser);
            RawGrpc.StartResponse(context);
            for (var i = 0; i < request!.ResponseParameters[0].Size; i++)
            {
                var message = new StreamingOutputCallResponse { Payload = new Payload { Body = ByteString.CopyFromUtf8(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) } };
                await RawGrpc.WriteMessageAsync(context, message);
            }

            RawGrpc.Trailers(context, 0);
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);
        var request = new StreamingOutputCallRequest { ResponseParameters = { new ResponseParameters { Size = count } } };

        using var call = channel.AsyncServerStreamingCall(TestMethods.ServerStreaming, request);
        var received = new List<string>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout())
        {
            received.Add(call.ResponseStream.Current.Payload.Body.ToStringUtf8());
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), received);
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task AsyncServerStreamingCall_ErrorAfterMessages_ThrowsAfterDeliveringThem()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, new StreamingOutputCallResponse());
            await RawGrpc.WriteMessageAsync(context, new StreamingOutputCallResponse());
            RawGrpc.Trailers(context, (int)StatusCode.Aborted, "conflict");
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncServerStreamingCall(TestMethods.ServerStreaming, new StreamingOutputCallRequest());

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        Assert.Equal(new Status(StatusCode.Aborted, "conflict"), ex.Status);
    }

    [Fact]
    public async Task AsyncServerStreamingCall_TrailersOnlyOk_EndsWithoutMessages()
    {
        await using var endpoint = await TestEndpoint.StartAsync(context =>
        {
            RawGrpc.TrailersOnly(context, 0);
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(endpoint.Address);

        using var call = channel.AsyncServerStreamingCall(TestMethods.ServerStreaming, new StreamingOutputCallRequest());

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }
}
