using System.Globalization;

namespace AyaQC.Filtering;

public enum TreeTrainer { LightGbm, FastTree }

/// <summary>How an agreement model is trained and how its decisions are set. Every value shows in <see cref="Signature"/>.</summary>
public sealed record AgreementOptions
{
    public TreeTrainer Trainer { get; init; } = TreeTrainer.LightGbm;
    /// <summary>Stratified folds for held-out predictions (calibration, thresholds, the card's metrics).</summary>
    public int Folds { get; init; } = 5;
    public int Seed { get; init; } = 1;
    public int Iterations { get; init; } = 100;
    public int Leaves { get; init; } = 15;
    public int MinLeafRows { get; init; } = 20;
    public double LearningRate { get; init; } = 0.1;
    /// <summary>Target: at least this share of kept rows are good (held-out estimate).</summary>
    public double KeepPrecision { get; init; } = 0.95;
    /// <summary>Target: at least this share of dropped rows are bad; rows between the two thresholds go to review.</summary>
    public double DropPrecision { get; init; } = 0.90;
    /// <summary>Targets must hold at the Wilson lower bound with this z (1.645: one-sided 95 %); 0 = point estimate.</summary>
    public double TargetZ { get; init; } = 1.645;
    /// <summary>Reasons listed per row.</summary>
    public int Reasons { get; init; } = 2;

    public string Signature => string.Create(CultureInfo.InvariantCulture,
        $"agree|gbt:{(Trainer == TreeTrainer.LightGbm ? "lightgbm" : "fasttree")}|iter:{Iterations}|leaves:{Leaves}|minleaf:{MinLeafRows}|lr:{LearningRate}" +
        $"|base:lbfgs-lr|folds:{Folds}|seed:{Seed}|calib:platt-oof|keep:{KeepPrecision}|drop:{DropPrecision}|z:{TargetZ}|version:ayaqc-1");

    public void Validate()
    {
        if (Folds is < 2 or > 20) throw new ArgumentOutOfRangeException(nameof(Folds), "folds must be 2–20");
        if (KeepPrecision is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(KeepPrecision), "keep precision must be in (0, 1)");
        if (DropPrecision is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(DropPrecision), "drop precision must be in (0, 1)");
        if (TargetZ < 0) throw new ArgumentOutOfRangeException(nameof(TargetZ), "z must be ≥ 0");
        if (Iterations < 1 || Leaves < 2 || MinLeafRows < 1 || LearningRate <= 0) throw new ArgumentOutOfRangeException(nameof(Iterations), "tree options must be positive");
    }
}
