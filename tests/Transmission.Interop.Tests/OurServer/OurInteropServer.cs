using Transmission.Grpc;
using Transmission.Interop.Tests.Support;
using Transmission.Testing;

namespace Transmission.Interop.Tests.OurServer;

/// <summary>
/// OUR server for a peer client: the Kestrel <see cref="TestServer"/> on 127.0.0.1:0 with
/// mutual TLS, serving grpc.testing.TestService through <see cref="InteropTestService"/>.
/// </summary>
internal static class OurInteropServer
{
    public static Task<TestServer> StartAsync(TestCertificates certificates) =>
        TestServer.StartAsync(o =>
        {
            o.Certificates = certificates;
            o.ConfigureEndpoints = e => e.MapGrpcService<InteropTestService>(InteropTestService.Descriptor);
        });

    /// <summary>The server's log, for assertion messages.</summary>
    public static string Describe(this TestServer server) => InteropLog.Describe(server.Logs);
}
