using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Transmission.Grpc.Internal;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Transmission.Grpc;

/// <summary>Maps gRPC services onto endpoint routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every method of <paramref name="descriptor"/> to the method of the same name on
    /// <typeparamref name="TService"/>, bound once here. A descriptor method with no C# method
    /// answers UNIMPLEMENTED; a C# method with the right name and the wrong signature throws
    /// <see cref="InvalidOperationException"/> naming it. Unknown methods of this service, and
    /// unknown services, answer UNIMPLEMENTED.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="descriptor">The generated protobuf service descriptor.</param>
    /// <param name="authorize">
    /// Runs before each handler; a non-null status other than OK ends the call with it
    /// (Trailers-Only). It may store the caller identity in <see cref="ServerCallContext.UserState"/>.
    /// </param>
    /// <returns>A builder that applies conventions to all the service's endpoints.</returns>
    public static IEndpointConventionBuilder MapGrpcService<TService>(
        this IEndpointRouteBuilder endpoints,
        ServiceDescriptor descriptor,
        Func<ServerCallContext, ValueTask<Status?>>? authorize = null)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(descriptor);
        var services = endpoints.ServiceProvider;
        var marker = services.GetService<GrpcServerMarker>()
            ?? throw new InvalidOperationException("Call services.AddGrpcServer() before mapping gRPC services.");
        var options = services.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Transmission.Grpc.Server");
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var settings = new ServerCallHandlerSettings(options, logger, timeProvider, stopping, authorize);
        var fallbackSettings = settings with { Authorize = null };

        var builders = new List<IEndpointConventionBuilder>();
        foreach (var (path, handler) in ServiceMethodBinder.Bind<TService>(descriptor, settings))
        {
            builders.Add(endpoints.Map(path, handler.HandleCallAsync).WithDisplayName($"gRPC {path}"));
        }

        // Literal routes above win over these parameter routes (route precedence), and the
        // constraint keeps them to gRPC content types.
        var unknownMethod = new UnimplementedCallHandler(fallbackSettings, $"/{descriptor.FullName}/*", UnimplementedCallHandler.MethodUnimplemented);
        builders.Add(endpoints
            .Map(
                RoutePatternFactory.Parse(
                    $"/{descriptor.FullName}/{{unimplementedMethod}}",
                    defaults: null,
                    parameterPolicies: new RouteValueDictionary { ["unimplementedMethod"] = new GrpcUnimplementedConstraint() }),
                unknownMethod.HandleCallAsync)
            .WithDisplayName($"gRPC unimplemented method of {descriptor.FullName}"));

        if (marker.TryClaimUnknownServiceRoute())
        {
            var unknownService = new UnimplementedCallHandler(fallbackSettings, "/*/*", UnimplementedCallHandler.ServiceUnimplemented);
            var constraint = new GrpcUnimplementedConstraint();
            builders.Add(endpoints
                .Map(
                    RoutePatternFactory.Parse(
                        "/{unimplementedService}/{unimplementedMethod}",
                        defaults: null,
                        parameterPolicies: new RouteValueDictionary
                        {
                            ["unimplementedService"] = constraint,
                            ["unimplementedMethod"] = constraint,
                        }),
                    unknownService.HandleCallAsync)
                .WithDisplayName("gRPC unimplemented service"));
        }

        foreach (var builder in builders)
        {
            builder.WithMetadata(GrpcEndpointMetadata.Instance);
        }

        return new CompositeEndpointConventionBuilder(builders);
    }
}
