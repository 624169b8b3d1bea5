using System.Globalization;
using System.Xml.Linq;
using AyaQC.Reports.Charts;
using FsCheck;
using FsCheck.Xunit;
using SkiaSharp;

namespace AyaQC.Reports.Tests;

public class DrawTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    static IReadOnlyList<Chart> EveryKind() =>
    [
        Draw.Histogram("Histogram ⟨hist⟩", HistogramBin.Of([0.1, 0.2, 0.25, 0.9], 4, 0, 1), "value"),
        Draw.Bars("Bars", ["a", "b"], [3, 1], "rows"),
        Draw.Leaderboard("Leaderboard", [new("Amina", 0.9, 0.8, 0.95, LeaderboardMark.Pass), new("Baraka", 0.5, 0.3, 0.7, LeaderboardMark.Fail)], "accuracy", 0.7),
        Draw.Heatmap("Heatmap", ["Amina", "Baraka"], ["omission", "word_sense"], new[,] { { 0.9, double.NaN }, { 0.2, 0.5 } }),
        Draw.Line("Line", [new LineSeries("alpha", [1, 2, 3], [0.5, 0.6, 0.7]), new LineSeries("kappa", [1, 2, 3], [0.4, 0.5, 0.6])], "day", "agreement"),
        Draw.Roc("ROC", [new RocSeries("trees", 0.85, [new(0, 0), new(0.1, 0.6), new(0.4, 0.9), new(1, 1)]),
            new RocSeries("baseline", 0.8, [new(0, 0), new(0.2, 0.6), new(1, 1)])]),
        Draw.Calibration("Calibration", [new(0.1, 0.15, 40), new(0.5, 0.45, 30), new(0.9, 0.88, 1230)]),
        Draw.HorizontalBars("Importance", ["crowd_p_good", "mt_score"], [0.21, -0.004], "AUC drop"),
    ];

    [Fact]
    public void Every_kind_draws_an_svg_whose_title_and_labels_are_text_elements()
    {
        foreach (var chart in EveryKind())
        {
            var svg = chart.Svg();
            var doc = XDocument.Parse(svg);
            Assert.Equal("img", (string?)doc.Root!.Attribute("role"));
            Assert.NotNull(doc.Root.Attribute("viewBox"));
            var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
            Assert.Contains(chart.Title, texts);
            Assert.True(texts.Count >= 4, $"{chart.Title}: only {texts.Count} text elements");
            Assert.Contains(ChartFont.Family, svg);
        }
    }

    [Fact]
    public void Names_and_cell_values_are_written_on_the_charts()
    {
        var charts = EveryKind();
        Assert.Contains(">Amina<", charts[2].Svg());
        Assert.Contains("(dashed line: pass at 0.7)<", charts[2].Svg());
        var heat = charts[3].Svg();
        Assert.Contains(">0.90<", heat);
        Assert.Contains(">–<", heat);
        Assert.Contains(">word_sense<", heat);
        Assert.Contains(">trees, AUC 0.850<", charts[5].Svg());
        Assert.Contains(">baseline, AUC 0.800<", charts[5].Svg());
        Assert.Contains(">n=1,230<", charts[6].Svg());
        var importance = charts[7].Svg();
        Assert.Contains(">crowd_p_good<", importance);
        Assert.Contains(">0.210<", importance);
        Assert.Contains(">-0.004<", importance);
    }

    [Fact]
    public void Text_is_escaped_in_svg()
    {
        var svg = Draw.Bars("a <b> & \"c\"", ["<x>"], [1]).Svg();
        XDocument.Parse(svg); // well-formed
        Assert.DoesNotContain("<x>", svg);
    }

    [Fact]
    public void Charts_draw_with_the_embedded_typeface_not_a_system_font()
    {
        Draw.Bars("x", ["a"], [1]); // registers
        var resolved = ScottPlot.Fonts.GetTypeface(ChartFont.Family, bold: false, italic: false);
        Assert.Same(ChartFont.Typeface, resolved);
        Assert.Equal("DejaVu Sans", ChartFont.Typeface.FamilyName);
        Assert.True(ChartFont.Typeface.GlyphCount > 1000);
        using var font = ChartFont.Typeface.ToFont(12);
        Assert.NotEqual(0, font.GetGlyphs("Habari ≥ 0.7")[0]); // glyphs for what we write, not .notdef
    }

    [Fact]
    public void Png_has_the_title_drawn_in_dark_pixels()
    {
        var chart = Draw.Bars("A title that must be visible", ["a", "b"], [2, 5], "rows");
        var png = chart.Png();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.True(DarkPixels(png, top: 0, rows: 28) > 150, "no title pixels in the PNG");
    }

    /// <summary>Pixels darker than mid-grey in a horizontal strip of a PNG.</summary>
    public static int DarkPixels(byte[] png, int top, int rows)
    {
        using var bitmap = SKBitmap.Decode(png);
        var dark = 0;
        for (var y = top; y < Math.Min(bitmap.Height, top + rows); y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 3 * 110) dark++;
            }
        return dark;
    }

    /// <summary>Whatever the counts, a count axis never shows 0.5 or 1.5 rows.</summary>
    [Property(MaxTest = 60)]
    public void Count_axes_have_integer_ticks_only(NonNegativeInt[] counts, bool histogram)
    {
        var values = counts.Take(12).Select(c => c.Get % 50).ToArray();
        var chart = histogram
            ? Draw.Histogram("h", values.Select((v, i) => new HistogramBin(i * 0.1, (i + 1) * 0.1, v)).ToList(), "x")
            : Draw.Bars("b", values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList(), values.Select(v => (double)v).ToList(), "rows");
        var svg = chart.Svg(); // rendering places the ticks
        var ticks = chart.Plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).ToList();
        Assert.NotEmpty(ticks);
        Assert.All(ticks, t => Assert.Equal(Math.Round(t.Position), t.Position, 9));
        Assert.All(ticks, t => Assert.True(t.Label.Length == 0 || int.TryParse(t.Label, NumberStyles.Integer, CultureInfo.InvariantCulture, out _), $"tick label '{t.Label}'"));
        var top = ticks.Max(t => t.Position);
        Assert.True(chart.Plot.Axes.Left.Range.Max >= values.DefaultIfEmpty(0).Max(), "tallest bar cut off");
        Assert.Contains(">0<", svg);
        _ = top;
    }

    [Fact]
    public void Histogram_bins_count_every_value_and_clamp_outliers_into_the_edge_bins()
    {
        var bins = HistogramBin.Of([0.0, 0.1, 0.5, 0.99, 1.7, -0.2, double.NaN], 2, 0, 1);
        Assert.Equal([3, 3], bins.Select(b => b.Count));
        Assert.Equal([0.0, 0.5], bins.Select(b => b.From));
    }

    [Fact]
    public void Mismatched_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Draw.Bars("x", ["a"], [1, 2]));
        Assert.Throws<ArgumentException>(() => Draw.Heatmap("x", ["a"], ["b", "c"], new double[1, 1]));
        Assert.Throws<ArgumentException>(() => Draw.Line("x", [new LineSeries("s", [1, 2], [1])], "x", "y"));
    }
}
