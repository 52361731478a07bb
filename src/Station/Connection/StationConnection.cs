using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Transmission.Grpc;
using Transmission.Station.Enrollment;
using Transmission.Cli;
using Transmission.Core.Pki;

namespace Transmission.Station.Connection;

/// <summary>A mutual-TLS channel to Central with the station's TLS key, trusting only the election root.</summary>
internal sealed class StationConnection : IDisposable
{
    private readonly X509Certificate2 _clientCertificate;
    private readonly X509Certificate2 _root;

    private StationConnection(GrpcChannel channel, X509Certificate2 clientCertificate, X509Certificate2 root)
    {
        Channel = channel;
        _clientCertificate = clientCertificate;
        _root = root;
    }

    /// <summary>
    /// How long a connection with a call in progress may stay silent before the station sends an HTTP/2 PING: 30
    /// seconds. Central is Kestrel, which answers pings without counting "ping strikes" (the reason the channel's
    /// default is 6 minutes), so the station can notice a half-open connection (a network that silently stopped
    /// carrying anything) long before the call's deadline, and retry on a new one.
    /// </summary>
    public static readonly TimeSpan KeepAlivePingDelay = TimeSpan.FromSeconds(30);

    /// <summary>How long the station waits for the PING acknowledgement before dropping the connection: 15 seconds.</summary>
    public static readonly TimeSpan KeepAlivePingTimeout = TimeSpan.FromSeconds(15);

    public GrpcChannel Channel { get; }

    /// <summary>Opens a channel; a missing or unreadable key file is a <see cref="CommandFailureException"/>.</summary>
    /// <param name="folder">The station's key folder.</param>
    /// <param name="central">Central's address.</param>
    /// <param name="loggerFactory">Where the channel logs.</param>
    /// <param name="keepAlive">PING delay and timeout; defaults to <see cref="KeepAlivePingDelay"/> and <see cref="KeepAlivePingTimeout"/>.</param>
    public static StationConnection Open(StationKeyFolder folder, Uri central, ILoggerFactory? loggerFactory, (TimeSpan Delay, TimeSpan Timeout)? keepAlive = null)
    {
        foreach (var (path, what) in new[]
                 {
                     (folder.TlsCertificatePath, "TLS certificate (run 'keys install')"),
                     (folder.TlsKeyPath, "TLS key (run 'keys init')"),
                     (folder.RootPath, "election root certificate (run 'keys install')"),
                 })
        {
            if (!File.Exists(path))
            {
                throw new CommandFailureException(ExitCodes.BadInput, Cli.Localization.Localized.Format(Cli.Localization.CliText.MissingFile, what, path));
            }
        }

        X509Certificate2 clientCertificate;
        X509Certificate2 root;
        try
        {
            // PEM keys import as ephemeral keys, which SslStream on Linux cannot use: round trip through PKCS#12.
            clientCertificate = KeyFiles.LoadTlsCertificate(folder.TlsCertificatePath, folder.TlsKeyPath);
            root = X509CertificateLoader.LoadCertificateFromFile(folder.RootPath);
        }
        catch (CryptographicException ex)
        {
            throw new CommandFailureException(ExitCodes.BadInput, Cli.Localization.Localized.Format(Localization.StationText.CannotReadStationTls, folder.Path, ex.Message));
        }

        var channel = GrpcChannel.ForAddress(central, new GrpcChannelOptions
        {
            ClientCertificate = clientCertificate,
            TrustedRoots = [root],
            EnabledSslProtocols = TlsPolicy.Protocols,
            CipherSuitesPolicy = TlsPolicy.CipherSuitesPolicy,
            LoggerFactory = loggerFactory,
            KeepAlivePingDelay = keepAlive?.Delay ?? KeepAlivePingDelay,
            KeepAlivePingTimeout = keepAlive?.Timeout ?? KeepAlivePingTimeout,
        });
        return new StationConnection(channel, clientCertificate, root);
    }

    /// <summary>The exit code for a call to Central that ended with <paramref name="code"/>.</summary>
    public static int ExitCodeFor(StatusCode code) => code switch
    {
        StatusCode.OK => ExitCodes.Ok,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled => ExitCodes.Unreachable,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => ExitCodes.Refused,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition => ExitCodes.BadInput,
        _ => ExitCodes.Internal,
    };

    public void Dispose()
    {
        Channel.Dispose();
        _clientCertificate.Dispose();
        _root.Dispose();
    }
}
