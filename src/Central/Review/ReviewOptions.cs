using Transmission.Core.Anomalies;

namespace Transmission.Central.Review;

/// <summary>Settings of the review board (configuration section <c>Central:Review</c>).</summary>
public sealed class ReviewOptions
{
    /// <summary>Thresholds of the anomaly flags (<c>Central:Review:Anomalies</c>).</summary>
    public AnomalyOptions Anomalies { get; set; } = new();

    /// <summary>
    /// How often the board looks for log entries appended by other Central instances sharing the database. Its own
    /// commits wake it at once. Defaults to 2 seconds.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The least time between two totals sent to one WatchTotals caller. Defaults to 500 ms.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Null when valid; otherwise one sentence naming the setting.</summary>
    public string? Validate()
    {
        if (Anomalies is null)
        {
            return "Central:Review:Anomalies is missing.";
        }

        if (Anomalies.Validate() is { } problem)
        {
            return "Central:" + problem;
        }

        if (PollInterval < TimeSpan.FromMilliseconds(10) || PollInterval > TimeSpan.FromMinutes(10))
        {
            return $"Central:Review:PollInterval {PollInterval} must be between 10 ms and 10 minutes.";
        }

        if (WatchInterval < TimeSpan.Zero || WatchInterval > TimeSpan.FromMinutes(1))
        {
            return $"Central:Review:WatchInterval {WatchInterval} must be between 0 and 1 minute.";
        }

        return null;
    }
}
