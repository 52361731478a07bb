namespace Transmission.Grpc;

/// <summary>
/// Marks every endpoint <see cref="GrpcEndpointRouteBuilderExtensions.MapGrpcService{TService}"/> maps (methods and the
/// UNIMPLEMENTED fallbacks), so other middleware on the same port (a web dashboard) can leave gRPC requests to the
/// gRPC layer. grpc-dotnet marks its endpoints the same way (<c>GrpcMethodMetadata</c>).
/// </summary>
public sealed class GrpcEndpointMetadata
{
    private GrpcEndpointMetadata()
    {
    }

    /// <summary>The one instance.</summary>
    public static GrpcEndpointMetadata Instance { get; } = new();
}
