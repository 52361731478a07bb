namespace Transmission.Grpc.Internal;

/// <summary>Registered by AddGrpcServer; MapGrpcService checks for it and remembers what it mapped once per application.</summary>
internal sealed class GrpcServerMarker
{
    private int _unknownServiceMapped;

    /// <summary>True the first time it is called, false after.</summary>
    public bool TryClaimUnknownServiceRoute() => Interlocked.Exchange(ref _unknownServiceMapped, 1) == 0;
}
