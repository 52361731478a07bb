namespace Transmission.Central.Hosting;

/// <summary>
/// Central's clock at whole microseconds. PostgreSQL's timestamptz keeps microseconds, .NET ticks are 100 ns: a time
/// signed into a receipt or a decision's log entry must read back from the database as exactly the same instant, on
/// either provider, so every time Central records starts at the precision both stores keep.
/// </summary>
internal sealed class MicrosecondTimeProvider(TimeProvider inner) : TimeProvider
{
    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <inheritdoc/>
    public override long TimestampFrequency => inner.TimestampFrequency;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        var now = inner.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMicrosecond));
    }

    /// <inheritdoc/>
    public override long GetTimestamp() => inner.GetTimestamp();

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
