namespace AyaQC.Core.Crowd;

/// <summary>What the policy says about one task.</summary>
public readonly record struct OverlapDecision(bool NeedsAnotherVote, int BestLabel, double Posterior, int Votes);

/// <summary>
/// Dynamic overlap: ask for one more vote on a task only while the posterior of its best label is below
/// <see cref="TargetPosterior"/>, between <see cref="MinVotes"/> and <see cref="MaxVotes"/> votes. The posterior
/// combines the class prior with each voter's skill (confusion matrix or one-coin accuracy); a worker the skills do
/// not know counts with <see cref="UnknownWorkerAccuracy"/>.
/// </summary>
public sealed class DynamicOverlapPolicy
{
    public double TargetPosterior { get; init; } = 0.95;
    public int MinVotes { get; init; } = 2;
    public int MaxVotes { get; init; } = 7;
    public double UnknownWorkerAccuracy { get; init; } = 0.7;

    public string Signature => $"overlap|target:{TargetPosterior:R}|votes:{MinVotes}-{MaxVotes}|unknown-acc:{UnknownWorkerAccuracy:R}|version:{Aggregation.Version}";

    public OverlapDecision Decide(ReadOnlySpan<int> workers, ReadOnlySpan<int> labels, WorkerSkills skills, ReadOnlySpan<double> classPriors)
    {
        var k = skills.LabelCount;
        Span<double> log = stackalloc double[k];
        for (var c = 0; c < k; c++) log[c] = Math.Log(Math.Max(classPriors[c], 1e-300));
        for (var i = 0; i < workers.Length; i++)
        {
            var w = workers[i];
            var known = w >= 0 && w < skills.Accuracy.Length;
            for (var c = 0; c < k; c++)
            {
                var p = known
                    ? skills.VoteProbability(w, c, labels[i])
                    : labels[i] == c ? UnknownWorkerAccuracy : (1 - UnknownWorkerAccuracy) / Math.Max(1, k - 1);
                log[c] += Math.Log(Math.Max(p, 1e-10)); // a never-seen confusion cell must not veto a label
            }
        }
        Aggregation.SoftmaxInPlace(log);
        var best = 0;
        for (var c = 1; c < k; c++) if (log[c] > log[best]) best = c;
        var votes = workers.Length;
        var more = votes < MinVotes || (votes < MaxVotes && log[best] < TargetPosterior);
        return new OverlapDecision(more, best, log[best], votes);
    }
}
