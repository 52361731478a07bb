using Transmission.Grpc;

namespace Transmission.Station.Outbox;

/// <summary>Options of <see cref="RetryPolicy"/>. There is no attempt limit: a station keeps trying until Central answers.</summary>
internal sealed record RetryOptions
{
    /// <summary>The ceiling of the first retry's delay. Defaults to 1 second.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The highest ceiling any delay can have. Defaults to 2 minutes.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Checks the options, with one clear error.</summary>
    public void Validate()
    {
        if (BaseDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"BaseDelay must be positive (was {BaseDelay}).");
        }

        if (MaxDelay < BaseDelay)
        {
            throw new ArgumentException($"MaxDelay ({MaxDelay}) must be at least BaseDelay ({BaseDelay}).");
        }
    }
}

/// <summary>What to do after a failed attempt.</summary>
/// <param name="Retry">Whether to try again automatically.</param>
/// <param name="Delay">How long to wait (zero when not retrying).</param>
/// <param name="NextAttemptAt">When to try again, or <see langword="null"/> when sending stops until the chair acts.</param>
/// <param name="Note">Why, kept in the outbox and worded for the chair by <see cref="FailureNote.ToText"/>.</param>
// Invariant: Retry == (NextAttemptAt is not null).
internal sealed record RetryDecision(bool Retry, TimeSpan Delay, DateTimeOffset? NextAttemptAt, FailureNote Note)
{
    /// <summary>A one-line explanation for the chair in the current UI language.</summary>
    public string Message => Note.ToText();
}

/// <summary>
/// When to send again after a failure: exponential backoff with full jitter (delay uniform in
/// [0, min(MaxDelay, BaseDelay · 2^(attempt−1))), AWS Architecture Blog, "Exponential Backoff And Jitter", 2015), so
/// thousands of stations that lost Central at once do not come back in lockstep. Deterministic for a given
/// <see cref="Random"/> and <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Retries the statuses that say "not now" (UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED) and those that say "something
/// failed" without judging the protocol (UNKNOWN: an error inside Central's handler; INTERNAL: a call broken on the
/// way, or by a client-side failure): Central answers a re-sent duplicate with the same receipt, so trying again is
/// always safe, and a station must not stop for the night because Central had a fault it may be restarted out of.
/// Central's judgement of a protocol comes in-band with its own status. Every other status, and in particular
/// INVALID_ARGUMENT, PERMISSION_DENIED and UNAUTHENTICATED, is an answer that sending the same bytes again cannot
/// change: sending stops with a message for the chair. RESOURCE_EXHAUSTED is one of those: our Central sends it for
/// a message over its size limit (docs/protocol.md §4.2), which the same bytes will exceed again. Not thread-safe
/// (<see cref="Random"/> is not).
/// </remarks>
internal sealed class RetryPolicy
{
    private readonly RetryOptions _options;
    private readonly Random _random;
    private readonly TimeProvider _time;

    /// <summary>A policy drawing jitter from <paramref name="random"/> and reading now from <paramref name="time"/>.</summary>
    public RetryPolicy(RetryOptions options, Random random, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _options = options;
        _random = random;
        _time = time;
    }

    /// <summary>Whether a call that ended with <paramref name="status"/> is worth repeating unchanged.</summary>
    public static bool IsRetryable(StatusCode status) => status is
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.Unknown or StatusCode.Internal;

    /// <summary>The ceiling of the delay after <paramref name="attempts"/> failed attempts (≥ 1): min(MaxDelay, BaseDelay · 2^(attempts−1)).</summary>
    public TimeSpan Ceiling(int attempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);

        // Doubling past 2^62 ticks would overflow; any exponent that large is far above MaxDelay anyway.
        var exponent = Math.Min(attempts - 1, 62);
        var ceiling = _options.BaseDelay.Ticks * Math.Pow(2, exponent);
        return ceiling >= _options.MaxDelay.Ticks ? _options.MaxDelay : TimeSpan.FromTicks((long)ceiling);
    }

    /// <summary>
    /// Decides after the <paramref name="attempts"/>-th failed attempt (≥ 1) that ended with <paramref name="status"/>.
    /// </summary>
    /// <param name="status">The call's gRPC status (not OK).</param>
    /// <param name="attempts">How many attempts were made so far, this one included.</param>
    /// <param name="detail">The status detail from Central, quoted in the message.</param>
    public RetryDecision Decide(StatusCode status, int attempts, string? detail = null)
    {
        if (status == StatusCode.OK)
        {
            throw new ArgumentException("OK is not a failure.", nameof(status));
        }

        if (!IsRetryable(status))
        {
            return new RetryDecision(false, TimeSpan.Zero, null, FailureNote.CallFailed(false, status, detail));
        }

        var delay = TimeSpan.FromTicks((long)(_random.NextDouble() * Ceiling(attempts).Ticks));
        return new RetryDecision(true, delay, _time.GetUtcNow() + delay, FailureNote.CallFailed(true, status, detail));
    }
}
