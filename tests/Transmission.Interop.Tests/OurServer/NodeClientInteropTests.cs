using Transmission.Interop.Tests.Support;

namespace Transmission.Interop.Tests.OurServer;

/// <summary>
/// OUR server (Kestrel + the Transmission gRPC layer serving grpc.testing.TestService)
/// driven by the Node @grpc/grpc-js client (tests/interop/node/interop_client.js),
/// over mutual TLS. One test per case of grpc/grpc doc/interop-test-descriptions.md; each starts its own server and peer process.
/// </summary>
public sealed class NodeClientInteropTests
{
    [Fact]
    public Task NodeClient_Interop_EmptyUnary() => PeerClientRun.RunAsync(PeerClient.Node, "empty_unary");

    [Fact]
    public Task NodeClient_Interop_LargeUnary() => PeerClientRun.RunAsync(PeerClient.Node, "large_unary");

    [Fact]
    public Task NodeClient_Interop_ClientStreaming() => PeerClientRun.RunAsync(PeerClient.Node, "client_streaming");

    [Fact]
    public Task NodeClient_Interop_ServerStreaming() => PeerClientRun.RunAsync(PeerClient.Node, "server_streaming");

    [Fact]
    public Task NodeClient_Interop_PingPong() => PeerClientRun.RunAsync(PeerClient.Node, "ping_pong");

    [Fact]
    public Task NodeClient_Interop_EmptyStream() => PeerClientRun.RunAsync(PeerClient.Node, "empty_stream");

    [Fact]
    public Task NodeClient_Interop_CustomMetadata() => PeerClientRun.RunAsync(PeerClient.Node, "custom_metadata");

    [Fact]
    public Task NodeClient_Interop_StatusCodeAndMessage() => PeerClientRun.RunAsync(PeerClient.Node, "status_code_and_message");

    [Fact]
    public Task NodeClient_Interop_SpecialStatusMessage() => PeerClientRun.RunAsync(PeerClient.Node, "special_status_message");

    [Fact]
    public Task NodeClient_Interop_UnimplementedMethod() => PeerClientRun.RunAsync(PeerClient.Node, "unimplemented_method");

    [Fact]
    public Task NodeClient_Interop_UnimplementedService() => PeerClientRun.RunAsync(PeerClient.Node, "unimplemented_service");

    [Fact]
    public Task NodeClient_Interop_CancelAfterBegin() => PeerClientRun.RunAsync(PeerClient.Node, "cancel_after_begin");

    [Fact]
    public Task NodeClient_Interop_CancelAfterFirstResponse() => PeerClientRun.RunAsync(PeerClient.Node, "cancel_after_first_response");

    [Fact]
    public Task NodeClient_Interop_TimeoutOnSleepingServer() => PeerClientRun.RunAsync(PeerClient.Node, "timeout_on_sleeping_server");
}
