using Transmission.Station.Outbox;

namespace Transmission.Station.Sending;

/// <summary>Options of <see cref="StationSender"/>, checked once with one clear error.</summary>
internal sealed record StationSenderOptions
{
    /// <summary>How long to keep trying before giving up (the items stay queued for the next run). Defaults to 600 seconds.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>The deadline of one Submit call (capped by what is left of <see cref="MaxWait"/>). Defaults to 120 seconds.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The size of one attachment chunk. Defaults to 65,536 bytes (64 KiB).</summary>
    public int ChunkSize { get; init; } = 64 * 1024;

    /// <summary>
    /// Central's receive limit for one message (docs/protocol.md §4.2). An envelope that cannot fit is stopped here
    /// instead of being sent to be refused. Defaults to 4,194,304 bytes (4 MiB).
    /// </summary>
    public int MaxMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>How many due items one call carries at most. Defaults to 100.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>
    /// HTTP/2 keepalive of the connection to Central: after this much silence during a call the station sends a PING.
    /// Defaults to <see cref="Connection.StationConnection.KeepAlivePingDelay"/> (30 seconds).
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = Connection.StationConnection.KeepAlivePingDelay;

    /// <summary>
    /// How long an unanswered PING may wait before the connection is dropped and the call retried on a new one.
    /// Defaults to <see cref="Connection.StationConnection.KeepAlivePingTimeout"/> (15 seconds).
    /// </summary>
    public TimeSpan KeepAlivePingTimeout { get; init; } = Connection.StationConnection.KeepAlivePingTimeout;

    /// <summary>Backoff between failed calls. Defaults to <see cref="RetryOptions"/>' defaults (1 s doubling to 2 min, full jitter).</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>Checks the options.</summary>
    public void Validate()
    {
        if (MaxWait < TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxWait cannot be negative (was {MaxWait}).");
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"CallTimeout must be positive (was {CallTimeout}).");
        }

        if (ChunkSize is < 1 || ChunkSize > MaxMessageSize / 2)
        {
            throw new ArgumentException($"ChunkSize must be between 1 and half of MaxMessageSize (was {ChunkSize}).");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"BatchSize must be at least 1 (was {BatchSize}).");
        }

        if (KeepAlivePingDelay < TimeSpan.FromSeconds(1) || KeepAlivePingTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"KeepAlivePingDelay ({KeepAlivePingDelay}) and KeepAlivePingTimeout ({KeepAlivePingTimeout}) must each be at least 1 second.");
        }

        ArgumentNullException.ThrowIfNull(Retry);
        Retry.Validate();
    }
}
