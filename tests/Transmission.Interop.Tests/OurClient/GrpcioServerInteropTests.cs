using Transmission.Interop.Tests.Support;

namespace Transmission.Interop.Tests.OurClient;

/// <summary>
/// OUR client (<see cref="Transmission.Grpc.GrpcChannel"/>) against the Python grpcio
/// TestService server (tests/interop/python/interop_server.py), over mutual TLS. One test
/// per case of grpc/grpc doc/interop-test-descriptions.md; each starts its own server.
/// </summary>
public sealed class GrpcioServerInteropTests
{
    [Fact]
    public Task OurClient_Interop_GrpcioServer_EmptyUnary() => GrpcioServerRun.RunAsync("empty_unary");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_LargeUnary() => GrpcioServerRun.RunAsync("large_unary");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_ClientStreaming() => GrpcioServerRun.RunAsync("client_streaming");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_ServerStreaming() => GrpcioServerRun.RunAsync("server_streaming");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_PingPong() => GrpcioServerRun.RunAsync("ping_pong");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_EmptyStream() => GrpcioServerRun.RunAsync("empty_stream");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_CustomMetadata() => GrpcioServerRun.RunAsync("custom_metadata");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_StatusCodeAndMessage() => GrpcioServerRun.RunAsync("status_code_and_message");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_SpecialStatusMessage() => GrpcioServerRun.RunAsync("special_status_message");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_UnimplementedMethod() => GrpcioServerRun.RunAsync("unimplemented_method");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_UnimplementedService() => GrpcioServerRun.RunAsync("unimplemented_service");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_CancelAfterBegin() => GrpcioServerRun.RunAsync("cancel_after_begin");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_CancelAfterFirstResponse() => GrpcioServerRun.RunAsync("cancel_after_first_response");

    [Fact]
    public Task OurClient_Interop_GrpcioServer_TimeoutOnSleepingServer() => GrpcioServerRun.RunAsync("timeout_on_sleeping_server");
}
