using System.Text.Json.Serialization;

namespace AyaQC.Filtering;

/// <summary>Held-out (out-of-fold) figures of one model: ranking quality, calibration, and what its thresholds do.</summary>
public sealed record HeldOutMetrics(
    int Rows, int BadRows, double Auc, double Brier, double KeepThreshold, double DropThreshold,
    double KeptShare, double KeptGoodShare, double BadCaught, double DroppedShare, double DroppedBadShare);

/// <summary>One column set compared on the same folds: crowd features only, machine features only, or both.
/// <see cref="BadCaughtAtSharedKeep"/> compares like with like: each column set keeps the same share of rows as the
/// combined model keeps at its threshold (its own top rows), and this is the share of bad rows it leaves out.</summary>
public sealed record GroupComparison(string Group, IReadOnlyList<string> Features, HeldOutMetrics? Metrics, double? BadCaughtAtSharedKeep, string? Note);

public sealed record FeatureImportance(string Feature, double AucDrop);

/// <summary>How many good and bad training labels one trusted source gave (<see cref="AyaQC.Core.Filtering.LabelSources"/>).</summary>
public sealed record LabelSourceCount(string Source, int Good, int Bad);

/// <summary>A feature's median over good and over bad training rows (null when it never has a value there):
/// the "typical" values a row's reasons are stated against.</summary>
public sealed record FeatureReference(string Feature, string Group, double? GoodMedian, double? BadMedian);

/// <summary>
/// Everything needed to judge and reproduce a model: its features, the data it saw (hash), the trainer and options,
/// held-out metrics of the trees and of the logistic-regression baseline on the same columns, the crowd / machine /
/// both comparison with a plain verdict, calibration, thresholds and permutation importance.
/// </summary>
public sealed record ModelCard
{
    public required string Signature { get; init; }
    public required string Trainer { get; init; }
    public required string Options { get; init; }
    public required string DataHash { get; init; }
    public required int LabelledRows { get; init; }
    public required int GoodRows { get; init; }
    public required int BadRows { get; init; }
    /// <summary>Labelled rows (control items) that joined the training part of every fold and the final fit, never a
    /// held-out part: every held-out figure, the calibration and the thresholds are over the <see cref="LabelledRows"/>.</summary>
    public int TrainingOnlyRows { get; init; }
    /// <summary>Plain words: which rows the held-out figures are over.</summary>
    public string HeldOutScope => TrainingOnlyRows == 0
        ? $"held-out figures: each of the {LabelledRows} labelled rows scored by a model trained on the other folds"
        : $"held-out figures over the {LabelledRows} labelled dataset rows only; {TrainingOnlyRows} training-only rows (control items) "
          + "joined the training part of every fold and the final model, never a held-out part, the calibration or the thresholds";
    /// <summary>Which trusted sources gave the labels and how many (empty: labels given with the table, e.g. a file's column).</summary>
    public IReadOnlyList<LabelSourceCount> LabelSources { get; init; } = [];
    /// <summary>The label rule's signature and what it left out, e.g. a feature that defines some labels.</summary>
    public string? LabelRule { get; init; }
    public required IReadOnlyList<FeatureReference> Features { get; init; }
    public required IReadOnlyList<string> SkippedFeatures { get; init; }
    public required double CalibrationA { get; init; }
    public required double CalibrationB { get; init; }
    public required double KeepThreshold { get; init; }
    public required double DropThreshold { get; init; }
    /// <summary>Held-out metrics of the model that was kept (the better of the two below).</summary>
    public required HeldOutMetrics HeldOut { get; init; }
    public required HeldOutMetrics TreesHeldOut { get; init; }
    public required HeldOutMetrics BaselineHeldOut { get; init; }
    public required IReadOnlyList<GroupComparison> Groups { get; init; }
    /// <summary>Plain words: does "both" beat crowd-only and machine-only here, and if not, where not.</summary>
    public required string Verdict { get; init; }
    public required bool CombinedBeatsEach { get; init; }
    public required IReadOnlyList<FeatureImportance> Importance { get; init; }
    /// <summary>Held-out ROC curves of the trees and of the logistic baseline (null on cards made before they were kept).</summary>
    public IReadOnlyList<RocCurve>? Roc { get; init; }
    /// <summary>Reliability bins of the kept model's held-out calibrated p_good (null on older cards).</summary>
    public IReadOnlyList<CalibrationBin>? Calibration { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ModelCard))]
internal sealed partial class FilteringJson : JsonSerializerContext;

/// <summary>The card's JSON form (camelCase, indented), as stored in the model zip.</summary>
public static class CardJson
{
    public static System.Text.Json.JsonSerializerOptions Options => FilteringJson.Default.Options;
}
