using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Transmission.Grpc.Internal;

namespace Transmission.Grpc;

/// <summary>Registers the gRPC server.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the services the gRPC server needs (routing, options, <see cref="TimeProvider.System"/>
    /// unless a <see cref="TimeProvider"/> is already registered), and applies <paramref name="configure"/>.
    /// Options are validated when the first service is mapped.
    /// </summary>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        var options = services.AddOptions<GrpcServerOptions>()
            .Validate(
                o => o.MaxReceiveMessageSize is null or >= 0 && o.MaxSendMessageSize is null or >= 0,
                "GrpcServerOptions.MaxReceiveMessageSize and MaxSendMessageSize must be null (unlimited) or not negative.");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrpcServerMarker>();
        return services;
    }
}
