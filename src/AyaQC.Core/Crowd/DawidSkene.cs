namespace AyaQC.Core.Crowd;

/// <summary>
/// Dawid–Skene: each worker has a full confusion matrix P(says l | truth c); class priors are learned; EM from
/// majority-vote shares. Defaults as crowd-kit's DawidSkene (100 iterations, tol 1e-5, no smoothing, counts
/// clipped at 1e-10).
/// <para>A. P. Dawid and A. M. Skene, "Maximum likelihood estimation of observer error-rates using the EM
/// algorithm", Journal of the Royal Statistical Society C 28(1), 1979, 20–28.</para>
/// </summary>
public sealed class DawidSkene : ICrowdAggregator
{
    public string Name => "ds";
    public int MaxIterations { get; init; } = 100;
    public double Tolerance { get; init; } = 1e-5;
    public TieRule Ties { get; init; } = TieRule.TaskHash;

    public CrowdLabels Aggregate(CrowdAnswers answers, int[]? knownLabels = null) =>
        ConfusionEm.Aggregate(answers, knownLabels, oneCoin: false, Name, MaxIterations, Tolerance, Ties);

    /// <summary>
    /// Convenience for skill estimation with gold: aggregates with the given (task name → label name) pairs
    /// held fixed and returns the result; tasks or labels not present in the answers are ignored.
    /// </summary>
    public CrowdLabels Aggregate(CrowdAnswers answers, IEnumerable<KeyValuePair<string, string>> gold)
    {
        var known = answers.TaskLabels(gold, out _);
        for (var t = 0; t < known.Length; t++) if (known[t] < 0) known[t] = -1;
        return Aggregate(answers, known);
    }
}
