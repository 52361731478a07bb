using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Transmission.Core.Pki;

namespace Transmission.Central.Pki;

/// <summary>
/// Holds the <see cref="ElectionTrust"/> in force and swaps in a new one when a new CRL is put in force, without a
/// restart (<see cref="CrlUpdater"/> decides when). The root never changes while running (a new root is a new
/// election). A CRL that fails to load, that is older than the one in force (lower cRLNumber: a rollback), or that
/// has the number in force with other content, is refused and the old one kept.
/// </summary>
public sealed partial class ReloadableElectionTrust
{
    private readonly string _crlPath;
    private readonly ILogger<ReloadableElectionTrust> _logger;
    private readonly Lock _reloadLock = new();
    private ElectionTrust _current;

    /// <summary>Loads the root and the CRL; throws <see cref="InvalidOperationException"/> with a one-line reason if either is unusable.</summary>
    public ReloadableElectionTrust(ElectionTlsOptions options, ILogger<ReloadableElectionTrust> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _crlPath = options.CrlPath;
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

        var crl = Check(LoadCrl(root), null);
        if (!crl.IsSuccess)
        {
            throw new InvalidOperationException($"Cannot load the CRL {_crlPath}: {crl.ReasonCode}: {crl.Detail}");
        }

        try
        {
            _current = new ElectionTrust(root, crl.Value, options.TrustCacheCapacity);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Unusable election root {options.RootCertificatePath}: {e.Message}", e);
        }

        LogCrlLoaded(_logger, _crlPath, Number(crl.Value), crl.Value.Entries.Count);
    }

    /// <summary>The trust in force. Read it once per decision.</summary>
    public ElectionTrust Current => Volatile.Read(ref _current);

    /// <summary>The CRL file Central is configured with.</summary>
    public string CrlPath => _crlPath;

    /// <summary>Rereads the CRL file and puts it in force (see <see cref="PutInForce(string, string)"/>).</summary>
    /// <returns>The CRL now in force, or why the file was refused (the previous CRL stays in force).</returns>
    public PkiResult<RevocationList> Reload()
    {
        lock (_reloadLock)
        {
            return Apply(LoadCrl(Current.Root), _crlPath);
        }
    }

    /// <summary>
    /// Puts the PEM CRL <paramref name="pem"/> in force for every later decision if it is signed by the election root
    /// and its number is higher than the one in force. The CRL in force, given again, changes nothing.
    /// </summary>
    /// <param name="pem">The CRL file's text.</param>
    /// <param name="source">Where it comes from, for the log.</param>
    /// <returns>The CRL in force afterwards (the same instance as before when nothing changed), or why this one was refused.</returns>
    public PkiResult<RevocationList> PutInForce(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        lock (_reloadLock)
        {
            return Apply(RevocationList.LoadPem(pem, Current.Root), source);
        }
    }

    /// <summary>As <see cref="PutInForce(string, string)"/> for a DER CRL (one Central stored earlier).</summary>
    public PkiResult<RevocationList> PutInForce(ReadOnlyMemory<byte> der, string source)
    {
        lock (_reloadLock)
        {
            return Apply(RevocationList.Load(der, Current.Root), source);
        }
    }

    /// <summary>
    /// At start-up: puts back a CRL Central stored when it put it in force earlier, which wins over a file with the same
    /// number and other content (never over a higher number).
    /// </summary>
    public PkiResult<RevocationList> Restore(ReadOnlyMemory<byte> der, string source)
    {
        lock (_reloadLock)
        {
            return Apply(RevocationList.Load(der, Current.Root), source, sameNumberReplaces: true);
        }
    }

    private PkiResult<RevocationList> Apply(PkiResult<RevocationList> loaded, string source, bool sameNumberReplaces = false)
    {
        var current = Current;
        var crl = Check(loaded, current.Revocations, sameNumberReplaces);
        if (!crl.IsSuccess)
        {
            LogCrlRefused(_logger, source, crl.ReasonCode!, crl.Detail);
            return crl;
        }

        if (ReferenceEquals(crl.Value, current.Revocations))
        {
            return crl;
        }

        Volatile.Write(ref _current, current.WithRevocations(crl.Value));
        LogCrlLoaded(_logger, source, Number(crl.Value), crl.Value.Entries.Count);
        return crl;
    }

    // The rules for a CRL to be put in force; returns `inForce` itself when the candidate is the same CRL.
    private static PkiResult<RevocationList> Check(PkiResult<RevocationList> candidate, RevocationList? inForce, bool sameNumberReplaces = false)
    {
        if (!candidate.IsSuccess)
        {
            return candidate;
        }

        var crl = candidate.Value;
        // Central stores and logs the number as a 64-bit integer; RFC 5280 allows up to 20 octets, our CA counts from 1.
        if (crl.Number > long.MaxValue)
        {
            return PkiResult<RevocationList>.Fail(PkiFailure.CrlMalformed, $"cRLNumber {crl.Number} is larger than Central supports ({long.MaxValue})");
        }

        if (inForce is null)
        {
            return candidate;
        }

        if (crl.Number < inForce.Number)
        {
            return PkiResult<RevocationList>.Fail(PkiFailure.CrlUntrusted, $"CRL number {crl.Number} is older than the one in force ({inForce.Number})");
        }

        if (crl.Number == inForce.Number && !(sameNumberReplaces && !crl.RawData.Span.SequenceEqual(inForce.RawData.Span)))
        {
            return crl.RawData.Span.SequenceEqual(inForce.RawData.Span)
                ? PkiResult<RevocationList>.Success(inForce)
                : PkiResult<RevocationList>.Fail(PkiFailure.CrlUntrusted, $"CRL number {crl.Number} is already in force with other content (a CRL's number must grow with every new CRL)");
        }

        return candidate;
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

    private static string Number(RevocationList crl) => crl.Number.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 4110, EventName = "CrlLoaded", Level = LogLevel.Information, Message = "CRL in force from {CrlPath}: number {CrlNumber}, {RevokedCount} revoked certificate(s)")]
    private static partial void LogCrlLoaded(ILogger logger, string crlPath, string crlNumber, int revokedCount);

    [LoggerMessage(EventId = 4111, EventName = "CrlRefused", Level = LogLevel.Error, Message = "Security event: CRL from {CrlPath} refused ({Reason}: {Detail}); the previous CRL stays in force")]
    private static partial void LogCrlRefused(ILogger logger, string crlPath, string reason, string detail);
}
