namespace AyaQC.Reports.Charts;

/// <summary>A histogram bin [From, To) holding Count rows.</summary>
public sealed record HistogramBin(double From, double To, int Count)
{
    /// <summary>
    /// Counts <paramref name="values"/> in <paramref name="bins"/> equal bins over [min, max] (by default the data's
    /// range); values outside go to the first or last bin, NaN is ignored.
    /// </summary>
    public static IReadOnlyList<HistogramBin> Of(IEnumerable<double> values, int bins, double? min = null, double? max = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var data = values.Where(v => !double.IsNaN(v)).ToArray();
        var lo = min ?? (data.Length > 0 ? data.Min() : 0);
        var hi = max ?? (data.Length > 0 ? data.Max() : 1);
        if (hi <= lo) hi = lo + 1;
        var counts = new int[bins];
        foreach (var v in data) counts[Math.Clamp((int)Math.Floor((v - lo) / (hi - lo) * bins), 0, bins - 1)]++;
        var width = (hi - lo) / bins;
        return counts.Select((c, i) => new HistogramBin(lo + i * width, lo + (i + 1) * width, c)).ToList();
    }
}

/// <summary>How an assessor's interval is coloured on a leaderboard.</summary>
public enum LeaderboardMark { Neutral, Pass, Fail }

/// <summary>One leaderboard line: a point estimate with its (e.g. Wilson 95 %) interval.</summary>
public sealed record LeaderboardEntry(string Name, double Value, double Low, double High, LeaderboardMark Mark = LeaderboardMark.Neutral);

/// <summary>One line of a line chart; X may be a time (see <see cref="Draw.Line"/>).</summary>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>One point of a ROC curve.</summary>
public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate);

/// <summary>One model's ROC curve and its area under the curve (shown in the legend).</summary>
public sealed record RocSeries(string Name, double Auc, IReadOnlyList<RocPoint> Points);

/// <summary>One calibration bin: mean predicted probability against the observed rate, over Count rows.</summary>
public sealed record CalibrationPoint(double Predicted, double Observed, int Count);
