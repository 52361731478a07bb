namespace Transmission.Central.Dashboard.Charts;

/// <summary>What a grouped bar chart shows: per choice, the provisional and the certified count.</summary>
/// <param name="Title">The chart's title; also its accessible name.</param>
/// <param name="Rows">One row per choice, drawn top to bottom in this order.</param>
public sealed record BarChart(string Title, IReadOnlyList<BarChartRow> Rows);

/// <summary>One choice in a <see cref="BarChart"/>. Invariant (checked when drawn): both counts are non-negative.</summary>
/// <param name="Label">The choice's name as shown next to its bars.</param>
/// <param name="Provisional">Votes from the latest revision of every protocol.</param>
/// <param name="Certified">Votes from accepted protocols only.</param>
public sealed record BarChartRow(string Label, long Provisional, long Certified);
