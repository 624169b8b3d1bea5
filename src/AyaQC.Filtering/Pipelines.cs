using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace AyaQC.Filtering;

public enum ModelKind { GradientBoostedTrees, LogisticRegression }

/// <summary>The two ML.NET pipelines: gradient-boosted trees on the raw vector (trees route missing values
/// themselves) and the L-BFGS logistic-regression baseline (mean-filled values + a missing indicator per feature,
/// standardised).</summary>
internal static class Pipelines
{
    public static IEstimator<ITransformer> For(MLContext ml, ModelKind kind, AgreementOptions o) =>
        kind == ModelKind.GradientBoostedTrees ? Trees(ml, o) : LogisticRegression(ml);

    static IEstimator<ITransformer> Trees(MLContext ml, AgreementOptions o) => o.Trainer switch
    {
        // One thread: steady timings on a shared machine and identical models for the same seed.
        TreeTrainer.LightGbm => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = ScoringData.Label, FeatureColumnName = ScoringData.Features,
            NumberOfIterations = o.Iterations, NumberOfLeaves = o.Leaves, MinimumExampleCountPerLeaf = o.MinLeafRows,
            LearningRate = o.LearningRate, NumberOfThreads = 1, Seed = o.Seed, Deterministic = true, Silent = true, Verbose = false,
        }),
        _ => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = ScoringData.Label, FeatureColumnName = ScoringData.Features,
            NumberOfTrees = o.Iterations, NumberOfLeaves = o.Leaves, MinimumExampleCountPerLeaf = o.MinLeafRows,
            LearningRate = o.LearningRate, NumberOfThreads = 1, Seed = o.Seed,
        }),
    };

    static IEstimator<ITransformer> LogisticRegression(MLContext ml) =>
        ml.Transforms.IndicateMissingValues("Missing", ScoringData.Features)
            .Append(ml.Transforms.Conversion.ConvertType("MissingF", "Missing", Microsoft.ML.Data.DataKind.Single))
            .Append(ml.Transforms.ReplaceMissingValues("Filled", ScoringData.Features, MissingValueReplacingEstimator.ReplacementMode.Mean))
            .Append(ml.Transforms.Concatenate("X", "Filled", "MissingF"))
            .Append(ml.Transforms.NormalizeMeanVariance("X"))
            // L-BFGS passes over the data once per iteration: without the cache every pass re-runs the four transforms
            // through ML.NET's parallel cursors (5/6 of the training time at 100,000 rows). Training-time only: the
            // fitted model is the same and saves no cache.
            .AppendCacheCheckpoint(ml)
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = ScoringData.Label, FeatureColumnName = "X", NumberOfThreads = 1, L2Regularization = 1e-3f,
            }));

    public static string Name(ModelKind kind, AgreementOptions o) => kind == ModelKind.LogisticRegression ? "lbfgs-lr"
        : o.Trainer == TreeTrainer.LightGbm ? "lightgbm" : "fasttree";
}
