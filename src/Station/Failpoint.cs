using Transmission.Cli.Localization;
using Transmission.Station.Localization;

namespace Transmission.Station;

/// <summary>
/// Fault-test failpoints (docs/reliability.md, "Fault injection"): when the environment variable
/// <see cref="Variable"/> names a point, the process stops there for good, after one warning line on stderr, so that a
/// test can SIGKILL it at exactly that point of the station's work. Without the variable (every real run) nothing happens.
/// </summary>
internal static class Failpoint
{
    /// <summary>The environment variable that names the point to stop at.</summary>
    public const string Variable = "TRANSMISSION_FAILPOINT";

    /// <summary>In <c>protocol sign</c>: the signed envelope is in the outbox (state Signed), not yet queued for sending.</summary>
    public const string AfterSignBeforeQueue = "after-sign-before-queue";

    /// <summary>In <c>send</c>: the first protocol's envelope is written to Central, its attachments and end not yet.</summary>
    public const string MidSend = "mid-send";

    /// <summary>In <c>send</c>: Central's receipt arrived and verified, and is not yet stored in the outbox.</summary>
    public const string AfterReceiptBeforeStore = "after-receipt-before-store";

    private static readonly string? Active = Environment.GetEnvironmentVariable(Variable);

    /// <summary>Stops here for good if <see cref="Variable"/> names <paramref name="point"/>.</summary>
    public static void Reach(string point)
    {
        if (!string.Equals(Active, point, StringComparison.Ordinal))
        {
            return;
        }

        Console.Error.WriteLine(Localized.Format(StationText.FailpointReached, point, Variable));
        Console.Error.Flush();
        Thread.Sleep(Timeout.Infinite);
    }
}
