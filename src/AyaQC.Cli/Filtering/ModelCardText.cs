using System.Globalization;
using AyaQC.Cli.Crowd;
using AyaQC.Filtering;
using Spectre.Console;

namespace AyaQC.Cli.Filtering;

/// <summary>The model card as a reader sees it: held-out comparison table, verdict, thresholds, importance.</summary>
internal static class ModelCardText
{
    static string F(double x) => double.IsNaN(x) ? "–" : x.ToString("0.000", CultureInfo.InvariantCulture);

    public static void Write(ModelCard card, TextWriter o)
    {
        o.WriteLine($"model: {card.Trainer} on {card.LabelledRows} labelled rows ({card.GoodRows} good, {card.BadRows} bad); data {card.DataHash}");
        if (card.LabelSources.Count > 0)
            o.WriteLine("labels from: " + string.Join(", ", card.LabelSources.Select(s => $"{s.Source} {s.Good} good / {s.Bad} bad")) + $" ({card.LabelRule})");
        o.WriteLine(card.HeldOutScope);
        var table = new Table().AddColumns("held-out folds", "features", "AUC", "Brier", "keep ≥", "kept", "kept good", "bad caught", "bad caught at shared keep");
        void Row(string name, string features, HeldOutMetrics? m, double? shared) => table.AddRow(name, features,
            m == null ? "–" : F(m.Auc), m == null ? "–" : F(m.Brier), m == null ? "–" : F(m.KeepThreshold), m == null ? "–" : F(m.KeptShare),
            m == null ? "–" : F(m.KeptGoodShare), m == null ? "–" : F(m.BadCaught), shared is { } s ? F(s) : "–");
        foreach (var g in card.Groups) Row($"{g.Group}{(g.Group == "both" ? $" ({card.Trainer})" : "")}", g.Features.Count.ToString(CultureInfo.InvariantCulture), g.Metrics, g.BadCaughtAtSharedKeep);
        Row("trees (all features)", card.Features.Count.ToString(CultureInfo.InvariantCulture), card.TreesHeldOut, null);
        Row("lbfgs-lr baseline", card.Features.Count.ToString(CultureInfo.InvariantCulture), card.BaselineHeldOut, null);
        CrowdConsole.WriteTable(o, table);
        o.WriteLine((card.CombinedBeatsEach ? "✓ " : "✗ ") + card.Verdict);
        o.WriteLine($"thresholds: keep p_good ≥ {F(card.KeepThreshold)}, drop p_good < {F(card.DropThreshold)}, review between");
        o.WriteLine("importance (held-in AUC lost when shuffled): " + string.Join(", ", card.Importance.Select(i => $"{i.Feature} {i.AucDrop:0.000}")));
        if (card.SkippedFeatures.Count > 0) o.WriteLine("skipped (no value on any labelled row): " + string.Join(", ", card.SkippedFeatures));
        o.WriteLine($"signature: {card.Signature}");
    }
}
