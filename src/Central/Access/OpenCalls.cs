using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Transmission.Core.Pki;

namespace Transmission.Central.Access;

/// <summary>
/// The gRPC calls running now, with the client certificate each was admitted with, so that a new CRL can end the calls
/// of a certificate it revokes (a verifier's <c>WatchTotals</c> or a station's <c>Submit</c> stream may run for hours).
/// Ending a call resets its HTTP/2 stream; the connection and the other calls on it go on, and every new call is
/// checked again by <see cref="CallerAuthorization"/>.
/// </summary>
public sealed partial class OpenCalls
{
    private readonly ConcurrentDictionary<Registration, byte> _calls = new();
    private readonly ILogger<OpenCalls> _logger;

    /// <summary>An empty registry.</summary>
    public OpenCalls(ILogger<OpenCalls> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>How many calls are registered.</summary>
    public int Count => _calls.Count;

    /// <summary>Registers a call until the request ends (the registration is disposed with the request).</summary>
    public void Track(HttpContext context, X509Certificate2 certificate, CallerIdentity caller, string method)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(caller);
        var registration = new Registration(this, context, certificate, caller, method);
        _calls.TryAdd(registration, 0);
        context.Response.RegisterForDispose(registration);
    }

    /// <summary>Ends every registered call whose certificate <paramref name="trust"/> refuses at <paramref name="at"/>.</summary>
    /// <returns>How many calls were ended.</returns>
    public int EndRefused(ElectionTrust trust, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var ended = 0;
        foreach (var registration in _calls.Keys)
        {
            var check = trust.Validate(registration.Certificate, CertificatePurpose.TlsClient, at);
            if (check.IsSuccess || !_calls.TryRemove(registration, out _))
            {
                continue;
            }

            LogCallEnded(_logger, registration.Method, registration.Caller.Uri, check.ReasonCode!, check.Detail);
            registration.Context.Abort();
            ended++;
        }

        return ended;
    }

    [LoggerMessage(EventId = 4103, EventName = "CallEndedCertificateRefused", Level = LogLevel.Warning,
        Message = "Security event: running call {Method} of {CallerUri} ended: its client certificate is no longer accepted: {Reason} ({Detail})")]
    private static partial void LogCallEnded(ILogger logger, string method, string callerUri, string reason, string detail);

    private sealed class Registration(OpenCalls owner, HttpContext context, X509Certificate2 certificate, CallerIdentity caller, string method) : IDisposable
    {
        public HttpContext Context { get; } = context;

        public X509Certificate2 Certificate { get; } = certificate;

        public CallerIdentity Caller { get; } = caller;

        public string Method { get; } = method;

        public void Dispose() => owner._calls.TryRemove(this, out _);
    }
}
