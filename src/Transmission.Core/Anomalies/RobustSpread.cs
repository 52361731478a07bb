namespace Transmission.Core.Anomalies;

/// <summary>
/// Where a set of values centres and how far it spreads, robustly: the median and the median absolute deviation
/// (MAD), with the mean absolute deviation from the median kept for when the MAD is 0. Invariant: <see cref="Count"/>
/// ≥ 1, all three figures are finite and the two deviations are non-negative.
/// </summary>
/// <remarks>
/// The modified z-score of Iglewicz and Hoaglin (1993), "How to Detect and Handle Outliers":
/// z = 0.6745 × (x − median) / MAD, 0.6745 being the 0.75 quantile of the standard normal distribution, so that z is
/// comparable to an ordinary z-score for normal data. When more than half the values are equal the MAD is 0; then
/// (the Iglewicz–Hoaglin / IBM SPSS convention) z = (x − median) / (1.253314 × mean absolute deviation), 1.253314 = √(π/2) being the ratio of
/// the standard deviation to the mean absolute deviation for normal data. When both are 0 every value is the median
/// and no value has a score.
/// </remarks>
internal readonly record struct RobustSpread(int Count, double Median, double Mad, double MeanAbsoluteDeviation)
{
    private const double MadScale = 0.6745;
    private const double MeanAbsoluteDeviationScale = 1.253314;

    /// <summary>The spread of <paramref name="values"/> (not changed); O(n log n), two sorts of a copy.</summary>
    public static RobustSpread Of(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("The spread of no values is undefined.", nameof(values));
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var median = MedianOfSorted(sorted);
        var sum = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            // Reusing the buffer: the deviations are all that is needed from here on.
            sorted[i] = Math.Abs(sorted[i] - median);
            sum += sorted[i];
        }

        Array.Sort(sorted);
        return new RobustSpread(sorted.Length, median, MedianOfSorted(sorted), sum / sorted.Length);
    }

    /// <summary>Whether <see cref="Score"/> gives a score: the values are not all equal.</summary>
    public bool HasScores => Mad > 0 || MeanAbsoluteDeviation > 0;

    /// <summary>The modified z-score of <paramref name="value"/>; 0 when the values were all equal (no spread to compare against).</summary>
    public double Score(double value) =>
        Mad > 0 ? MadScale * (value - Median) / Mad
        : MeanAbsoluteDeviation > 0 ? (value - Median) / (MeanAbsoluteDeviationScale * MeanAbsoluteDeviation)
        : 0;

    private static double MedianOfSorted(double[] sorted)
    {
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
