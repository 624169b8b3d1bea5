using System.Globalization;
using System.Text;

namespace AyaQC.Core.Charts;

/// <summary>
/// Small server-side SVG charts for HTML reports and pages (the seam where a charting package could go).
/// Output is a self-contained <c>&lt;svg&gt;</c> element: no scripts, no external fonts or styles, stable for the
/// same input so reports can be diffed.
/// </summary>
public static class SvgChart
{
    const int Width = 640, Height = 320;
    const int Left = 56, Right = 16, Top = 36, Bottom = 56;
    const string BarColor = "#3b6ea5";

    /// <summary>
    /// Histogram of <paramref name="values"/> in <paramref name="bins"/> equal-width bins over [min, max]
    /// (by default the data's range). Values outside the range are counted in the first or last bin, whose
    /// label then reads "≤" or "≥"; NaN is ignored.
    /// </summary>
    public static string Histogram(string title, IEnumerable<double> values, int bins, string xLabel,
        double? min = null, double? max = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var data = values.Where(v => !double.IsNaN(v)).ToArray();
        var lo = min ?? (data.Length > 0 ? data.Min() : 0);
        var hi = max ?? (data.Length > 0 ? data.Max() : 1);
        if (hi <= lo) hi = lo + 1;
        var counts = new double[bins];
        bool below = false, above = false;
        foreach (var v in data)
        {
            below |= v < lo;
            above |= v > hi;
            var bin = (int)Math.Floor((v - lo) / (hi - lo) * bins);
            counts[Math.Clamp(bin, 0, bins - 1)]++;
        }
        var labels = new string[bins];
        var width = (hi - lo) / bins;
        for (var i = 0; i < bins; i++)
        {
            var from = lo + i * width;
            labels[i] = i == 0 && below ? "≤" + Number(from + width)
                : i == bins - 1 && above ? "≥" + Number(from)
                : Number(from);
        }
        return Render(title, labels, counts, xLabel, "rows", gap: 1);
    }

    /// <summary>Histogram of counts already binned by the caller, one label per bin.</summary>
    public static string Histogram(string title, IReadOnlyList<string> binLabels, IReadOnlyList<double> counts, string xLabel)
    {
        if (binLabels.Count != counts.Count) throw new ArgumentException("labels and counts differ in length", nameof(counts));
        return Render(title, binLabels, counts, xLabel, "rows", gap: 1);
    }

    /// <summary>Vertical bar chart, one bar per label.</summary>
    public static string Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string? yLabel = null)
    {
        if (labels.Count != values.Count) throw new ArgumentException("labels and values differ in length", nameof(values));
        return Render(title, labels, values, xLabel: null, yLabel, gap: 8);
    }

    static string Render(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string? xLabel, string? yLabel, int gap)
    {
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        var maxValue = values.Count == 0 ? 0 : values.Max();
        var yMax = NiceCeiling(maxValue);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Escape(title)}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append($"<title>{Escape(title)}</title>");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>");

        // Horizontal grid lines with value labels.
        for (var k = 0; k <= 4; k++)
        {
            var v = yMax * k / 4;
            var y = Top + plotH - plotH * k / 4.0;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#dddddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Number(v)}</text>");
        }

        var n = Math.Max(1, values.Count);
        var slot = (double)plotW / n;
        var labelEvery = Math.Max(1, (int)Math.Ceiling(n / (plotW / 40.0)));
        for (var i = 0; i < values.Count; i++)
        {
            var h = yMax > 0 ? plotH * values[i] / yMax : 0;
            var x = Left + i * slot + gap / 2.0;
            var w = Math.Max(1, slot - gap);
            var y = Top + plotH - h;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{w:0.##}\" height=\"{h:0.##}\" fill=\"{BarColor}\"><title>{Escape(labels[i])}: {Number(values[i])}</title></rect>");
            if (i % labelEvery == 0)
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{x + w / 2:0.##}\" y=\"{Top + plotH + 14}\" text-anchor=\"middle\">{Escape(labels[i])}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{Top + plotH}\" y2=\"{Top + plotH}\" stroke=\"#333333\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Top + plotH}\" stroke=\"#333333\"/>");
        if (xLabel != null)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        if (yLabel != null)
            svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(14 {Top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>1, 2 or 5 times a power of ten at or above <paramref name="v"/>, so axis labels are round.</summary>
    static double NiceCeiling(double v)
    {
        if (v <= 0) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var m in new[] { 1.0, 2, 5, 10 })
            if (m * power >= v) return m * power;
        return 10 * power;
    }

    static string Number(double v) => Math.Abs(v - Math.Round(v)) < 1e-9
        ? Math.Round(v).ToString(CultureInfo.InvariantCulture)
        : v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Escapes text for XML/HTML content and attributes.</summary>
    public static string Escape(string s) => s
        .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");
}
