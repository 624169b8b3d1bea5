using System.Globalization;
using AyaQC.Core.Filtering;
using Microsoft.ML;

namespace AyaQC.Filtering;

/// <summary>
/// Trains the agreement model on rows with a trusted label: held-out scores from stratified k-fold runs of the
/// gradient-boosted trees and of the logistic-regression baseline on the same columns; the better of the two on
/// held-out AUC is kept (so the model never does worse than the baseline there), calibrated with Platt scaling on its
/// held-out scores, with keep / drop thresholds chosen for the targets; crowd-only and machine-only runs on the same
/// folds say whether combining the signals earns its place. Training-only rows (control items: labelled, but not rows
/// of the data being decided) join the training part of every fold and the final fit; every held-out figure, the
/// calibration and the thresholds stay over the table's own rows.
/// </summary>
public static class AgreementTrainer
{
    /// <param name="stage">Told when each stage ends (held-out trees, baseline, crowd-only, machine-only, final fit,
    /// importance), for the bench's breakdown.</param>
    /// <param name="trainingOnly">Labelled rows that are only ever trained on (their unlabelled rows are ignored); a
    /// column the table has and they lack is missing on them. A column set's run (crowd-only, machine-only) takes only
    /// those with a value in one of its columns.</param>
    public static AgreementModel Train(FeatureTable table, AgreementOptions? options = null, Action<string>? stage = null, FeatureTable? trainingOnly = null)
    {
        var o = options ?? new AgreementOptions();
        o.Validate();
        var labelledRows = Enumerable.Range(0, table.RowCount).Where(i => table.Labels[i].HasValue).ToArray();
        var all = table.Rows(labelledRows);
        var labels = all.Labels.Select(l => l!.Value).ToArray();
        int good = labels.Count(l => l), bad = labels.Length - good;
        if (good < o.Folds || bad < o.Folds)
            throw new ArgumentException($"need at least {o.Folds} good and {o.Folds} bad labelled rows for {o.Folds}-fold training (have {good} good, {bad} bad)");

        var usable = all.Columns.Where((c, j) => all.Values.Any(r => r[j].HasValue)).ToArray();
        var skipped = all.Columns.Except(usable).ToArray();
        if (usable.Length == 0) throw new ArgumentException("no feature has a value on any labelled row");
        var data = all.Select(usable);
        var rows = ScoringData.Matrix(data);
        var width = usable.Length;
        var extra = TrainingOnly.Of(trainingOnly, usable);
        var ml = new MLContext(o.Seed);
        var fold = StratifiedFolds.Assign(labels, o.Folds, o.Seed);

        stage?.Invoke("prepare");
        var treeScores = HeldOutPredictions.Scores(ml, ModelKind.GradientBoostedTrees, o, rows, labels, fold, width, extra);
        stage?.Invoke("held-out trees");
        var baseScores = HeldOutPredictions.Scores(ml, ModelKind.LogisticRegression, o, rows, labels, fold, width, extra);
        stage?.Invoke("held-out baseline");
        var trees = HeldOutPredictions.Evaluate(treeScores, labels, o);
        var baseline = HeldOutPredictions.Evaluate(baseScores, labels, o);
        var kind = trees.Metrics.Auc >= baseline.Metrics.Auc ? ModelKind.GradientBoostedTrees : ModelKind.LogisticRegression;
        var chosen = kind == ModelKind.GradientBoostedTrees ? trees : baseline;

        var groups = new List<GroupComparison>();
        double sharedKeep(double[] p) => HeldOutPredictions.BadCaughtAtKeptShare(p, labels, chosen.Metrics.KeptShare);
        foreach (var group in new[] { FeatureGroup.Crowd, FeatureGroup.Machine })
        {
            var name = group == FeatureGroup.Crowd ? "crowd" : "machine";
            var cols = usable.Where(c => FeatureGroups.Of(c) == group).ToArray();
            if (cols.Length == 0) { groups.Add(new GroupComparison(name, cols, null, null, $"no {name} features in this data")); continue; }
            if (cols.Length == usable.Length) { groups.Add(new GroupComparison(name, cols, chosen.Metrics, sharedKeep(chosen.P), $"every feature is a {name} feature")); continue; }
            var sub = ScoringData.Matrix(data.Select(cols));
            var s = HeldOutPredictions.Scores(ml, kind, o, sub, labels, fold, cols.Length, extra.Columns(usable, cols));
            var result = HeldOutPredictions.Evaluate(s, labels, o);
            groups.Add(new GroupComparison(name, cols, result.Metrics, sharedKeep(result.P), null));
            stage?.Invoke($"held-out {name}-only");
        }
        groups.Add(new GroupComparison("both", usable, chosen.Metrics, sharedKeep(chosen.P), null));
        var (beats, verdict) = Verdict(groups);

        var final = Pipelines.For(ml, kind, o).Fit(ScoringData.View(ml, [.. rows, .. extra.Rows], [.. labels, .. extra.Labels], width));
        stage?.Invoke("final fit");
        var references = usable.Select((c, j) => new FeatureReference(c, FeatureGroups.Of(c) == FeatureGroup.Crowd ? "crowd" : "machine",
            Median(data.Values.Where((_, i) => labels[i]).Select(r => r[j])), Median(data.Values.Where((_, i) => !labels[i]).Select(r => r[j])))).ToArray();
        var importance = PermutationImportance(ml, final, rows, labels, usable, o.Seed);
        stage?.Invoke("importance");
        var trainer = Pipelines.Name(kind, o);
        var dataHash = trainingOnly is null ? table.DataHash : CombinedHash(table.DataHash, trainingOnly.DataHash);
        var card = new ModelCard
        {
            Signature = $"{o.Signature}|model:{trainer}|features:{string.Join(',', usable)}|data:{dataHash[..Math.Min(dataHash.Length, 23)]}",
            Trainer = trainer, Options = o.Signature, DataHash = dataHash,
            LabelledRows = labels.Length, GoodRows = good, BadRows = bad, TrainingOnlyRows = extra.Rows.Length,
            Features = references, SkippedFeatures = skipped,
            CalibrationA = chosen.Calibration.A, CalibrationB = chosen.Calibration.B,
            KeepThreshold = chosen.Thresholds.Keep, DropThreshold = chosen.Thresholds.Drop,
            HeldOut = chosen.Metrics, TreesHeldOut = trees.Metrics, BaselineHeldOut = baseline.Metrics,
            Groups = groups, Verdict = verdict, CombinedBeatsEach = beats, Importance = importance,
            Roc = [HeldOutCurves.Roc("trees", kind == ModelKind.GradientBoostedTrees, trees.P, labels),
                   HeldOutCurves.Roc("logistic baseline", kind == ModelKind.LogisticRegression, baseline.P, labels)],
            Calibration = HeldOutCurves.Calibration(chosen.P, labels),
        };
        return new AgreementModel(ml, final, card);
    }

