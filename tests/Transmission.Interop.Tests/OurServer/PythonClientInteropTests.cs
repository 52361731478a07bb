using Transmission.Interop.Tests.Support;

namespace Transmission.Interop.Tests.OurServer;

/// <summary>
/// OUR server (Kestrel + the Transmission gRPC layer serving grpc.testing.TestService)
/// driven by the Python grpcio client (tests/interop/python/interop_client.py),
/// over mutual TLS. One test per case of grpc/grpc doc/interop-test-descriptions.md; each starts its own server and peer process.
/// </summary>
public sealed class PythonClientInteropTests
{
    [Fact]
    public Task PythonClient_Interop_EmptyUnary() => PeerClientRun.RunAsync(PeerClient.Python, "empty_unary");

    [Fact]
    public Task PythonClient_Interop_LargeUnary() => PeerClientRun.RunAsync(PeerClient.Python, "large_unary");

    [Fact]
    public Task PythonClient_Interop_ClientStreaming() => PeerClientRun.RunAsync(PeerClient.Python, "client_streaming");

    [Fact]
    public Task PythonClient_Interop_ServerStreaming() => PeerClientRun.RunAsync(PeerClient.Python, "server_streaming");

    [Fact]
    public Task PythonClient_Interop_PingPong() => PeerClientRun.RunAsync(PeerClient.Python, "ping_pong");

    [Fact]
    public Task PythonClient_Interop_EmptyStream() => PeerClientRun.RunAsync(PeerClient.Python, "empty_stream");

    [Fact]
    public Task PythonClient_Interop_CustomMetadata() => PeerClientRun.RunAsync(PeerClient.Python, "custom_metadata");

    [Fact]
    public Task PythonClient_Interop_StatusCodeAndMessage() => PeerClientRun.RunAsync(PeerClient.Python, "status_code_and_message");

    [Fact]
    public Task PythonClient_Interop_SpecialStatusMessage() => PeerClientRun.RunAsync(PeerClient.Python, "special_status_message");

    [Fact]
    public Task PythonClient_Interop_UnimplementedMethod() => PeerClientRun.RunAsync(PeerClient.Python, "unimplemented_method");

    [Fact]
    public Task PythonClient_Interop_UnimplementedService() => PeerClientRun.RunAsync(PeerClient.Python, "unimplemented_service");

    [Fact]
    public Task PythonClient_Interop_CancelAfterBegin() => PeerClientRun.RunAsync(PeerClient.Python, "cancel_after_begin");

    [Fact]
    public Task PythonClient_Interop_CancelAfterFirstResponse() => PeerClientRun.RunAsync(PeerClient.Python, "cancel_after_first_response");

    [Fact]
    public Task PythonClient_Interop_TimeoutOnSleepingServer() => PeerClientRun.RunAsync(PeerClient.Python, "timeout_on_sleeping_server");
}
