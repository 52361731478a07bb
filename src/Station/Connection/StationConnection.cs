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

    public GrpcChannel Channel { get; }

    /// <summary>Opens a channel; a missing or unreadable key file is a <see cref="CommandFailureException"/>.</summary>
    public static StationConnection Open(StationKeyFolder folder, Uri central, ILoggerFactory? loggerFactory)
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
