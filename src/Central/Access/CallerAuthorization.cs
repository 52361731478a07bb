using Transmission.Core.Pki;
using Transmission.Grpc;

namespace Transmission.Central.Access;

/// <summary>
/// Per-service role checks. The TLS handshake already proved that the caller holds a
/// valid election client certificate; this decides whether that caller's role may use
/// the service, and hands the typed identity to service code.
/// </summary>
public static class CallerAuthorization
{
    /// <summary>
    /// An authorizer for <c>MapGrpcService</c> that admits only callers of <paramref name="role"/>
    /// and refuses the others with PERMISSION_DENIED.
    /// </summary>
    public static Func<ServerCallContext, ValueTask<Status?>> Require(Role role) => context =>
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ClientCertificate is not { } certificate)
        {
            // Kestrel requires a certificate; reaching here means the endpoint was set up without mutual TLS.
            return ValueTask.FromResult<Status?>(new Status(StatusCode.Unauthenticated, "A client certificate is required."));
        }

        var identity = CallerIdentity.FromCertificate(certificate);
        if (identity.Value is not { } caller)
        {
            return ValueTask.FromResult<Status?>(new Status(StatusCode.Unauthenticated, $"The client certificate names no caller: {identity.ReasonCode}."));
        }

        if (caller.Role != role)
        {
            return ValueTask.FromResult<Status?>(new Status(
                StatusCode.PermissionDenied,
                $"{context.Method} is for {CallerIdentity.RoleName(role)} certificates; the caller is {caller.Uri}."));
        }

        CallerContext.Set(context, caller);
        return ValueTask.FromResult<Status?>(null);
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
