using Microsoft.ML;

namespace AyaQC.Filtering;

/// <summary>Out-of-fold raw scores: each row is scored by the model trained on the other folds (and on the
/// training-only rows, which are never scored).</summary>
internal static class HeldOutPredictions
{
    public static double[] Scores(MLContext ml, ModelKind kind, AgreementOptions o, float[][] rows, bool[] labels, int[] fold, int width, TrainingOnly extra)
    {
        var scores = new double[rows.Length];
        for (var k = 0; k < o.Folds; k++)
        {
            var train = Enumerable.Range(0, rows.Length).Where(i => fold[i] != k).ToArray();
            var test = Enumerable.Range(0, rows.Length).Where(i => fold[i] == k).ToArray();
            var model = Pipelines.For(ml, kind, o).Fit(ScoringData.View(ml, [.. train.Select(i => rows[i]), .. extra.Rows],
                [.. train.Select(i => labels[i]), .. extra.Labels], width));
            var s = ScoringData.Scores(ml, model, test.Select(i => rows[i]).ToArray(), width);
            for (var j = 0; j < test.Length; j++) scores[test[j]] = s[j];
        }
        return scores;
    }

    /// <summary>Calibrates held-out scores, chooses thresholds for the targets and measures what they do.</summary>
    public static (HeldOutMetrics Metrics, PlattCalibration Calibration, DecisionThresholds Thresholds, double[] P) Evaluate(
        double[] scores, bool[] labels, AgreementOptions o)
    {
        var calibration = PlattCalibration.Fit(scores, labels);
        var p = scores.Select(calibration.Probability).ToArray();
        var thresholds = DecisionThresholds.Choose(p, labels, o.KeepPrecision, o.DropPrecision, o.TargetZ);
        return (Measure(p, labels, thresholds), calibration, thresholds, p);
    }

    /// <summary>Share of bad rows left out when the top <paramref name="keptShare"/> of rows by p_good are kept.</summary>
    public static double BadCaughtAtKeptShare(double[] p, bool[] labels, double keptShare)
    {
        var kept = (int)Math.Round(keptShare * p.Length);
        var order = Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).ThenBy(i => i).ToArray();
        var bad = labels.Count(l => !l);
        var badKept = order.Take(kept).Count(i => !labels[i]);
        return bad == 0 ? double.NaN : (double)(bad - badKept) / bad;
    }

    public static HeldOutMetrics Measure(double[] p, bool[] labels, DecisionThresholds t)
    {
        int n = p.Length, bad = labels.Count(l => !l), kept = 0, keptGood = 0, dropped = 0, droppedBad = 0, badNotKept = 0;
        double brier = 0;
        for (var i = 0; i < n; i++)
        {
            brier += Math.Pow(p[i] - (labels[i] ? 1 : 0), 2);
            var d = t.Decide(p[i]);
            if (d == Decision.Keep) { kept++; if (labels[i]) keptGood++; }
            else if (!labels[i]) badNotKept++;
            if (d == Decision.Drop) { dropped++; if (!labels[i]) droppedBad++; }
        }
        return new HeldOutMetrics(n, bad, BinaryAuc.Of(p, labels), brier / n, t.Keep, t.Drop,
            (double)kept / n, kept == 0 ? double.NaN : (double)keptGood / kept, bad == 0 ? double.NaN : (double)badNotKept / bad,
            (double)dropped / n, dropped == 0 ? double.NaN : (double)droppedBad / dropped);
    }
}
