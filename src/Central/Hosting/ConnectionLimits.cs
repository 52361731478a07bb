using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Transmission.Central.Hosting;

/// <summary>
/// What one client may take of Central's HTTP/2 endpoint ("Central:Limits"), applied to Kestrel: stations share the
/// server with whoever holds a valid certificate, including a misbehaving or hostile device, and the well-behaved ones
/// must still be served (docs/reliability.md, "HTTP/2 abuse"). The defaults are explicit rather than Kestrel's, so a
/// Kestrel upgrade cannot move them silently.
/// </summary>
public sealed class ConnectionLimits
{
    /// <summary>
    /// Open connections Central accepts at once; beyond it Kestrel closes new connections at once. Null is unlimited.
    /// Defaults to 20,000 (a large country's station count split over several instances, plus verifiers).
    /// </summary>
    public long? MaxConcurrentConnections { get; set; } = 20_000;

    /// <summary>
    /// Concurrent HTTP/2 streams (calls) per connection, announced in SETTINGS_MAX_CONCURRENT_STREAMS; a stream over it
    /// is refused with RST_STREAM REFUSED_STREAM. Defaults to 100 (a station needs one at a time).
    /// </summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>
    /// Total size of one request's headers, in bytes; a larger header block ends the connection (HTTP/2 has no way to
    /// refuse one stream's headers without decoding them). Defaults to 16,384 (16 KiB; a gRPC call sends well under 1 KiB).
    /// </summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 16 * 1024;

    /// <summary>Headers in one request. Defaults to 64.</summary>
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>
    /// How long a connection with no open stream is kept before Kestrel closes it. Defaults to 2 minutes (a station
    /// reconnects cheaply; an idle connection holds a TLS session and buffers).
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a client may take to send a request's headers (a HEADERS frame with its CONTINUATIONs), and, for a new
    /// connection, its preface. Defaults to 15 seconds.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Slowest accepted request body (a station's upload) in bytes per second, after <see cref="MinDataRateGracePeriod"/>;
    /// a slower call is ended. Also enforced on gRPC calls: Central's only client-streaming call (Submit) is written
    /// without pauses (the station sends a whole submission, then completes). Defaults to 240 (Kestrel's figure: a
    /// poor mobile link is thousands). Zero turns the check off.
    /// </summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>
    /// Slowest accepted reading of a response in bytes per second (a client that stops reading, or keeps its flow
    /// control window at zero), after <see cref="MinDataRateGracePeriod"/>; the connection is then closed. Defaults to
    /// 240. Zero turns the check off.
    /// </summary>
    public double MinResponseBytesPerSecond { get; set; } = 240;

    /// <summary>How long a transfer may run below the minimum rates before it counts. Defaults to 5 seconds.</summary>
    public TimeSpan MinDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Returns the first problem as one readable line, or null.</summary>
    public string? Validate()
    {
        if (MaxConcurrentConnections is < 1)
        {
            return $"Central:Limits:MaxConcurrentConnections {MaxConcurrentConnections} must be at least 1 (or unset for no limit).";
        }

        if (MaxStreamsPerConnection is < 1 or > 10_000)
        {
            return $"Central:Limits:MaxStreamsPerConnection {MaxStreamsPerConnection} is not between 1 and 10000.";
        }

        if (MaxRequestHeadersTotalSize is < 4096 or > 1024 * 1024)
        {
            return $"Central:Limits:MaxRequestHeadersTotalSize {MaxRequestHeadersTotalSize} is not between 4096 and 1048576 bytes.";
        }

        if (MaxRequestHeaderCount is < 16 or > 1000)
        {
            return $"Central:Limits:MaxRequestHeaderCount {MaxRequestHeaderCount} is not between 16 and 1000.";
        }

        if (KeepAliveTimeout < TimeSpan.FromSeconds(1) || KeepAliveTimeout > TimeSpan.FromHours(1))
        {
            return $"Central:Limits:KeepAliveTimeout {KeepAliveTimeout} is not between 00:00:01 and 01:00:00.";
        }

        if (RequestHeadersTimeout < TimeSpan.FromSeconds(1) || RequestHeadersTimeout > TimeSpan.FromMinutes(5))
        {
            return $"Central:Limits:RequestHeadersTimeout {RequestHeadersTimeout} is not between 00:00:01 and 00:05:00.";
        }

        if (MinRequestBodyBytesPerSecond < 0 || MinResponseBytesPerSecond < 0 || double.IsNaN(MinRequestBodyBytesPerSecond) || double.IsNaN(MinResponseBytesPerSecond))
        {
            return "Central:Limits:MinRequestBodyBytesPerSecond and MinResponseBytesPerSecond cannot be negative.";
        }

        if (MinDataRateGracePeriod < TimeSpan.FromSeconds(1) || MinDataRateGracePeriod > TimeSpan.FromMinutes(5))
        {
            return $"Central:Limits:MinDataRateGracePeriod {MinDataRateGracePeriod} is not between 00:00:01 and 00:05:00.";
        }

        return null;
    }

    /// <summary>Sets these limits on Kestrel.</summary>
    internal void ApplyTo(KestrelServerLimits limits)
    {
        limits.MaxConcurrentConnections = MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = MaxConcurrentConnections;
        limits.Http2.MaxStreamsPerConnection = MaxStreamsPerConnection;
        limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = MaxRequestHeaderCount;

        // One field may be as large as the whole block; Kestrel's HPACK decoder then refuses anything larger.
        limits.Http2.MaxRequestHeaderFieldSize = MaxRequestHeadersTotalSize;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.MinRequestBodyDataRate = MinRequestBodyBytesPerSecond > 0 ? new MinDataRate(MinRequestBodyBytesPerSecond, MinDataRateGracePeriod) : null;
        limits.MinResponseDataRate = MinResponseBytesPerSecond > 0 ? new MinDataRate(MinResponseBytesPerSecond, MinDataRateGracePeriod) : null;
    }
}
