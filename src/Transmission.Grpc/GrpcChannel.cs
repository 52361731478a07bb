using System.Security.Authentication;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Transmission.Grpc.Internal;

namespace Transmission.Grpc;

/// <summary>
/// A connection to one gRPC server address over HTTP/2 (grpc/grpc doc/PROTOCOL-HTTP2.md).
/// https:// uses TLS with ALPN h2; http:// uses cleartext HTTP/2 with prior knowledge (h2c).
/// Thread-safe; create one per server and reuse it for every call.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private bool _disposed;

    private GrpcChannel(Uri address, GrpcChannelOptions options, HttpMessageHandler handler, bool disposeHandler)
    {
        Address = address;
        _invoker = new HttpMessageInvoker(handler, disposeHandler);
        MaxReceiveMessageSize = options.MaxReceiveMessageSize ?? int.MaxValue;
        MaxSendMessageSize = options.MaxSendMessageSize;
        TimeProvider = options.TimeProvider;
        Logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<GrpcChannel>();
    }

    /// <summary>The server address calls are sent to.</summary>
    public Uri Address { get; }

    internal HttpMessageInvoker Invoker => _invoker;

    /// <summary>The request URI of a method: the address, keeping any path prefix, then <c>/{service}/{method}</c>.</summary>
    internal Uri GetMethodUri(string methodPath) =>
        new(Address.GetLeftPart(UriPartial.Path).TrimEnd('/') + methodPath, UriKind.Absolute);

    internal int MaxReceiveMessageSize { get; }

    internal int? MaxSendMessageSize { get; }

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    /// <summary>
    /// Creates a channel to <paramref name="address"/> (https:// or http://, optionally with a
    /// path prefix). Throws <see cref="ArgumentException"/> for options that cannot work together.
    /// </summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new GrpcChannelOptions();
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The address '{address}' must be an absolute https:// or http:// URI.", nameof(address));
        }

        var tlsOptionsSet = options.ClientCertificate is not null || options.TrustedRoots is not null
            || options.EnabledSslProtocols != SslProtocols.None || options.CipherSuitesPolicy is not null;
        if (options.HttpHandler is not null && tlsOptionsSet)
        {
            throw new ArgumentException(
                "ClientCertificate, TrustedRoots, EnabledSslProtocols and CipherSuitesPolicy configure the handler the channel builds; they cannot be combined with HttpHandler.",
                nameof(options));
        }

        if (tlsOptionsSet && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException(
                $"ClientCertificate, TrustedRoots, EnabledSslProtocols and CipherSuitesPolicy need TLS, but the address '{address}' is not https://.", nameof(options));
        }

        if (options.ClientCertificate is { HasPrivateKey: false })
        {
            throw new ArgumentException("The client certificate has no private key.", nameof(options));
        }

        if (options.TrustedRoots is { Count: 0 })
        {
            throw new ArgumentException("TrustedRoots is empty: no server certificate could ever be trusted.", nameof(options));
        }

        if (options.MaxReceiveMessageSize is < 0 || options.MaxSendMessageSize is < 0)
        {
            throw new ArgumentException("Message size limits cannot be negative.", nameof(options));
        }

        if (options.KeepAlivePingDelay < TimeSpan.FromSeconds(1) || options.KeepAlivePingTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException(
                $"KeepAlivePingDelay ({options.KeepAlivePingDelay}) and KeepAlivePingTimeout ({options.KeepAlivePingTimeout}) must each be at least 1 second.",
                nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");

        return options.HttpHandler is { } handler
            ? new GrpcChannel(address, options, handler, options.DisposeHttpClient)
            : new GrpcChannel(address, options, ChannelHttpHandler.Create(options), disposeHandler: true);
    }

    /// <summary>Starts a call with one request and one response.</summary>
    public AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = CreateCall(method, MethodType.Unary, options);
        call.StartUnary(request);
        return new AsyncUnaryCall<TResponse>(call, call.GetUnaryResponseAsync());
    }

    /// <summary>Starts a call with a stream of requests and one response.</summary>
    public AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = CreateCall(method, MethodType.ClientStreaming, options);
        var writer = call.StartStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(call, writer, call.GetUnaryResponseAsync());
    }

    /// <summary>Starts a call with one request and a stream of responses.</summary>
    public AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = CreateCall(method, MethodType.ServerStreaming, options);
        call.StartUnary(request);
        return new AsyncServerStreamingCall<TResponse>(call, new ResponseStreamReader<TRequest, TResponse>(call));
    }

    /// <summary>Starts a call with streams both ways; requests and responses may interleave.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = CreateCall(method, MethodType.DuplexStreaming, options);
        var writer = call.StartStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(call, writer, new ResponseStreamReader<TRequest, TResponse>(call));
    }

    /// <summary>Releases the HTTP handler when the channel owns it. Calls still running are not tracked and may fail.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Disposes the handler too when the channel owns it (see the constructor).
        _invoker.Dispose();
    }

    private GrpcCall<TRequest, TResponse> CreateCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, MethodType expected, CallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (method.Type != expected)
        {
            throw new ArgumentException($"Method {method.FullName} is {method.Type}, not {expected}.", nameof(method));
        }

        return new GrpcCall<TRequest, TResponse>(this, method, options);
    }
}
