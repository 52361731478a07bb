using System.Globalization;

namespace Transmission.Core.Anomalies;

/// <summary>
/// How numbers, percentages and times are written in <see cref="AnomalyFlag.Message"/>: invariant culture with
/// thousands separators ("1,205"), percentages with one decimal ("96.4 %"), times in UTC to the minute.
/// </summary>
internal static class AnomalyText
{
    /// <summary>A count with thousands separators: 1,205.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage with one decimal, without the sign: 0.964 → 96.4.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("#,##0.0", CultureInfo.InvariantCulture);

    /// <summary>A configured fraction as a percentage with only the decimals it needs: 0.9 → 90, 0.955 → 95.5.</summary>
    public static string ThresholdPercent(double fraction) => (fraction * 100).ToString("#,##0.##", CultureInfo.InvariantCulture);

    /// <summary>A z-score with one decimal: 5.1, -6.3.</summary>
    public static string Score(double z) => z.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>A configured number as written (shortest round trip): 3.5.</summary>
    public static string Plain(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A time in UTC, <c>2026-02-09 05:12</c>; seconds and fractions are shown only when not zero, so a signature
    /// at 05:00:30 is not written as 05:00 next to a window that closes at 05:00.
    /// </summary>
    public static string UtcTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var format = utc.Ticks % TimeSpan.TicksPerMinute == 0 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd HH:mm:ss.FFFFFFF";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Named numbers for <see cref="AnomalyFlag.Numbers"/>, in the order given.</summary>
    public static Dictionary<string, double> Numbers(params ReadOnlySpan<(string Name, double Value)> numbers)
    {
        var result = new Dictionary<string, double>(numbers.Length, StringComparer.Ordinal);
        foreach (var (name, value) in numbers)
        {
            result.Add(name, value);
        }

        return result;
    }
}
