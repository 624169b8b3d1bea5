namespace AyaQC.Core.Crowd;

/// <summary>
/// One-coin Dawid–Skene: each worker has one accuracy s; a wrong vote is spread evenly over the other K−1 labels.
/// Same EM schedule and defaults as <see cref="DawidSkene"/> (as crowd-kit's OneCoinDawidSkene, probabilities
/// clipped to [1e-10, 1−1e-10]). Class priors are learned and can collapse on skewed data — a known trait.
/// <para>Y. Zhang, X. Chen, D. Zhou and M. I. Jordan, "Spectral methods meet EM: a provably optimal algorithm for
/// crowdsourcing", JMLR 17, 2016.</para>
/// </summary>
public sealed class OneCoinDawidSkene : ICrowdAggregator
{
    public string Name => "onecoin";
    public int MaxIterations { get; init; } = 100;
    public double Tolerance { get; init; } = 1e-5;
    public TieRule Ties { get; init; } = TieRule.TaskHash;

    public CrowdLabels Aggregate(CrowdAnswers answers, int[]? knownLabels = null) =>
        ConfusionEm.Aggregate(answers, knownLabels, oneCoin: true, Name, MaxIterations, Tolerance, Ties);
}
