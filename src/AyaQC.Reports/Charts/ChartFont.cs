using ScottPlot;
using SkiaSharp;

namespace AyaQC.Reports.Charts;

/// <summary>
/// The one typeface every chart draws with: DejaVu Sans, shipped inside this assembly (licence beside the TTF in
/// Fonts/). With no fonts installed ScottPlot silently draws no text, so charts never depend on the machine's fonts.
/// </summary>
public static class ChartFont
{
    /// <summary>The family name set on every plot (and written into SVG text).</summary>
    public const string Family = "DejaVu Sans";

    static readonly Lazy<SKTypeface> Loaded = new(Load);
    static int _registered;

    /// <summary>The embedded typeface.</summary>
    public static SKTypeface Typeface => Loaded.Value;

    /// <summary>Puts our resolver first in ScottPlot's list, once per process.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        lock (Fonts.FontResolvers) Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
    }

    static SKTypeface Load()
    {
        using var stream = typeof(ChartFont).Assembly.GetManifestResourceStream("AyaQC.Reports.DejaVuSans.ttf")
            ?? throw new InvalidOperationException("the embedded chart font AyaQC.Reports.DejaVuSans.ttf is missing from the assembly");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("the embedded chart font could not be read");
    }

    /// <summary>Answers for <see cref="Family"/> with the embedded face (regular and bold both: one file keeps us small).</summary>
    sealed class EmbeddedFontResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
            string.Equals(fontName, Family, StringComparison.OrdinalIgnoreCase) ? Typeface : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            string.Equals(fontName, Family, StringComparison.OrdinalIgnoreCase) ? Typeface : null;
    }
}
