using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.V1;
using Transmission.Central.Access;
using Transmission.Grpc;

namespace Transmission.Central.Connection;

/// <summary>
/// The station-facing <c>transmission.v1.Transmission</c> service. Methods of the contract
/// that have no C# method here answer UNIMPLEMENTED until they are built.
/// </summary>
public sealed class TransmissionService(TimeProvider timeProvider)
{
    /// <summary>Tells the station who Central sees it as, and which election Central serves.</summary>
    public Task<HandshakeResponse> Handshake(HandshakeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = CallerContext.Get(context);
        return Task.FromResult(new HandshakeResponse
        {
            CallerUri = caller.Uri,
            ServerTime = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            ServerVersion = ServerVersion.Current,
        });
    }
}
