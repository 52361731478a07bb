using System.Globalization;
using System.Text;
using Transmission.Central.Dashboard.Localization;

namespace Transmission.Central.Dashboard.Charts;

/// <summary>
/// Draws a <see cref="BarChart"/> as inline SVG on the server: per choice a provisional and a certified horizontal bar
/// side by side, each with its number, on one scale (the largest count spans the bar area). No script, no inline
/// <c>style</c> (the dashboard's Content-Security-Policy allows neither): colours are presentation attributes that
/// the dashboard's style sheet may override through the <c>bar-provisional</c> and <c>bar-certified</c> classes.
/// </summary>
/// <remarks>
/// Accessible as one image (<c>role="img"</c>, named by its <c>&lt;title&gt;</c>, described by a <c>&lt;desc&gt;</c>
/// that lists every number, so a screen reader gets the data rather than the shapes). Every text from the input is
/// escaped for XML and HTML. Its own words and numbers are in the page's language and culture (<see cref="DashboardText"/>);
/// otherwise the output depends only on the input: no clock, no random ids.
/// </remarks>
public static class GroupedBarChartSvg
{
    /// <summary>The drawing's width in user units (also its intrinsic width in CSS pixels).</summary>
    public const int Width = 720;

    /// <summary>The longest label drawn in full, in text elements; longer ones are cut with an ellipsis (the description keeps them whole).</summary>
    public const int MaxLabelLength = 26;

    // A label of MaxLabelLength characters at 13 px is up to about 205 px wide in the usual sans-serif fonts; it is
    // right-aligned here, so a narrower margin pushed long labels off the drawing's left edge.
    private const int LabelRight = 214;
    private const int BarLeft = 222;
    private const decimal BarArea = 420;
    private const int ValueGap = 6;
    private const int LegendHeight = 30;
    private const int BarHeight = 16;
    private const int PairGap = 2;
    private const int RowPitch = 48;
    private const int BottomPadding = 6;
    private const string ProvisionalFill = "#9ecae1";
    private const string ProvisionalStroke = "#08519c";
    private const string CertifiedFill = "#08519c";

    /// <summary>
    /// The chart as an <c>&lt;svg&gt;</c> element, ready to be written into an HTML page as is.
    /// <paramref name="id"/> prefixes the ids of the title and description, so several charts can share a page.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a letter followed by up to 63 of <c>[A-Za-z0-9_-]</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row has a negative count (a bug in the caller: counts never are).</exception>
    public static string Render(BarChart chart, string id = "chart")
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(chart.Title);
        ArgumentNullException.ThrowIfNull(chart.Rows);
        CheckId(id);
        long max = 0;
        for (var i = 0; i < chart.Rows.Count; i++)
        {
            var row = chart.Rows[i] ?? throw new ArgumentException($"Row {i} is null.", nameof(chart));
            ArgumentNullException.ThrowIfNull(row.Label, $"{nameof(chart)}.Rows[{i}].Label");
            if (row.Provisional < 0 || row.Certified < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(chart), $"Row {i} ('{row.Label}') has a negative count: provisional {row.Provisional}, certified {row.Certified}.");
            }

            max = Math.Max(max, Math.Max(row.Provisional, row.Certified));
        }

        var height = chart.Rows.Count == 0 ? LegendHeight + RowPitch : LegendHeight + (chart.Rows.Count * RowPitch) + BottomPadding;
        var svg = new StringBuilder(512 + (chart.Rows.Count * 640));
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar-chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" font-size=\"13\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">").Append(Escape(chart.Title)).Append("</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-desc\">").Append(Escape(Describe(chart))).Append("</desc>");
        AppendLegend(svg);
        if (chart.Rows.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"empty\" x=\"{BarLeft}\" y=\"{LegendHeight + 24}\">").Append(Escape(DashboardStrings.ChartEmpty)).Append("</text>");
        }

        for (var i = 0; i < chart.Rows.Count; i++)
        {
            var row = chart.Rows[i];
            var top = LegendHeight + (i * RowPitch);
            svg.Append("<g class=\"row\">");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{LabelRight}\" y=\"{top + BarHeight + 5}\" text-anchor=\"end\">").Append(Escape(Shorten(row.Label))).Append("</text>");
            AppendBar(svg, "bar-provisional", top, row.Provisional, max, ProvisionalFill, ProvisionalStroke);
            AppendBar(svg, "bar-certified", top + BarHeight + PairGap, row.Certified, max, CertifiedFill, null);
            svg.Append("</g>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// <paramref name="text"/> made safe as XML character data and as an HTML attribute or text: <c>&amp; &lt; &gt; " '</c>
    /// become entities, tabs and line breaks become spaces, and anything XML 1.0 cannot carry (other control
    /// characters, lone surrogates, U+FFFE, U+FFFF) becomes U+FFFD.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#39;"); break;
                case '\t' or '\n' or '\r': escaped.Append(' '); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        escaped.Append(c).Append(text[i + 1]);
                        i++;
                    }
                    else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
                    {
                        escaped.Append('\uFFFD');
                    }
                    else
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        return escaped.ToString();
    }

    private static void AppendLegend(StringBuilder svg)
    {
        svg.Append("<g class=\"legend\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar-provisional\" x=\"{BarLeft}\" y=\"6\" width=\"14\" height=\"14\" fill=\"{ProvisionalFill}\" stroke=\"{ProvisionalStroke}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{BarLeft + 20}\" y=\"18\">").Append(Escape(DashboardStrings.ChartProvisional)).Append("</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar-certified\" x=\"{BarLeft + 120}\" y=\"6\" width=\"14\" height=\"14\" fill=\"{CertifiedFill}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{BarLeft + 140}\" y=\"18\">").Append(Escape(DashboardStrings.ChartCertified)).Append("</text>");
        svg.Append("</g>");
    }

    private static void AppendBar(StringBuilder svg, string cssClass, int top, long value, long max, string fill, string? stroke)
    {
        // max is 0 only when every count is 0: then every bar is empty rather than a division by zero.
        var width = max == 0 ? 0m : Math.Round(value * BarArea / max, 1, MidpointRounding.AwayFromZero);
        var strokeAttribute = stroke is null ? string.Empty : $" stroke=\"{stroke}\"";
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cssClass}\" x=\"{BarLeft}\" y=\"{top}\" width=\"{width:0.#}\" height=\"{BarHeight}\" fill=\"{fill}\"{strokeAttribute}/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{BarLeft + width + ValueGap:0.#}\" y=\"{top + BarHeight - 3}\">{Number(value)}</text>");
    }

    private static string Describe(BarChart chart)
    {
        if (chart.Rows.Count == 0)
        {
            return DashboardStrings.ChartEmpty;
        }

        var rows = chart.Rows.Select(row => DashboardText.Format(DashboardStrings.ChartDescriptionRow, row.Label, Number(row.Provisional), Number(row.Certified)));
        return DashboardText.Format(DashboardStrings.ChartDescription, string.Join("; ", rows));
    }

    private static string Number(long value) => DashboardText.Number(value);

    private static string Shorten(string label)
    {
        var info = new StringInfo(label);
        return info.LengthInTextElements <= MaxLabelLength ? label : info.SubstringByTextElements(0, MaxLabelLength - 1) + "\u2026";
    }

    private static void CheckId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var valid = id.Length is > 0 and <= 64
            && char.IsAsciiLetter(id[0])
            && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        if (!valid)
        {
            throw new ArgumentException($"Chart id '{Escape(id)}' is not a letter followed by up to 63 of [A-Za-z0-9_-].", nameof(id));
        }
    }
}
