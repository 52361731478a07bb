using Grpc.Testing;
using Transmission.Testing.Faults;

namespace Transmission.Grpc.Tests.Client;

/// <summary>
/// The channel's HTTP/2 keepalive against a half-open connection: the network between client and server silently
/// stops carrying anything (a <see cref="FaultProxy"/> on 127.0.0.1), no FIN or RST ever arrives, and the call has no
/// deadline. Only the PING the client sends after <see cref="GrpcChannelOptions.KeepAlivePingDelay"/> of silence,
/// unanswered for <see cref="GrpcChannelOptions.KeepAlivePingTimeout"/>, can end it.
/// </summary>
public sealed class KeepAliveFaultTests
{
    [Fact]
    public async Task MoveNext_ConnectionGoesHalfOpenMidStream_EndsUnavailableAfterUnansweredPing()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, new StreamingOutputCallResponse());

            // Then nothing, until the client goes away.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var proxy = new FaultProxy(endpoint.Address);
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{proxy.Port}"), new GrpcChannelOptions
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(1),
        });
        using var call = channel.AsyncServerStreamingCall(TestMethods.ServerStreaming, new StreamingOutputCallRequest());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());

        proxy.GoHalfOpen();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());

        Assert.True(ex.StatusCode == StatusCode.Unavailable, $"{ex.Status}; {ex.InnerException}");
        Assert.Equal(1, proxy.Blackholes);
        Assert.True(proxy.DroppedBytes > 0, proxy.ToString());
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(360, 0)]
    public void ForAddress_KeepAliveBelowOneSecond_ThrowsArgumentException(int delaySeconds, int timeoutSeconds)
    {
        var ex = Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress(new Uri("http://127.0.0.1:5000"), new GrpcChannelOptions
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(delaySeconds),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        }));

        Assert.Contains("at least 1 second", ex.Message, StringComparison.Ordinal);
    }
}
