using FsCheck;
using FsCheck.Xunit;

namespace AyaQC.Filtering.Tests;

/// <summary>The held-out points a model card keeps: ROC curves and reliability bins.</summary>
public class HeldOutCurvesTests(TrainedModel trained) : IClassFixture<TrainedModel>
{
    static (double[] P, bool[] Y) Points(NonEmptyArray<(int, bool)> points, int distinct) =>
        (points.Get.Select(x => (double)(Math.Abs(x.Item1) % distinct) / distinct).ToArray(), points.Get.Select(x => x.Item2).ToArray());

    [Property(MaxTest = 300)]
    public bool The_full_roc_curve_is_monotone_from_corner_to_corner_and_its_area_is_the_auc(NonEmptyArray<(int, bool)> points, PositiveInt distinct)
    {
        var (p, y) = Points(points, 1 + distinct.Get % 50);   // few distinct values: many ties
        var (fpr, tpr) = HeldOutCurves.FullRoc(p, y);
        var monotone = Enumerable.Range(1, fpr.Length - 1).All(i => fpr[i] >= fpr[i - 1] && tpr[i] >= tpr[i - 1]);
        var bothClasses = y.Any(g => g) && y.Any(g => !g);
        return monotone && fpr[0] == 0 && tpr[0] == 0
               && (!bothClasses || (fpr[^1] == 1 && tpr[^1] == 1 && Math.Abs(HeldOutCurves.Area(fpr, tpr) - BinaryAuc.Of(p, y)) < 1e-9));
    }

    [Property(MaxTest = 200)]
    public bool A_thinned_curve_keeps_its_ends_stays_small_and_its_area_stays_near_the_auc(NonEmptyArray<(int, bool)> points, PositiveInt distinct, PositiveInt size)
    {
        var (p, y) = Points(points, 1 + distinct.Get % 5000);
        if (!y.Any(g => g) || !y.Any(g => !g)) return true;
        var n = 5 + size.Get % 100;
        var roc = HeldOutCurves.Roc("m", true, p, y, points: n);
        var full = HeldOutCurves.FullRoc(p, y);
        return roc.FalsePositiveRate.Count <= n + 1 && roc.FalsePositiveRate.Count == roc.TruePositiveRate.Count
               && roc.FalsePositiveRate[0] == 0 && roc.TruePositiveRate[^1] == 1 && roc.FalsePositiveRate[^1] == 1
               && Math.Abs(HeldOutCurves.Area(roc.FalsePositiveRate, roc.TruePositiveRate) - roc.Auc) <= HeldOutCurves.AreaTolerance(n)
               && roc.FalsePositiveRate.Count <= full.Fpr.Length;
    }

    [Property(MaxTest = 300)]
    public bool Calibration_bins_count_every_row_once_and_hold_their_means(NonEmptyArray<(int, bool)> points, PositiveInt distinct)
    {
        var (p, y) = Points(points, 1 + distinct.Get % 200);
        var bins = HeldOutCurves.Calibration(p, y);
        return bins.Sum(b => b.Rows) == p.Length
               && Math.Abs(bins.Sum(b => b.Rows * b.ObservedGood) - y.Count(g => g)) < 1e-3
               && bins.All(b => b.Rows > 0 && b.MeanPredicted >= b.From - 1e-9 && b.MeanPredicted <= b.To + 1e-9 && b.ObservedGood is >= 0 and <= 1);
    }

    [Fact]
    public void The_card_keeps_both_curves_with_the_metrics_auc_and_the_kept_models_bins()
    {
        var card = trained.Model.Card;
        Assert.NotNull(card.Roc);
        Assert.Equal(["trees", "logistic baseline"], card.Roc!.Select(r => r.Model));
        Assert.Equal(card.TreesHeldOut.Auc, card.Roc[0].Auc);
        Assert.Equal(card.BaselineHeldOut.Auc, card.Roc[1].Auc);
        Assert.Single(card.Roc, r => r.Kept);
        Assert.Equal(card.HeldOut.Auc, card.Roc.Single(r => r.Kept).Auc);
        Assert.All(card.Roc, r => Assert.InRange(r.FalsePositiveRate.Count, 2, HeldOutCurves.RocPoints + 1));
        Assert.All(card.Roc, r => Assert.InRange(HeldOutCurves.Area(r.FalsePositiveRate, r.TruePositiveRate), r.Auc - 0.005, r.Auc + 0.005));
        Assert.Equal(card.LabelledRows, card.Calibration!.Sum(b => b.Rows));
        Assert.Equal(card.GoodRows, card.Calibration.Sum(b => b.Rows * b.ObservedGood), 2);

        // The card's JSON (as stored with the model) carries them and stays small.
        var json = System.Text.Json.JsonSerializer.Serialize(card, CardJson.Options);
        Assert.Contains("\"roc\"", json);
        Assert.Contains("\"calibration\"", json);
        Assert.True(json.Length < 40_000, $"card JSON is {json.Length} chars");
        var back = System.Text.Json.JsonSerializer.Deserialize<ModelCard>(json, CardJson.Options)!;
        Assert.Equal(card.Roc[0].TruePositiveRate, back.Roc![0].TruePositiveRate);
    }
}
