using Microsoft.Extensions.Logging;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;

namespace Transmission.Central.Pki;

/// <summary>
/// Holds the <see cref="ElectionTrust"/> in force and swaps in a new one when the CRL file is reloaded, without a
/// restart. The root never changes while running (a new root is a new election). A CRL that fails to load, or
/// that is older than the one in force (lower cRLNumber: a rollback), is refused and the old one kept.
/// </summary>
public sealed partial class ReloadableElectionTrust
{
    private readonly string _crlPath;
    private readonly int _cacheCapacity;
    private readonly ILogger<ReloadableElectionTrust> _logger;
    private readonly Lock _reloadLock = new();
    private ElectionTrust _current;

    /// <summary>Loads the root and the CRL; throws <see cref="InvalidOperationException"/> with a one-line reason if either is unusable.</summary>
    public ReloadableElectionTrust(ElectionTlsOptions options, ILogger<ReloadableElectionTrust> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _crlPath = options.CrlPath;
        _cacheCapacity = options.TrustCacheCapacity;
        _logger = logger;
        X509Certificate2 root;
        try
        {
            root = X509CertificateLoader.LoadCertificateFromFile(options.RootCertificatePath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot load the election root {options.RootCertificatePath}: {e.Message}", e);
        }

        var crl = LoadCrl(root);
        if (!crl.IsSuccess)
        {
            throw new InvalidOperationException($"Cannot load the CRL {_crlPath}: {crl.ReasonCode}: {crl.Detail}");
        }

        try
        {
            _current = new ElectionTrust(root, crl.Value, _cacheCapacity);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Unusable election root {options.RootCertificatePath}: {e.Message}", e);
        }

        LogCrlLoaded(_logger, _crlPath, crl.Value.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), crl.Value.Entries.Count);
    }

    /// <summary>The trust in force. Read it once per decision.</summary>
    public ElectionTrust Current => Volatile.Read(ref _current);

    /// <summary>Rereads the CRL file; on success the new CRL is in force for every later decision.</summary>
    /// <returns>The CRL now in force, or why the file was refused (the previous CRL stays in force).</returns>
    public PkiResult<RevocationList> Reload()
    {
        lock (_reloadLock)
        {
            var current = Current;
            var crl = LoadCrl(current.Root);
            if (crl.IsSuccess && crl.Value.Number < current.Revocations.Number)
            {
                crl = PkiResult<RevocationList>.Fail(PkiFailure.CrlUntrusted, $"CRL number {crl.Value.Number} is older than the one in force ({current.Revocations.Number})");
            }

            if (!crl.IsSuccess)
            {
                LogCrlRefused(_logger, _crlPath, crl.ReasonCode!, crl.Detail);
                return crl;
            }

            Volatile.Write(ref _current, new ElectionTrust(current.Root, crl.Value, _cacheCapacity));
            LogCrlLoaded(_logger, _crlPath, crl.Value.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), crl.Value.Entries.Count);
            return crl;
        }
    }

    private PkiResult<RevocationList> LoadCrl(X509Certificate2 root)
    {
        string text;
        try
        {
            text = File.ReadAllText(_crlPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PkiResult<RevocationList>.Fail(PkiFailure.CrlMalformed, e.Message);
        }

        return RevocationList.LoadPem(text, root);
    }

    [LoggerMessage(EventId = 4110, EventName = "CrlLoaded", Level = LogLevel.Information, Message = "Loaded CRL {CrlPath}: number {CrlNumber}, {RevokedCount} revoked certificate(s)")]
    private static partial void LogCrlLoaded(ILogger logger, string crlPath, string crlNumber, int revokedCount);

    [LoggerMessage(EventId = 4111, EventName = "CrlRefused", Level = LogLevel.Error, Message = "Security event: CRL {CrlPath} refused ({Reason}: {Detail}); the previous CRL stays in force")]
    private static partial void LogCrlRefused(ILogger logger, string crlPath, string reason, string detail);
}
