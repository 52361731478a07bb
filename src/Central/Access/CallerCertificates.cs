using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Transmission.Central.Pki;
using Transmission.Central.Storage;
using Transmission.Core.Pki;

namespace Transmission.Central.Access;

/// <summary>
/// Checks the client certificate of a connection again on every call, against the trust in force at that moment: the
/// handshake checked it when the connection opened, but an HTTP/2 connection may stay open for hours while a new CRL
/// revokes it (or the certificate expires). A refusal is logged (event 4102) and recorded as a
/// <see cref="RefusedEventKind"/> security event.
/// </summary>
public sealed partial class CallerCertificates
{
    /// <summary>The security event kind recorded when a call's certificate is no longer accepted.</summary>
    public const string RefusedEventKind = "CERTIFICATE_REFUSED";

    private readonly ReloadableElectionTrust _trust;
    private readonly TimeProvider _time;
    private readonly SecurityEventStore _events;
    private readonly ILogger<CallerCertificates> _logger;

    /// <summary>Checks against <paramref name="trust"/>'s current trust at <paramref name="time"/>'s now.</summary>
    public CallerCertificates(ReloadableElectionTrust trust, TimeProvider time, SecurityEventStore events, ILogger<CallerCertificates> logger)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(logger);
        _trust = trust;
        _time = time;
        _events = events;
        _logger = logger;
    }

    /// <summary>
    /// Validates <paramref name="certificate"/> for TLS client use now. On refusal, logs and records a security event
    /// (a storage failure only leaves the log line) before returning.
    /// </summary>
    /// <param name="certificate">The connection's client certificate.</param>
    /// <param name="target">What the caller asked for (gRPC method or path), for the log.</param>
    /// <param name="peer">The caller's address.</param>
    /// <param name="cancellationToken">The call's cancellation.</param>
    public async ValueTask<PkiResult<CallerIdentity>> CheckAsync(X509Certificate2 certificate, string target, string peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var result = _trust.Current.Validate(certificate, CertificatePurpose.TlsClient, _time.GetUtcNow());
        if (result.IsSuccess)
        {
            return result;
        }

        var serial = RevocationEntry.CanonicalSerial(certificate);
        var claimed = CallerIdentity.FromCertificate(certificate) is { IsSuccess: true } identity ? identity.Value.Uri : null;
        LogRefused(_logger, result.ReasonCode!, result.Detail, claimed ?? "(none)", serial, target, peer);
        try
        {
            await _events.RecordAsync(RefusedEventKind, peer, claimed,
                $"{result.ReasonCode}: {result.Detail}; serial {serial}, SHA-256 {certificate.GetCertHashString(HashAlgorithmName.SHA256)}; {target}",
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller left; the refusal is in the log and the event may still be committed.
        }

        return result;
    }

    [LoggerMessage(EventId = 4102, EventName = "CallerCertificateRefused", Level = LogLevel.Warning,
        Message = "Security event: call refused, the client certificate of its connection is no longer accepted: {Reason} ({Detail}); caller {CallerUri}, serial {Serial}, {Target}, peer {Peer}")]
    private static partial void LogRefused(ILogger logger, string reason, string detail, string callerUri, string serial, string target, string peer);
}
