using System.Globalization;
using ScottPlot;

namespace AyaQC.Reports.Charts;

/// <summary>
/// Every chart of AyaQC's pages and reports, drawn with ScottPlot in one style and with the shipped font.
/// Counts always get integer ticks; rates are drawn on [0, 1].
/// </summary>
public static class Draw
{
    public const int DefaultWidth = 640, DefaultHeight = 320;

    static readonly Color Ink = Color.FromHex("#222222");
    static readonly Color Blue = Color.FromHex("#3b6ea5");
    static readonly Color PassColor = Color.FromHex("#1b7837");
    static readonly Color FailColor = Color.FromHex("#b2182b");
    static readonly Color NeutralColor = Color.FromHex("#5a5a5a");
    static readonly Color GridColor = Color.FromHex("#e3e3e3");
    static readonly Color[] SeriesColors = [Blue, Color.FromHex("#d95f02"), PassColor, Color.FromHex("#7570b3"), Color.FromHex("#e7298a")];

    /// <summary>Bars over numeric bins; the y axis counts rows with integer ticks.</summary>
    public static Chart Histogram(string title, IReadOnlyList<HistogramBin> bins, string xLabel, string yLabel = "rows",
        int width = DefaultWidth, int height = DefaultHeight)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        var bars = bins.Select(b => new Bar
        {
            Position = (b.From + b.To) / 2, Size = (b.To - b.From) * 0.94, Value = b.Count, FillColor = Blue, LineWidth = 0,
        }).ToArray();
        if (bars.Length > 0) plot.Add.Bars(bars);
        CountAxis(plot, bins.Count == 0 ? 0 : bins.Max(b => b.Count));
        if (bins.Count > 0) plot.Axes.SetLimitsX(bins[0].From, bins[^1].To);
        return Finish(plot, title, width, height);
    }

    /// <summary>Vertical bars, one per label. With <paramref name="counts"/> the y axis has integer ticks only.</summary>
    public static Chart Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string? yLabel = null,
        bool counts = true, int width = DefaultWidth, int height = DefaultHeight)
    {
        if (labels.Count != values.Count) throw new ArgumentException("labels and values differ in length", nameof(values));
        var plot = NewPlot(title, null, yLabel);
        var bars = values.Select((v, i) => new Bar { Position = i, Value = v, FillColor = Blue, LineWidth = 0, Size = 0.7 }).ToArray();
        if (bars.Length > 0) plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.SetLimitsX(-0.6, Math.Max(0.6, labels.Count - 0.4));
        var max = values.Count == 0 ? 0 : values.Max();
        if (counts) CountAxis(plot, max);
        else plot.Axes.SetLimitsY(0, max > 0 ? max * 1.1 : 1);
        return Finish(plot, title, width, height);
    }

    /// <summary>
    /// Horizontal leaderboard, first entry at the top: each line is the interval, the dot the estimate; an optional
    /// dashed line marks the pass threshold. Entries are drawn as given (sort and cut before).
    /// </summary>
    public static Chart Leaderboard(string title, IReadOnlyList<LeaderboardEntry> entries, string xLabel, double? threshold = null,
        int width = DefaultWidth, int? height = null)
    {
        var plot = NewPlot(title, threshold is { } pass ? $"{xLabel} (dashed line: pass at {pass.ToString("0.##", CultureInfo.InvariantCulture)})" : xLabel, null);
        var n = entries.Count;
        for (var i = 0; i < n; i++)
        {
            var e = entries[i];
            double y = n - 1 - i;
            var color = ColorOf(e.Mark);
            var line = plot.Add.Line(e.Low, y, e.High, y);
            line.LineWidth = 3;
            line.LineColor = color.WithAlpha(0.55);
            line.MarkerSize = 0;
            var dot = plot.Add.ScatterPoints(new[] { e.Value }, new[] { y }, color);
            dot.MarkerSize = 7;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(), entries.Select(e => e.Name).ToArray());
        if (threshold is { } t)
        {
            plot.Add.VerticalLine(t, 1.5f, NeutralColor, LinePattern.Dashed);
        }
        plot.Axes.SetLimits(0, 1, -0.7, Math.Max(0.7, n - 0.3));
        return Finish(plot, title, width, height ?? Math.Clamp(70 + 22 * n, 160, 1600));
    }

    /// <summary>
    /// Cells coloured by value in [0, 1] with the value written in each; NaN cells are grey with a dash.
    /// <paramref name="values"/>[row, column]; the first row is drawn at the top.
    /// </summary>
    public static Chart Heatmap(string title, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, double[,] values,
        string format = "0.00", int width = DefaultWidth, int? height = null)
    {
        int rows = rowLabels.Count, cols = columnLabels.Count;
        if (values.GetLength(0) != rows || values.GetLength(1) != cols)
            throw new ArgumentException($"values are {values.GetLength(0)}×{values.GetLength(1)}, labels {rows}×{cols}", nameof(values));
        var plot = NewPlot(title, null, null);
        plot.Grid.IsVisible = false;
        var colormap = new ScottPlot.Colormaps.Viridis();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                var v = values[r, c];
                double y = rows - 1 - r;
                var cell = plot.Add.Rectangle(c - 0.5, c + 0.5, y - 0.5, y + 0.5);
                cell.LineWidth = 1;
                cell.LineColor = Colors.White;
                var missing = double.IsNaN(v);
                var fill = missing ? Color.FromHex("#eeeeee") : colormap.GetColor(Math.Clamp(v, 0, 1));
                cell.FillColor = fill;
                var text = plot.Add.Text(missing ? "–" : v.ToString(format, CultureInfo.InvariantCulture), c, y);
                text.LabelFontName = ChartFont.Family;
                text.LabelFontSize = 12;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = !missing && v < 0.6 ? Colors.White : Ink;
            }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(r => (double)(rows - 1 - r)).ToArray(), rowLabels.ToArray());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, cols).Select(c => (double)c).ToArray(), columnLabels.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        var labelPanel = 20 + 6 * Math.Min(24, columnLabels.DefaultIfEmpty("").Max(l => l.Length));
        plot.Axes.Bottom.MinimumSize = labelPanel;
        plot.Axes.Right.MinimumSize = 5 * Math.Min(24, columnLabels.DefaultIfEmpty("").Max(l => l.Length)); // the last slanted label runs right
        plot.Axes.SetLimits(-0.5, Math.Max(0.5, cols - 0.5), -0.5, Math.Max(0.5, rows - 0.5));
        return Finish(plot, title, width, height ?? Math.Clamp(60 + labelPanel + 30 * rows, 180, 1600));
    }

    /// <summary>Lines with markers and a legend. With <paramref name="timeAxis"/> X holds <see cref="DateTime.ToOADate"/> values.</summary>
    public static Chart Line(string title, IReadOnlyList<LineSeries> series, string xLabel, string yLabel, bool timeAxis = false,
        (double Min, double Max)? yRange = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        if (timeAxis) plot.Axes.DateTimeTicksBottom();
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.X.Count != s.Y.Count) throw new ArgumentException($"series '{s.Name}': x and y differ in length", nameof(series));
            var line = plot.Add.ScatterLine(s.X.ToArray(), s.Y.ToArray(), SeriesColors[i % SeriesColors.Length]);
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = 5;
        }
        if (series.Count > 1) Legend(plot);
        if (yRange is { } r) plot.Axes.SetLimitsY(r.Min, r.Max);
        return Finish(plot, title, width, height);
    }

    /// <summary>ROC curves on the unit square, one per model, with the chance diagonal; each legend entry names the
    /// model and its area under the curve.</summary>
    public static Chart Roc(string title, IReadOnlyList<RocSeries> curves, int width = 420, int height = 400)
    {
        var plot = NewPlot(title, "false positive rate (bad rows kept)", "true positive rate (good rows kept)");
        Diagonal(plot, "chance");
        for (var i = 0; i < curves.Count; i++)
        {
            var c = curves[i];
            var curve = plot.Add.ScatterLine(c.Points.Select(p => p.FalsePositiveRate).ToArray(), c.Points.Select(p => p.TruePositiveRate).ToArray(),
                SeriesColors[i % SeriesColors.Length]);
            curve.LineWidth = 2;
            curve.MarkerSize = 0;
            if (i > 0) curve.LinePattern = LinePattern.DenselyDashed;
            curve.LegendText = $"{c.Name}, AUC {c.Auc.ToString("0.000", CultureInfo.InvariantCulture)}";
        }
        Legend(plot);
        plot.Axes.SetLimits(0, 1, 0, 1);
        return Finish(plot, title, width, height);
    }

    /// <summary>Reliability diagram: observed rate against mean predicted probability per bin, each point labelled
    /// with its number of rows, and the ideal diagonal.</summary>
    public static Chart Calibration(string title, IReadOnlyList<CalibrationPoint> points, string observed = "observed rate",
        int width = 420, int height = 400)
    {
        var plot = NewPlot(title, "mean predicted probability", observed);
        Diagonal(plot, "perfectly calibrated");
        var curve = plot.Add.ScatterLine(points.Select(p => p.Predicted).ToArray(), points.Select(p => p.Observed).ToArray(), Blue);
        curve.LineWidth = 2;
        curve.MarkerSize = 7;
        curve.LegendText = $"model ({points.Sum(p => p.Count).ToString("N0", CultureInfo.InvariantCulture)} rows)";
        foreach (var p in points)
        {
            var label = plot.Add.Text("n=" + p.Count.ToString("N0", CultureInfo.InvariantCulture), p.Predicted, p.Observed);
            label.LabelFontName = ChartFont.Family;
            label.LabelFontSize = 10;
            label.LabelFontColor = Ink;
            // Inside the square whatever the point: right of it on the left half, above it near the bottom.
            bool right = p.Predicted < 0.5, above = p.Observed < 0.2;
            label.LabelAlignment = (right, above) switch
            {
                (true, true) => Alignment.LowerLeft, (true, false) => Alignment.UpperLeft,
                (false, true) => Alignment.LowerRight, _ => Alignment.UpperRight,
            };
            label.OffsetX = right ? 6 : -6;
            label.OffsetY = above ? -6 : 6;
        }
        Legend(plot);
        plot.Axes.SetLimits(0, 1, 0, 1);
        return Finish(plot, title, width, height);
    }

    /// <summary>Horizontal bars, first label at the top, the value written at each bar's end (for names too long to
    /// sit under a vertical bar, such as features).</summary>
    public static Chart HorizontalBars(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string xLabel,
        string format = "0.000", int width = DefaultWidth, int? height = null)
    {
        if (labels.Count != values.Count) throw new ArgumentException("labels and values differ in length", nameof(values));
        var n = labels.Count;
        var plot = NewPlot(title, xLabel, null);
        var bars = values.Select((v, i) => new Bar
        {
            Position = n - 1 - i, Value = v, FillColor = Blue, LineWidth = 0, Size = 0.7,
            Label = v.ToString(format, CultureInfo.InvariantCulture),
        }).ToArray();
        if (bars.Length > 0)
        {
            var plotted = plot.Add.Bars(bars);
            plotted.Horizontal = true;
            plotted.ValueLabelStyle.FontName = ChartFont.Family;
            plotted.ValueLabelStyle.ForeColor = Ink;
            plotted.ValueLabelStyle.FontSize = 11;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(), labels.ToArray());
        double min = Math.Min(0, values.DefaultIfEmpty(0).Min()), max = Math.Max(0, values.DefaultIfEmpty(0).Max());
        var span = max - min > 0 ? max - min : 1;
        plot.Axes.SetLimits(min - (min < 0 ? 0.15 * span : 0), max + 0.2 * span, -0.6, Math.Max(0.6, n - 0.4));
        return Finish(plot, title, width, height ?? Math.Clamp(80 + 26 * n, 170, 1600));
    }

    static Plot NewPlot(string title, string? xLabel, string? yLabel)
    {
        ChartFont.Register();
        var plot = new Plot();
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.MajorLineColor = GridColor;
        plot.Title(title, 15);
        if (xLabel != null) plot.XLabel(xLabel, 12);
        if (yLabel != null) plot.YLabel(yLabel, 12);
        return plot;
    }

    /// <summary>Counts start at 0 and are never drawn as 0.5 or 1.5: integer ticks only.</summary>
    static void CountAxis(Plot plot, double max)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.MinorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(0, max >= 1 ? Math.Ceiling(max * 1.08) : 1);
    }

    static void Diagonal(Plot plot, string label)
    {
        var d = plot.Add.Line(0, 0, 1, 1);
        d.LineColor = NeutralColor;
        d.LinePattern = LinePattern.Dashed;
        d.LineWidth = 1;
        d.MarkerSize = 0;
        d.LegendText = label;
    }

    static void Legend(Plot plot)
    {
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.LowerRight;
        plot.Legend.FontName = ChartFont.Family;
    }

    static Color ColorOf(LeaderboardMark mark) => mark switch
    {
        LeaderboardMark.Pass => PassColor,
        LeaderboardMark.Fail => FailColor,
        _ => NeutralColor,
    };

    /// <summary>Sets the shipped font on everything drawn (axes, title, legend); text plottables set it themselves.</summary>
    static Chart Finish(Plot plot, string title, int width, int height)
    {
        plot.Font.Set(ChartFont.Family);
        plot.Legend.FontName = ChartFont.Family;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.ForeColor = Ink;
            axis.TickLabelStyle.ForeColor = Ink;
        }
        return new Chart(plot, title, width, height);
    }
}
