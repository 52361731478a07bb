using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Transmission.Core.Pki;

namespace Transmission.Central.Pki;

/// <summary>
/// Kestrel's client-certificate check (<c>HttpsConnectionAdapterOptions.ClientCertificateValidation</c>): the
/// certificate must chain to the election root only, carry clientAuth, be valid now, not be revoked per the CRL
/// in force, and name a station, verifier or auditor. Every refusal is logged as a security event (event ids
/// 4100–4101) with the reason code, the certificate's subject, serial and SHA-256, and the peer; never key material.
/// </summary>
/// <remarks>
/// Kestrel refuses a connection without a certificate itself, before this callback would run, so
/// <see cref="ElectionTlsExtensions.UseElectionMutualTls(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions)"/>
/// also wraps the TLS middleware to log those refusals (<see cref="AuditConnections"/>).
/// </remarks>
public sealed partial class ClientCertificateValidator
{
    // The callback has no connection context; the audit middleware puts it here for the handshake's async flow.
    private static readonly AsyncLocal<ConnectionAudit?> CurrentConnection = new();

    private readonly ReloadableElectionTrust _trust;
    private readonly KnownCertificates _known;
    /// <summary>The reason code of a connection that outlived the handshake timeout without completing it.</summary>
    public const string HandshakeTimedOut = "HANDSHAKE_TIMEOUT";

    // Kestrel checks its timeouts on a heartbeat; allow for the connection ending a little either side of it.
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ClientCertificateValidator> _logger;

    /// <summary>A validator over the trust in force.</summary>
    /// <param name="trust">The trust in force, read per handshake.</param>
    /// <param name="known">Where accepted certificates are remembered (to name the subject of a later revocation).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where refusals are logged.</param>
    public ClientCertificateValidator(ReloadableElectionTrust trust, KnownCertificates known, TimeProvider timeProvider, ILogger<ClientCertificateValidator> logger)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _trust = trust;
        _known = known;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// The Kestrel callback. The chain and policy errors computed by SslStream are ignored: they are built against
    /// the OS trust store, which must play no part in this election.
    /// </summary>
    public bool Validate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors sslPolicyErrors) => Check(certificate).IsSuccess;

    /// <summary>Checks a client certificate now; logs a security event when refusing.</summary>
    public PkiResult<CallerIdentity> Check(X509Certificate2? certificate)
    {
        var audit = CurrentConnection.Value;
        if (audit is not null)
        {
            audit.ValidatorRan = true;
        }

        var result = _trust.Current.Validate(certificate, CertificatePurpose.TlsClient, _timeProvider.GetUtcNow());
        if (result.IsSuccess)
        {
            _known.Remember(certificate!, result.Value);
        }
        else
        {
            LogRefused(
                _logger,
                result.ReasonCode!,
                result.Detail,
                Sanitize(certificate?.Subject),
                certificate is null ? null : RevocationEntry.CanonicalSerial(certificate),
                certificate?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
                audit?.RemoteEndPoint?.ToString(),
                audit?.ConnectionId);
        }

        return result;
    }

    /// <summary>
    /// Connection middleware placed before the TLS middleware: gives the callback its connection, and logs a
    /// security event when a connection ends without its handshake completing and without a certificate having been
    /// checked: <c>HANDSHAKE_TIMEOUT</c> when it lasted the whole <paramref name="handshakeTimeout"/> (a client too slow
    /// or too loaded to finish, or one holding connections open), otherwise <c>CERTIFICATE_MISSING</c> (no client
    /// certificate, or the client gave up before sending one).
    /// </summary>
    public ConnectionDelegate AuditConnections(ConnectionDelegate next, TimeSpan handshakeTimeout)
    {
        ArgumentNullException.ThrowIfNull(next);
        return async context =>
        {
            var audit = new ConnectionAudit(context.ConnectionId, context.RemoteEndPoint);
            context.Features.Set(audit);
            CurrentConnection.Value = audit;
            // Real time, as Kestrel's own handshake timer (not the election clock, which tests may fake).
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                CurrentConnection.Value = null;
                if (!audit.HandshakeCompleted && !audit.ValidatorRan)
                {
                    if (System.Diagnostics.Stopwatch.GetElapsedTime(started) >= handshakeTimeout - TimerSlack)
                    {
                        LogHandshakeTimedOut(_logger, HandshakeTimedOut, handshakeTimeout.TotalSeconds, audit.RemoteEndPoint?.ToString(), audit.ConnectionId);
                    }
                    else
                    {
                        LogNoCertificate(_logger, PkiFailure.CertificateMissing.ToReasonCode(), audit.RemoteEndPoint?.ToString(), audit.ConnectionId);
                    }
                }
            }
        };
    }

    /// <summary>Connection middleware placed after the TLS middleware: runs only once a handshake has succeeded.</summary>
    public static ConnectionDelegate MarkHandshakeCompleted(ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return context =>
        {
            if (context.Features.Get<ConnectionAudit>() is { } audit)
            {
                audit.HandshakeCompleted = true;
            }

            return next(context);
        };
    }

    // Subjects come from untrusted certificates: no control characters into the log.
    private static string? Sanitize(string? value) =>
        value is null ? null : string.Concat(value.Take(256).Select(c => char.IsControl(c) ? '?' : c));

    [LoggerMessage(EventId = 4100, EventName = "ClientCertificateRefused", Level = LogLevel.Warning,
        Message = "Security event: client certificate refused at the TLS handshake: {Reason} ({Detail}); subject {Subject}, serial {Serial}, SHA-256 {Thumbprint}, peer {RemoteEndPoint}, connection {ConnectionId}")]
    private static partial void LogRefused(ILogger logger, string reason, string detail, string? subject, string? serial, string? thumbprint, string? remoteEndPoint, string? connectionId);

    [LoggerMessage(EventId = 4102, EventName = "TlsHandshakeTimedOut", Level = LogLevel.Warning,
        Message = "Security event: TLS connection closed: {Reason} (the handshake did not complete within {TimeoutSeconds} s; no client certificate was checked); peer {RemoteEndPoint}, connection {ConnectionId}")]
    private static partial void LogHandshakeTimedOut(ILogger logger, string reason, double timeoutSeconds, string? remoteEndPoint, string connectionId);

    [LoggerMessage(EventId = 4101, EventName = "ClientCertificateMissing", Level = LogLevel.Warning,
        Message = "Security event: TLS connection refused: {Reason} (the handshake ended without a client certificate being presented); peer {RemoteEndPoint}, connection {ConnectionId}")]
    private static partial void LogNoCertificate(ILogger logger, string reason, string? remoteEndPoint, string connectionId);

    private sealed class ConnectionAudit(string connectionId, EndPoint? remoteEndPoint)
    {
        public string ConnectionId { get; } = connectionId;

        public EndPoint? RemoteEndPoint { get; } = remoteEndPoint;

        public bool ValidatorRan { get; set; }

        public bool HandshakeCompleted { get; set; }
    }
}
