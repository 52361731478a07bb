using Transmission.Core.Pki;
using Transmission.Grpc;

namespace Transmission.Central.Access;

/// <summary>
/// Per-call checks, before any input of the call is read: the client certificate of the connection must still be
/// accepted by the trust in force (<see cref="CallerCertificates"/>: a CRL put in force after the handshake refuses
/// every new call on an open connection with UNAUTHENTICATED), and the caller's role must be the service's
/// (PERMISSION_DENIED otherwise). Admitted calls are registered in <see cref="OpenCalls"/> and the typed identity is
/// handed to service code.
/// </summary>
public sealed class CallerAuthorization
{
    /// <summary>The status message of a call whose certificate is no longer accepted; <c>{0}</c> is the PKI reason code.</summary>
    public const string CertificateRefusedMessage = "The client certificate of this connection is no longer accepted: {0}.";

    private readonly CallerCertificates _certificates;
    private readonly OpenCalls _calls;

    /// <summary>Checks with <paramref name="certificates"/>; registers admitted calls in <paramref name="calls"/>.</summary>
    public CallerAuthorization(CallerCertificates certificates, OpenCalls calls)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(calls);
        _certificates = certificates;
        _calls = calls;
    }

    /// <summary>
    /// An authorizer for <c>MapGrpcService</c> that admits only callers of <paramref name="role"/> whose certificate is
    /// still accepted, refusing the others with UNAUTHENTICATED (certificate) or PERMISSION_DENIED (role).
    /// </summary>
    public Func<ServerCallContext, ValueTask<Status?>> Require(Role role) => async context =>
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ClientCertificate is not { } certificate)
        {
            // Kestrel requires a certificate; reaching here means the endpoint was set up without mutual TLS.
            return new Status(StatusCode.Unauthenticated, "A client certificate is required.");
        }

        var identity = CallerIdentity.FromCertificate(certificate);
        if (identity.Value is not { } caller)
        {
            return new Status(StatusCode.Unauthenticated, $"The client certificate names no caller: {identity.ReasonCode}.");
        }

        var check = await _certificates.CheckAsync(certificate, context.Method, context.Peer, context.CancellationToken);
        if (!check.IsSuccess)
        {
            return new Status(StatusCode.Unauthenticated, string.Format(System.Globalization.CultureInfo.InvariantCulture, CertificateRefusedMessage, check.ReasonCode));
        }

        if (caller.Role != role)
        {
            return new Status(
                StatusCode.PermissionDenied,
                $"{context.Method} is for {CallerIdentity.RoleName(role)} certificates; the caller is {caller.Uri}.");
        }

        _calls.Track(context.GetHttpContext(), certificate, caller, context.Method);
        CallerContext.Set(context, caller);
        return null;
    };
}

/// <summary>Where the authorized caller's identity lives during a call.</summary>
public static class CallerContext
{
    private static readonly object Key = typeof(CallerContext);

    /// <summary>The identity <see cref="CallerAuthorization"/> admitted for this call.</summary>
    /// <exception cref="InvalidOperationException">The service was mapped without an authorizer (a bug).</exception>
    public static CallerIdentity Get(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(Key, out var value) && value is CallerIdentity identity
            ? identity
            : throw new InvalidOperationException("No caller identity on this call: the service was mapped without CallerAuthorization.");
    }

    internal static void Set(ServerCallContext context, CallerIdentity identity) => context.UserState[Key] = identity;
}
