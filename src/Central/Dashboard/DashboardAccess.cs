using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Transmission.Central.Access;
using Transmission.Central.Dashboard.Localization;
using Transmission.Central.Pki;
using Transmission.Central.Storage;
using Transmission.Core.Pki;

using Transmission.Grpc;

namespace Transmission.Central.Dashboard;

/// <summary>
/// The gate in front of everything on Central's HTTPS port that is not a gRPC endpoint (pages, the style sheet, unknown
/// paths): only verifier certificates pass. Any other caller gets HTTP 403 with a short page naming its certificate
/// (in the request's language, <see cref="DashboardLanguage"/>), and a security event (log event 7000 and a
/// <c>DASHBOARD_REFUSED</c> row through <see cref="SecurityEventStore"/>, both in English). Every such response carries
/// the dashboard's security headers.
/// </summary>
/// <remarks>
/// Callers without a certificate never get here: Kestrel refuses them at the TLS handshake. gRPC endpoints are
/// recognised by <see cref="GrpcEndpointMetadata"/> and left alone, so their own per-service role checks and their
/// HTTP answers (405, 415, 426) are exactly what they were before the dashboard existed. Deny by default: an endpoint
/// added later is verifier-only unless it is marked as gRPC.
/// </remarks>
public sealed partial class DashboardAccess
{
    /// <summary>The security event kind recorded for a refused caller.</summary>
    public const string RefusedEventKind = "DASHBOARD_REFUSED";

    /// <summary>The authentication type of the principal a verifier gets (antiforgery tokens are bound to it).</summary>
    public const string AuthenticationType = "ElectionClientCertificate";

    /// <summary>Content-Security-Policy of every dashboard response: nothing from anywhere but Central, no inline code.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

    private readonly RequestDelegate _next;
    private readonly SecurityEventStore _events;
    private readonly CallerCertificates _certificates;
    private readonly ILogger<DashboardAccess> _logger;

    /// <summary>Middleware constructor.</summary>
    public DashboardAccess(RequestDelegate next, SecurityEventStore events, CallerCertificates certificates, ILogger<DashboardAccess> logger)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(logger);
        _next = next;
        _events = events;
        _certificates = certificates;
        _logger = logger;
    }

    /// <summary>The verifier admitted for this request.</summary>
    /// <exception cref="InvalidOperationException">The request did not pass through <see cref="DashboardAccess"/> (a bug).</exception>
    public static CallerIdentity GetVerifier(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<AdmittedVerifier>()?.Identity
            ?? throw new InvalidOperationException("No verifier on this request: the dashboard page was reached without DashboardAccess.");
    }

    /// <summary>Runs the gate.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcEndpointMetadata>() is not null)
        {
            await _next(context);
            return;
        }

        context.Response.OnStarting(static state => AddSecurityHeaders((HttpResponse)state), context.Response);
        var caller = context.GetCallerIdentity();
        if (caller is { Role: Role.Verifier })
        {
            // A browser keeps its connection open: the certificate is checked against the CRL in force on every request.
            var check = await _certificates.CheckAsync(
                context.Connection.ClientCertificate!,
                $"{context.Request.Method} {Printable(context.Request.Path.Value ?? "/")}",
                FormatPeer(context.Connection.RemoteIpAddress, context.Connection.RemotePort),
                context.RequestAborted);
            if (!check.IsSuccess)
            {
                await WriteForbiddenAsync(context, CertificateRefusedMessage(check.ReasonCode!));
                return;
            }

            context.Features.Set(new AdmittedVerifier(caller));
            context.User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, caller.Uri), new Claim(ClaimTypes.Role, CallerIdentity.RoleName(caller.Role))],
                AuthenticationType));
            await _next(context);
            return;
        }

        await RefuseAsync(context, caller);
    }

    /// <summary>
    /// The 403 page's text, in the current UI culture, for a verifier certificate the trust in force refuses for
    /// <paramref name="reasonCode"/> (e.g. <c>REVOKED</c>).
    /// </summary>
    public static string CertificateRefusedMessage(string reasonCode) =>
        DashboardText.Format(DashboardStrings.RefusedNoLongerAccepted, reasonCode);

    /// <summary>The 403 page's text, in the current UI culture, for a certificate that names <paramref name="callerUri"/> (or no caller).</summary>
    public static string RefusalMessage(string? callerUri) => callerUri is null
        ? DashboardStrings.RefusedNoIdentity
        : DashboardText.Format(DashboardStrings.RefusedNotVerifier, callerUri);

    private static Task AddSecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        // For browsers that predate frame-ancestors.
        headers.XFrameOptions = "DENY";
        return Task.CompletedTask;
    }

    private async Task RefuseAsync(HttpContext context, CallerIdentity? caller)
    {
        var peer = FormatPeer(context.Connection.RemoteIpAddress, context.Connection.RemotePort);
        var path = Printable(context.Request.Path.Value ?? "/");
        var detail = $"{context.Request.Method} {path} refused: the dashboard is for verifier certificates";
        LogRefused(_logger, caller?.Uri ?? "(none)", context.Request.Method, path, peer, context.Connection.Id);
        try
        {
            await _events.RecordAsync(RefusedEventKind, peer, caller?.Uri, detail, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller left; the event is in the log and may still be committed.
            return;
        }

        await WriteForbiddenAsync(context, RefusalMessage(caller?.Uri));
    }

    private static async Task WriteForbiddenAsync(HttpContext context, string text)
    {
        var message = WebUtility.HtmlEncode(text);
        var title = WebUtility.HtmlEncode(DashboardStrings.ForbiddenTitle);
        var language = CultureInfo.CurrentUICulture.Name.Length == 0 ? "en" : CultureInfo.CurrentUICulture.Name;
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/html; charset=utf-8";
        var page = $"<!DOCTYPE html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{title}</title><link rel=\"icon\" href=\"data:,\"></head>"
            + $"<body><h1>{title}</h1><p>{message}</p></body></html>\n";
        await context.Response.WriteAsync(page, Encoding.UTF8, context.RequestAborted);
    }

    // The same form as the gRPC layer's ServerCallContext.Peer, so one caller reads the same in every security event.
    private static string FormatPeer(IPAddress? address, int port)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"ipv6:[{address}]:{port}" : $"ipv4:{address}:{port}";
    }

    // Paths come from the caller: bounded and without control characters in the log.
    private static string Printable(string value) =>
        string.Concat(value.Take(256).Select(c => char.IsControl(c) ? '?' : c));

    [LoggerMessage(EventId = 7000, EventName = "DashboardCallerRefused", Level = LogLevel.Warning,
        Message = "Security event: dashboard request refused with 403: caller {CallerUri} is not a verifier; {Method} {Path}, peer {Peer}, connection {ConnectionId}")]
    private static partial void LogRefused(ILogger logger, string callerUri, string method, string path, string peer, string connectionId);

    private sealed record AdmittedVerifier(CallerIdentity Identity);
}
