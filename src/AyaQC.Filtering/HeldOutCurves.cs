namespace AyaQC.Filtering;

/// <summary>
/// A held-out ROC curve (good rows are the positives, ranked by p_good): false and true positive rates after each
/// distinct score, from (0, 0) to (1, 1), thinned to about a hundred points so a card for 100,000 rows stays
/// small. <see cref="Auc"/> is the model's held-out AUC (the same as its metrics).
/// </summary>
public sealed record RocCurve(string Model, bool Kept, double Auc, IReadOnlyList<double> FalsePositiveRate, IReadOnlyList<double> TruePositiveRate);

/// <summary>One reliability bin of held-out p_good in [From, To): how many rows, their mean p_good, and the share of
/// them that is good.</summary>
public sealed record CalibrationBin(double From, double To, int Rows, double MeanPredicted, double ObservedGood);

/// <summary>The held-out points a model card keeps, computed from the out-of-fold predictions of every labelled row.</summary>
public static class HeldOutCurves
{
    public const int RocPoints = 101, CalibrationBins = 10;

    /// <summary>Every corner of the ROC curve: one point after each group of tied scores, best scores first.</summary>
    public static (double[] Fpr, double[] Tpr) FullRoc(IReadOnlyList<double> p, IReadOnlyList<bool> good)
    {
        var order = Enumerable.Range(0, p.Count).OrderByDescending(i => p[i]).ToArray();
        long positives = good.Count(g => g), negatives = p.Count - positives;
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        long tp = 0, fp = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            for (; j < order.Length && p[order[j]] == p[order[i]]; j++)
                if (good[order[j]]) tp++; else fp++;
            fpr.Add(negatives == 0 ? 0 : (double)fp / negatives);
            tpr.Add(positives == 0 ? 0 : (double)tp / positives);
            i = j;
        }
        return (fpr.ToArray(), tpr.ToArray());
    }

    /// <summary>
    /// The ROC curve thinned to at most <paramref name="points"/> + 1 points. Walking along the curve (FPR + TPR goes
    /// from 0 to 2), a corner is kept when the next one lies more than 4 / (points − 1) past the last kept corner, so
    /// the corners dropped between two kept ones fit in a box of that perimeter and the area moves by at most
    /// <see cref="AreaTolerance"/>; the ends are always kept.
    /// </summary>
    public static RocCurve Roc(string model, bool kept, IReadOnlyList<double> p, IReadOnlyList<bool> good, int points = RocPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 3);
        var (fpr, tpr) = FullRoc(p, good);
        var step = 4.0 / (points - 1);
        var keep = new List<int> { 0 };
        for (var i = 1; i < fpr.Length - 1; i++)
            if (fpr[i + 1] + tpr[i + 1] - (fpr[keep[^1]] + tpr[keep[^1]]) > step) keep.Add(i);
        if (fpr.Length > 1) keep.Add(fpr.Length - 1);
        return new RocCurve(model, kept, BinaryAuc.Of(p, good),
            keep.Select(i => Math.Round(fpr[i], 5)).ToArray(), keep.Select(i => Math.Round(tpr[i], 5)).ToArray());
    }

    /// <summary>How far a thinned curve's area can be from the AUC: each kept segment loses at most a triangle of a box
    /// with sides adding up to the step (≤ step² / 8), plus rounding.</summary>
    public static double AreaTolerance(int points)
    {
        var step = 4.0 / (points - 1);
        return (points + 1) * step * step / 8 + 1e-4;
    }

    /// <summary>Area under the polyline through the points (trapezoids): on the full curve this is the AUC, ties counting one half.</summary>
    public static double Area(IReadOnlyList<double> fpr, IReadOnlyList<double> tpr)
    {
        double area = 0;
        for (var i = 1; i < fpr.Count; i++) area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return area;
    }

    /// <summary>Equal-width bins of p_good over [0, 1] (p = 1 falls in the last); empty bins are left out.</summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<double> p, IReadOnlyList<bool> good, int bins = CalibrationBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var rows = new int[bins];
        var goodRows = new int[bins];
        var sum = new double[bins];
        for (var i = 0; i < p.Count; i++)
        {
            var b = Math.Clamp((int)Math.Floor(p[i] * bins), 0, bins - 1);
            rows[b]++;
            sum[b] += p[i];
            if (good[i]) goodRows[b]++;
        }
        return Enumerable.Range(0, bins).Where(b => rows[b] > 0)
            .Select(b => new CalibrationBin((double)b / bins, (double)(b + 1) / bins, rows[b], Math.Round(sum[b] / rows[b], 6),
                Math.Round((double)goodRows[b] / rows[b], 6)))
            .ToArray();
    }
}
