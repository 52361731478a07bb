using Microsoft.AspNetCore.Http;
using Grpc.Testing;
using Transmission.Testing.Faults;

namespace Transmission.Grpc.Tests.Client;

/// <summary>
/// The TCP connection is reset (RST) by the network while the client is still sending the request stream and no
/// response has come back (a <see cref="FaultProxy"/> on 127.0.0.1). The call must end UNAVAILABLE, the status that
/// says "the server may not have seen all of this; try again", never INTERNAL or CANCELLED, which a caller such as the
/// station must treat as an answer that retrying cannot change. CI saw SocketsHttpHandler's cancellation of the
/// request body surface as a bare TaskCanceledException (INTERNAL), and a station stopped for good.
/// </summary>
public sealed class ConnectionResetTests
{
    private const int MessageBytes = 4_000;

    [Theory]
    [InlineData(false, 2_000)]
    [InlineData(false, 20_000)]
    [InlineData(false, 120_000)]
    [InlineData(true, 3_000)]
    [InlineData(true, 20_000)]
    [InlineData(true, 120_000)]
    public async Task Duplex_ConnectionResetWhileSendingBeforeAnyResponse_Unavailable(bool tls, long resetAfterBytes)
    {
        for (var round = 0; round < 10; round++)
        {
            await AssertResetEndsUnavailableAsync(tls, resetAfterBytes);
        }
    }

    private static async Task AssertResetEndsUnavailableAsync(bool tls, long resetAfterBytes)
    {
        using var serverRoot = TestCertificates.CreateRoot("Test Central Root");
        using var clientRoot = TestCertificates.CreateRoot("Test Station Root");
        using var serverCertificate = TestCertificates.CreateServer(serverRoot, "localhost");
        using var clientCertificate = TestCertificates.CreateClient(clientRoot, "station-0042");

        // Reads the whole request before answering, so the reset always comes before the response headers.
        RequestDelegate handler = async context =>
        {
            while (await RawGrpc.ReadMessageAsync(context, StreamingOutputCallRequest.Parser) is not null)
            {
            }

            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, new StreamingOutputCallResponse());
            RawGrpc.Trailers(context, 0);
        };
        await using var endpoint = tls
            ? await TestEndpoint.StartTlsAsync(handler, serverCertificate, clientRoot)
            : await TestEndpoint.StartAsync(handler);
        await using var proxy = new FaultProxy(endpoint.Address, _ => new ConnectionFault(ResetAfterUpBytes: resetAfterBytes));
        using var channel = tls
            ? GrpcChannel.ForAddress(proxy.Address, new GrpcChannelOptions { TrustedRoots = [serverRoot], ClientCertificate = clientCertificate })
            : GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{proxy.Port}"));

        // As the station does: a reader waits for answers while the writer sends.
        using var call = channel.AsyncDuplexStreamingCall(TestMethods.Duplex);
        var reader = Task.Run(async () =>
        {
            try
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }

                return Status.DefaultSuccess;
            }
            catch (RpcException e)
            {
                return e.Status;
            }
        });
        try
        {
            // Far more than the reset point: the reset lands in the middle of these writes or of a flow-control wait.
            var message = new StreamingOutputCallRequest { Payload = new Payload { Body = Google.Protobuf.ByteString.CopyFrom(new byte[MessageBytes]) } };
            for (var i = 0; i < 100; i++)
            {
                await call.RequestStream.WriteAsync(message).DefaultTimeout();
            }

            await call.RequestStream.CompleteAsync().DefaultTimeout();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The write side fails once the connection is gone; the call's status is what counts.
        }

        var status = await reader.DefaultTimeout();

        Assert.True(status.Code == StatusCode.Unavailable, $"tls {tls}, reset after {resetAfterBytes}: {status}");
        Assert.Equal(1, proxy.Resets);
    }
}