    /// <summary>The table's hash and the training-only rows' hash, hashed together: the data a model saw.</summary>
    static string CombinedHash(string table, string trainingOnly) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{table}\ntrain-only:{trainingOnly}")));

    static (bool, string) Verdict(IReadOnlyList<GroupComparison> groups)
    {
        var bothGroup = groups.Single(g => g.Group == "both");
        var both = bothGroup.Metrics!;
        var bothCaught = bothGroup.BadCaughtAtSharedKeep ?? double.NaN;
        var failures = new List<string>();
        var compared = new List<string>();
        foreach (var g in groups.Where(g => g.Group != "both"))
        {
            if (g.Metrics == null || g.Note != null) { failures.Add($"cannot compare with {g.Group}-only ({g.Note})"); continue; }
            var caught = g.BadCaughtAtSharedKeep ?? double.NaN;
            compared.Add($"{g.Group}-only (AUC {F(g.Metrics.Auc)}, bad caught {F(caught)})");
            if (!(both.Auc > g.Metrics.Auc)) failures.Add($"both does NOT beat {g.Group}-only on held-out AUC ({F(both.Auc)} vs {F(g.Metrics.Auc)})");
            if (!(bothCaught >= caught)) failures.Add($"both does NOT catch more bad rows than {g.Group}-only when keeping the same share of rows ({F(bothCaught)} vs {F(caught)})");
        }
        return failures.Count == 0
            ? (true, $"keeping {F(both.KeptShare)} of rows, both (AUC {F(both.Auc)}, bad caught {F(bothCaught)}) beats {string.Join(" and ", compared)} on held-out folds")
            : (false, string.Join("; ", failures));
    }

    static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);

    static double? Median(IEnumerable<double?> values)
    {
        var v = values.Where(x => x.HasValue).Select(x => x!.Value).Order().ToArray();
        return v.Length == 0 ? null : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>AUC lost on (up to 20,000 of) the training rows when one column is shuffled, per feature.</summary>
    static FeatureImportance[] PermutationImportance(MLContext ml, ITransformer model, float[][] rows, bool[] labels, string[] features, int seed)
    {
        var rng = new Random(seed);
        var sample = Enumerable.Range(0, rows.Length).ToArray();
        if (sample.Length > 20_000) { rng.Shuffle(sample); sample = sample[..20_000]; }
        var x = sample.Select(i => rows[i]).ToArray();
        var y = sample.Select(i => labels[i]).ToArray();
        var baseAuc = BinaryAuc.Of(ScoringData.Scores(ml, model, x, features.Length), y);
        var result = new FeatureImportance[features.Length];
        for (var j = 0; j < features.Length; j++)
        {
            var column = x.Select(r => r[j]).ToArray();
            rng.Shuffle(column);
            var permuted = x.Select((r, i) => { var c = (float[])r.Clone(); c[j] = column[i]; return c; }).ToArray();
            result[j] = new FeatureImportance(features[j], baseAuc - BinaryAuc.Of(ScoringData.Scores(ml, model, permuted, features.Length), y));
        }
        return result.OrderByDescending(f => f.AucDrop).ToArray();
    }
}
