using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Transmission.Grpc.Internal;

/// <summary>
/// Lets the UNIMPLEMENTED fallback routes match only gRPC requests, so they never take
/// paths such as <c>/css/site.css</c> from the rest of the application.
/// </summary>
internal sealed class GrpcUnimplementedConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        if (httpContext is null)
        {
            return false;
        }

        return GrpcProtocolConstants.IsGrpcContentType(httpContext.Request.ContentType);
    }
}
