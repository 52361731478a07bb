using Microsoft.Extensions.Logging;

namespace Transmission.Grpc.Internal;

/// <summary>What every handler of one mapped service shares; built once at start-up.</summary>
internal sealed record ServerCallHandlerSettings(
    GrpcServerOptions Options,
    ILogger Logger,
    TimeProvider TimeProvider,
    CancellationToken ServerStopping,
    Func<ServerCallContext, ValueTask<Status?>>? Authorize);
