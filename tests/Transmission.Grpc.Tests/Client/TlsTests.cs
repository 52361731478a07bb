using System.Security.Cryptography.X509Certificates;
using System.Security.Authentication;

namespace Transmission.Grpc.Tests.Client;

public sealed class TlsTests
{
    [Fact]
    public async Task AsyncUnaryCall_MutualTlsWithCustomRoots_Succeeds()
    {
        using var serverRoot = TestCertificates.CreateRoot("Test Central Root");
        using var clientRoot = TestCertificates.CreateRoot("Test Station Root");
        using var serverCertificate = TestCertificates.CreateServer(serverRoot, "central.test");
        using var clientCertificate = TestCertificates.CreateClient(clientRoot, "station-0042");
        string? seenClient = null;
        await using var endpoint = await TestEndpoint.StartTlsAsync(async context =>
        {
            seenClient = context.Connection.ClientCertificate?.Subject;
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response("over mTLS"));
            RawGrpc.Trailers(context, 0);
        }, serverCertificate, clientRoot);
        using var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions
        {
            TrustedRoots = [serverRoot],
            ClientCertificate = clientCertificate,
        });

        var response = await channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout();

        Assert.Equal("over mTLS", response.Payload.Body.ToStringUtf8());
        Assert.Equal("CN=station-0042", seenClient);
        Assert.Equal(Uri.UriSchemeHttps, endpoint.Address.Scheme);
    }

    [Fact]
    public async Task AsyncUnaryCall_ServerCertificateFromUntrustedRoot_ThrowsUnavailable()
    {
        using var trustedRoot = TestCertificates.CreateRoot("Test Central Root");
        using var otherRoot = TestCertificates.CreateRoot("Impostor Root");
        using var serverCertificate = TestCertificates.CreateServer(otherRoot, "central.test");
        var requests = 0;
        await using var endpoint = await TestEndpoint.StartTlsAsync(context =>
        {
            Interlocked.Increment(ref requests);
            RawGrpc.TrailersOnly(context, 0);
            return Task.CompletedTask;
        }, serverCertificate);
        using var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { TrustedRoots = [trustedRoot] });

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.StartsWith("TLS handshake with the server failed: ", ex.Status.Detail, StringComparison.Ordinal);
        Assert.NotNull(FindInChain<AuthenticationException>(ex));
        Assert.Equal(0, Volatile.Read(ref requests));
    }

    [Fact]
    public async Task AsyncUnaryCall_ServerCertificateForAnotherHost_ThrowsUnavailable()
    {
        using var root = TestCertificates.CreateRoot("Test Central Root");
        using var serverCertificate = TestCertificates.CreateServer(root, "elsewhere.test", includeLoopbackIp: false);
        await using var endpoint = await TestEndpoint.StartTlsAsync(context =>
        {
            RawGrpc.TrailersOnly(context, 0);
            return Task.CompletedTask;
        }, serverCertificate);
        using var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { TrustedRoots = [root] });

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("RemoteCertificateNameMismatch", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncUnaryCall_ServerRequiresClientCertificateButNoneGiven_ThrowsUnavailable()
    {
        using var root = TestCertificates.CreateRoot("Test Central Root");
        using var serverCertificate = TestCertificates.CreateServer(root, "central.test");
        await using var endpoint = await TestEndpoint.StartTlsAsync(context =>
        {
            RawGrpc.TrailersOnly(context, 0);
            return Task.CompletedTask;
        }, serverCertificate, clientRoot: root);
        using var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { TrustedRoots = [root] });

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public void ForAddress_TlsOptionsWithHttpAddress_ThrowsArgumentException()
    {
        using var root = TestCertificates.CreateRoot("Test Central Root");

        var ex = Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress(new Uri("http://127.0.0.1:5000"), new GrpcChannelOptions { TrustedRoots = [root] }));

        Assert.Contains("https", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForAddress_TlsOptionsWithCustomHandler_ThrowsArgumentException()
    {
        using var root = TestCertificates.CreateRoot("Test Central Root");
        using var handler = new SocketsHttpHandler();

        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress(new Uri("https://127.0.0.1:5000"), new GrpcChannelOptions
        {
            HttpHandler = handler,
            TrustedRoots = new X509Certificate2Collection(root),
        }));
    }

    private static T? FindInChain<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
