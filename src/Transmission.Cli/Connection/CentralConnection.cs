using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Transmission.Cli;
using Transmission.Grpc;
using Transmission.Core.Pki;

namespace Transmission.Cli.Connection;

/// <summary>
/// A mutual-TLS channel to Central with the verifier's or auditor's TLS key, trusting only the election root (pinned: the
/// operating system's store is not consulted). Every call failure becomes a <see cref="CommandFailureException"/>.
/// </summary>
public sealed class CentralConnection : IDisposable
{
    /// <summary>
    /// The largest answer accepted: 32 MiB, because GetAttachment returns a whole scan in one message and Central
    /// accepts scans of up to 20 MiB (Central:Submission:MaxAttachmentBytes).
    /// </summary>
    public const int MaxReceiveMessageSize = 32 * 1024 * 1024;

    private readonly X509Certificate2 _clientCertificate;
    private readonly X509Certificate2 _root;
    private readonly ILoggerFactory? _loggerFactory;

    private CentralConnection(ConnectionSettings settings, GrpcChannel channel, X509Certificate2 clientCertificate, X509Certificate2 root, ILoggerFactory? loggerFactory)
    {
        Settings = settings;
        Channel = channel;
        _clientCertificate = clientCertificate;
        _root = root;
        _loggerFactory = loggerFactory;
    }

    /// <summary>Where and as whom this connection was opened.</summary>
    public ConnectionSettings Settings { get; }

    /// <summary>The pinned election root (for checking what Central sends, not only the TLS connection).</summary>
    public X509Certificate2 Root => _root;

    /// <summary>The mutual-TLS channel.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>Opens a channel; a missing or unreadable file is a one-line failure (exit 2).</summary>
    public static CentralConnection Open(ConnectionSettings settings, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (path, what) in new[]
                 {
                     (settings.CertificatePath, $"{settings.Role} TLS certificate"),
                     (settings.KeyPath, $"{settings.Role} TLS key"),
                     (settings.RootPath, "election root certificate (--root)"),
                 })
        {
            if (!File.Exists(path))
            {
                throw new CommandFailureException(ExitCodes.BadInput, Localization.Localized.Format(Localization.CliText.MissingFile, what, path));
            }
        }

        X509Certificate2 clientCertificate;
        try
        {
            clientCertificate = KeyFiles.LoadTlsCertificate(settings.CertificatePath, settings.KeyPath);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new CommandFailureException(ExitCodes.BadInput, Localization.Localized.Format(Localization.CliText.CannotReadTlsIdentity, settings.Role, settings.IdentityDirectory, OneLine(e.Message)));
        }

        X509Certificate2 root;
        try
        {
            root = KeyFiles.ReadCertificate(settings.RootPath, "election root certificate");
        }
        catch
        {
            clientCertificate.Dispose();
            throw;
        }

        var loggerFactory = settings.Verbose ? LoggerFactory.Create(b => b.AddProvider(new ErrorWriterLoggerProvider(error)).SetMinimumLevel(LogLevel.Debug)) : null;
        var channel = GrpcChannel.ForAddress(settings.Central, new GrpcChannelOptions
        {
            ClientCertificate = clientCertificate,
            TrustedRoots = [root],
            EnabledSslProtocols = TlsPolicy.Protocols,
            CipherSuitesPolicy = TlsPolicy.CipherSuitesPolicy,
            MaxReceiveMessageSize = MaxReceiveMessageSize,
            LoggerFactory = loggerFactory,
        });
        return new CentralConnection(settings, channel, clientCertificate, root, loggerFactory);
    }

    /// <summary>One request, one answer, bounded by <c>--timeout</c>.</summary>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        try
        {
            using var call = Channel.AsyncUnaryCall(method, request, Bounded(cancellationToken));
            return await call.ResponseAsync;
        }
        catch (RpcException e)
        {
            throw CallFailures.For(e, method.FullName, Settings);
        }
    }

    /// <summary>
    /// Reads a server stream to its end, handing each message to <paramref name="onMessage"/>. With
    /// <paramref name="bounded"/> the whole stream must end within <c>--timeout</c>; without, it runs until the
    /// server ends it or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task ReadStreamAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, bool bounded, Func<TResponse, Task> onMessage, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(onMessage);
        try
        {
            using var call = Channel.AsyncServerStreamingCall(method, request, bounded ? Bounded(cancellationToken) : new CallOptions(CancellationToken: cancellationToken));
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                await onMessage(call.ResponseStream.Current);
            }
        }
        catch (RpcException e)
        {
            throw CallFailures.For(e, method.FullName, Settings);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Channel.Dispose();
        _clientCertificate.Dispose();
        _root.Dispose();
        _loggerFactory?.Dispose();
    }

    /// <summary>A server's or the runtime's message as one line (a multi-line message would break "one line per failure").</summary>
    public static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private CallOptions Bounded(CancellationToken cancellationToken) =>
        new(Deadline: DateTime.UtcNow + Settings.Timeout, CancellationToken: cancellationToken);
}
