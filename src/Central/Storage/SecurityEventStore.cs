namespace Transmission.Central.Storage;

/// <summary>Records security events durably, through the same group-commit writer as submissions.</summary>
public sealed class SecurityEventStore
{
    private readonly SubmissionStore _writer;
    private readonly TimeProvider _time;

    /// <summary>Uses <paramref name="writer"/>'s batches; times come from <paramref name="time"/>.</summary>
    public SecurityEventStore(SubmissionStore writer, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(time);
        _writer = writer;
        _time = time;
    }

    /// <summary>
    /// Records an event and returns once it is committed: true, or false when storage was unavailable
    /// (the caller has already refused the peer; the event is then only in the log file).
    /// </summary>
    /// <param name="kind">Stable kind code, e.g. CALLER_UNTRUSTED.</param>
    /// <param name="peer">Remote address, when known.</param>
    /// <param name="callerUri">The caller's identity URI, when known.</param>
    /// <param name="detail">Readable detail; never payload bytes.</param>
    /// <param name="cancellationToken">Stops the wait (the event may still be written).</param>
    public Task<bool> RecordAsync(string kind, string? peer, string? callerUri, string detail, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(detail);
        return _writer.RecordSecurityEventAsync(
            new SecurityEvent { At = _time.GetUtcNow(), Kind = kind, Peer = peer, CallerUri = callerUri, Detail = detail },
            cancellationToken);
    }
}
