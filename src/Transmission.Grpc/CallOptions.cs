namespace Transmission.Grpc;

/// <summary>Per-call settings.</summary>
/// <param name="Headers">Custom metadata sent as request headers; keys ending in <c>-bin</c> are sent base64.</param>
/// <param name="Deadline">
/// When the call must be finished, in UTC (<see cref="DateTimeKind.Utc"/>); null or
/// <see cref="DateTime.MaxValue"/> for none. The client enforces it with its own timer
/// (DEADLINE_EXCEEDED) and sends the remaining time as <c>grpc-timeout</c>.
/// </param>
/// <param name="CancellationToken">Cancels the call (CANCELLED, HTTP/2 RST_STREAM).</param>
public readonly record struct CallOptions(
    Metadata? Headers = null,
    DateTime? Deadline = null,
    CancellationToken CancellationToken = default);
