using System.Globalization;
using System.Xml.Linq;
using Transmission.Central.Dashboard.Charts;

namespace Transmission.Central.Tests.Dashboard.Charts;

public sealed class GroupedBarChartSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly BarChart Sample = new("Mayor of Prizren",
    [
        new BarChartRow("Arta Krasniqi", 1200, 1000),
        new BarChartRow("Bekim Gashi", 600, 600),
        new BarChartRow("Blank", 0, 0),
    ]);

    [Fact]
    public void Render_Sample_IsOneAccessibleSvgImageNamedByTitleAndDescribedWithEveryNumber()
    {
        var svg = Parse(GroupedBarChartSvg.Render(Sample, "mayor"));

        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal("mayor-title mayor-desc", (string?)svg.Attribute("aria-labelledby"));
        var title = svg.Element(Svg + "title")!;
        var desc = svg.Element(Svg + "desc")!;
        Assert.Equal("mayor-title", (string?)title.Attribute("id"));
        Assert.Equal("Mayor of Prizren", title.Value);
        Assert.Equal("mayor-desc", (string?)desc.Attribute("id"));
        Assert.Equal(
            "Provisional and certified votes per choice: Arta Krasniqi: provisional 1,200, certified 1,000; Bekim Gashi: provisional 600, certified 600; Blank: provisional 0, certified 0.",
            desc.Value);
        Assert.Same(svg.Elements().First(), title);
    }

    [Fact]
    public void Render_Sample_ProvisionalAndCertifiedBarSideBySidePerChoiceWithLabelsAndNumbers()
    {
        var svg = Parse(GroupedBarChartSvg.Render(Sample));

        var rows = svg.Elements(Svg + "g").Where(g => (string?)g.Attribute("class") == "row").ToList();
        Assert.Equal(3, rows.Count);
        var first = rows[0];
        Assert.Equal("Arta Krasniqi", first.Elements(Svg + "text").Single(t => (string?)t.Attribute("class") == "label").Value);
        Assert.Equal(["bar-provisional", "bar-certified"], first.Elements(Svg + "rect").Select(r => (string?)r.Attribute("class")));
        Assert.Equal(["1,200", "1,000"], first.Elements(Svg + "text").Where(t => (string?)t.Attribute("class") == "value").Select(t => t.Value));
        var bars = first.Elements(Svg + "rect").ToList();
        Assert.True(Y(bars[1]) > Y(bars[0]), "certified is drawn below provisional");
    }

    [Fact]
    public void Render_Scale_LargestCountSpansTheBarAreaOthersProportional()
    {
        var widths = BarWidths(GroupedBarChartSvg.Render(Sample));

        // Bar area 420: 1200 → 420, 1000 → 350, 600 → 210, 0 → 0.
        Assert.Equal([420m, 350m, 210m, 210m, 0m, 0m], widths);
    }

    [Fact]
    public void Render_AllCountsZero_EveryBarEmptyNoDivisionByZero()
    {
        var chart = new BarChart("Nothing counted yet", [new BarChartRow("A", 0, 0), new BarChartRow("B", 0, 0)]);

        var widths = BarWidths(GroupedBarChartSvg.Render(chart));

        Assert.Equal([0m, 0m, 0m, 0m], widths);
    }

    [Fact]
    public void Render_NoRows_SaysSoAndIsStillWellFormed()
    {
        var svg = Parse(GroupedBarChartSvg.Render(new BarChart("Empty", [])));

        Assert.Equal("No choices to show.", svg.Element(Svg + "desc")!.Value);
        Assert.Contains(svg.Elements(Svg + "text"), t => t.Value == "No choices to show.");
    }

    [Fact]
    public void Render_MarkupInTitleAndLabels_EscapedNeverInterpreted()
    {
        var chart = new BarChart("</title><script>alert(1)</script>", [new BarChartRow("<b onclick=\"x()\">Tom & 'Jerry'</b>", 3, 2)]);

        var output = GroupedBarChartSvg.Render(chart);

        Assert.DoesNotContain("<script", output, StringComparison.Ordinal);
        Assert.DoesNotContain("<b ", output, StringComparison.Ordinal);
        Assert.Contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;", output, StringComparison.Ordinal);
        Assert.Contains("&lt;b onclick=&quot;x()&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;", output, StringComparison.Ordinal);
        var svg = Parse(output);
        Assert.Equal("</title><script>alert(1)</script>", svg.Element(Svg + "title")!.Value);
        Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName is "script" or "b");
    }

    [Fact]
    public void Escape_ControlCharactersAndLoneSurrogates_ReplacedLineBreaksBecomeSpaces()
    {
        Assert.Equal("a b c\uFFFDd\uFFFDe\uFFFD", GroupedBarChartSvg.Escape("a\nb\tc\u0000d\u0085e\uD800"));
        Assert.Equal("Prishtin\u00EB \U0001F5F3", GroupedBarChartSvg.Escape("Prishtin\u00EB \U0001F5F3"));
    }

    [Fact]
    public void Render_LongLabel_CutWithEllipsisButWholeInTheDescription()
    {
        var label = new string('x', 40);
        var svg = Parse(GroupedBarChartSvg.Render(new BarChart("Long", [new BarChartRow(label, 1, 1)])));

        var drawn = svg.Descendants(Svg + "text").Single(t => (string?)t.Attribute("class") == "label").Value;
        Assert.Equal(new string('x', GroupedBarChartSvg.MaxLabelLength - 1) + "\u2026", drawn);
        Assert.Contains(label, svg.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sr-Latn", "Privremeno", "Overeno", "Privremeni i overeni glasovi po izboru: Arta Krasniqi: privremeno 1.200, overeno 1.000; Bekim Gashi: privremeno 600, overeno 600; Blank: privremeno 0, overeno 0.")]
    [InlineData("sq", "Paraprake", "Të certifikuara", "Vota paraprake dhe të certifikuara për çdo zgjedhje: Arta Krasniqi: paraprake 1\u00A0200, të certifikuara 1\u00A0000; Bekim Gashi: paraprake 600, të certifikuara 600; Blank: paraprake 0, të certifikuara 0.")]
    [InlineData("en", "Provisional", "Certified", "Provisional and certified votes per choice: Arta Krasniqi: provisional 1,200, certified 1,000; Bekim Gashi: provisional 600, certified 600; Blank: provisional 0, certified 0.")]
    public void Render_InTheVerifiersLanguage_ItsWordsAndNumbersAndTheSameBytesEachTime(string language, string provisional, string certified, string description)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
            var output = GroupedBarChartSvg.Render(Sample);
            var again = GroupedBarChartSvg.Render(Sample with { Rows = [.. Sample.Rows] });

            var svg = Parse(output);
            var legend = svg.Elements(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend").Elements(Svg + "text").Select(t => t.Value).ToArray();
            Assert.Equal([provisional, certified], legend);
            // Albanian groups thousands with a space: ICU writes U+00A0 or the narrow U+202F depending on its version.
            Assert.Equal(description, svg.Element(Svg + "desc")!.Value.Replace('\u202F', '\u00A0'));
            Assert.Equal(output, again);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    [Fact]
    public void Render_NegativeCount_Throws()
    {
        var chart = new BarChart("Broken", [new BarChartRow("A", -1, 0)]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GroupedBarChartSvg.Render(chart));

        Assert.Contains("Row 0 ('A') has a negative count", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1chart")]
    [InlineData("chart\" onload=\"x()")]
    public void Render_UnsafeId_Throws(string id)
    {
        Assert.Throws<ArgumentException>(() => GroupedBarChartSvg.Render(Sample, id));
    }

    [Fact]
    public void Render_HugeCounts_ScaleWithoutOverflow()
    {
        var chart = new BarChart("Huge", [new BarChartRow("A", long.MaxValue, long.MaxValue / 2)]);

        Assert.Equal([420m, 210m], BarWidths(GroupedBarChartSvg.Render(chart)));
    }

    private static XElement Parse(string svg) => XElement.Parse(svg);

    private static decimal Y(XElement rect) => decimal.Parse((string)rect.Attribute("y")!, CultureInfo.InvariantCulture);

    private static decimal[] BarWidths(string svg) =>
        [.. Parse(svg).Elements(Svg + "g")
            .Where(g => (string?)g.Attribute("class") == "row")
            .SelectMany(g => g.Elements(Svg + "rect"))
            .Select(r => decimal.Parse((string)r.Attribute("width")!, CultureInfo.InvariantCulture))];
}
