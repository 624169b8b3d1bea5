using System.Text.RegularExpressions;
using ScottPlot;

namespace AyaQC.Reports.Charts;

/// <summary>
/// One drawn chart: inline SVG for pages and HTML reports (text stays as &lt;text&gt;), PNG for downloads.
/// Made by <see cref="ChartDrawing"/>; rendering is not thread-safe for one chart, so each caller draws its own.
/// </summary>
public sealed partial class Chart
{
    internal Chart(Plot plot, string title, int width, int height)
    {
        Plot = plot;
        Title = title;
        Width = width;
        Height = height;
    }

    internal Plot Plot { get; }
    public string Title { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>
    /// An &lt;svg&gt; element (no XML declaration, so it can sit inside HTML) with a viewBox, so CSS can scale it to a
    /// phone's width, and role/aria-label naming it for screen readers. Text elements hold their text without the
    /// surrounding indentation ScottPlot writes.
    /// </summary>
    public string Svg()
    {
        var svg = Plot.GetSvgXml(Width, Height);
        var at = svg.IndexOf("<svg", StringComparison.Ordinal);
        var close = svg.IndexOf('>', at);
        var attributes = $" role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(Title)}\"";
        if (!svg.AsSpan(at, close - at).Contains("viewBox", StringComparison.Ordinal)) attributes += $" viewBox=\"0 0 {Width} {Height}\"";
        return TextContent().Replace(string.Concat(svg.AsSpan(at, close - at), attributes, svg.AsSpan(close)), "$1$2$3");
    }

    [GeneratedRegex(@"(<text[^>]*>)\s*([^<]*?)\s*(</text>)")]
    private static partial Regex TextContent();
    public byte[] Png() => Plot.GetImage(Width, Height).GetImageBytes(ImageFormat.Png, 100);
}
