using Grpc.Testing;
using Microsoft.Extensions.Logging;

namespace Transmission.Grpc.Tests.Client;

public sealed class GrpcChannelTests
{
    [Theory]
    [InlineData("ftp://127.0.0.1:5000")]
    [InlineData("/relative")]
    public void ForAddress_NotHttpOrHttps_ThrowsArgumentException(string address)
    {
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress(new Uri(address, UriKind.RelativeOrAbsolute)));
    }

    [Fact]
    public void ForAddress_NegativeLimit_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress(new Uri("http://127.0.0.1:5000"), new GrpcChannelOptions { MaxReceiveMessageSize = -1 }));
    }

    [Fact]
    public void AsyncUnaryCall_StreamingMethod_ThrowsArgumentException()
    {
        using var channel = GrpcChannel.ForAddress(new Uri("http://127.0.0.1:5000"));

        Assert.Throws<ArgumentException>(() => channel.AsyncUnaryCall(TestMethods.ServerStreaming, new StreamingOutputCallRequest()));
    }

    [Theory]
    [InlineData("content-type")]
    [InlineData("te")]
    [InlineData("user-agent")]
    public void AsyncUnaryCall_ReservedHeaderInMetadata_ThrowsArgumentException(string key)
    {
        using var channel = GrpcChannel.ForAddress(new Uri("http://127.0.0.1:5000"));

        Assert.Throws<ArgumentException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x"), new CallOptions(Headers: new Metadata { { key, "v" } })));
    }

    [Fact]
    public void AsyncUnaryCall_DisposedChannel_ThrowsObjectDisposed()
    {
        var channel = GrpcChannel.ForAddress(new Uri("http://127.0.0.1:5000"));
        channel.Dispose();

        Assert.Throws<ObjectDisposedException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")));
    }

    [Fact]
    public async Task AsyncUnaryCall_AddressWithPathPrefix_KeepsPrefix()
    {
        string? path = null;
        await using var endpoint = await TestEndpoint.StartAsync(context =>
        {
            path = context.Request.Path;
            RawGrpc.TrailersOnly(context, (int)StatusCode.Unimplemented);
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(new Uri(endpoint.Address, "/gateway/"));

        await Assert.ThrowsAsync<RpcException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout());

        Assert.Equal("/gateway/grpc.testing.TestService/UnaryCall", path);
    }

    [Fact]
    public async Task AsyncUnaryCall_CustomHandler_IsUsedAndNotDisposedByDefault()
    {
        await using var endpoint = await TestEndpoint.StartAsync(async context =>
        {
            RawGrpc.StartResponse(context);
            await RawGrpc.WriteMessageAsync(context, TestMethods.Response("via handler"));
            RawGrpc.Trailers(context, 0);
        });
        using var handler = new CountingHandler(new SocketsHttpHandler());
        using (var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { HttpHandler = handler }))
        {
            await channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout();
        }

        Assert.Equal(1, handler.Requests);
        Assert.False(handler.Disposed);
    }

    [Fact]
    public async Task AsyncUnaryCall_WithLoggerFactory_LogsStartAndFinishWithStableEventIds()
    {
        await using var endpoint = await TestEndpoint.StartAsync(context =>
        {
            RawGrpc.TrailersOnly(context, (int)StatusCode.NotFound, "missing");
            return Task.CompletedTask;
        });
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        using var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { LoggerFactory = loggerFactory });

        await Assert.ThrowsAsync<RpcException>(() => channel.AsyncUnaryCall(TestMethods.Unary, TestMethods.Request("x")).ResponseAsync.DefaultTimeout());

        Assert.Contains(logs.Entries, e => e.EventId.Id == 101 && e.EventId.Name == "StartingCall");
        Assert.Contains(logs.Entries, e => e.EventId.Id == 102 && e.Message.Contains("NotFound", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
    }

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public bool Disposed { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly List<(LogLevel Level, EventId EventId, string Message)> _entries = [];

        public IReadOnlyList<(LogLevel Level, EventId EventId, string Message)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._entries)
                {
                    owner._entries.Add((logLevel, eventId, formatter(state, exception)));
                }
            }
        }
    }
}
