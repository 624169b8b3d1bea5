namespace AyaQC.Core.Crowd;

/// <summary>
/// Majority vote: each task gets the label with the most votes; the posterior is the share of votes.
/// Worker skill = share of the worker's votes that agree with the aggregated label.
/// Ties follow <see cref="Ties"/> (<see cref="TieRule.LowestLabel"/> reproduces crowd-kit's MajorityVote).
/// </summary>
public sealed class MajorityVote : ICrowdAggregator
{
    public string Name => "mv";
    public TieRule Ties { get; init; } = TieRule.TaskHash;

    public CrowdLabels Aggregate(CrowdAnswers answers, int[]? knownLabels = null)
    {
        Aggregation.CheckKnown(answers, knownLabels);
        var k = answers.LabelCount;
        var posteriors = VoteShares(answers, null);
        Aggregation.ClampKnown(posteriors, knownLabels, k);
        var labels = new LabelPicker(answers, Ties).ArgMaxRows(posteriors, answers.TaskCount, k);
        var skills = new WorkerSkills("agreement with the aggregated label", AgreementWith(answers, labels), null, k);
        return new CrowdLabels(answers, Name, Aggregation.Signature(Name, Ties, Aggregation.CountKnown(knownLabels), ""),
            labels, posteriors, skills, Aggregation.MeanRow(posteriors, answers.TaskCount, k), 0);
    }

    /// <summary>
    /// Tasks × K shares of (optionally weighted) votes. A task whose votes all weigh zero falls back to
    /// unweighted shares, so every row is a distribution.
    /// </summary>
    internal static double[] VoteShares(CrowdAnswers answers, double[]? workerWeight)
    {
        var k = answers.LabelCount;
        var shares = new double[answers.TaskCount * k];
        var start = answers.taskStart;
        for (var t = 0; t < answers.TaskCount; t++)
        {
            var row = shares.AsSpan(t * k, k);
            var total = 0.0;
            for (var v = start[t]; v < start[t + 1]; v++)
            {
                var weight = workerWeight == null ? 1.0 : workerWeight[answers.voteWorker[v]];
                row[answers.voteLabel[v]] += weight;
                total += weight;
            }
            if (total <= 0)
            {
                for (var v = start[t]; v < start[t + 1]; v++) { row[answers.voteLabel[v]] += 1; total += 1; }
            }
            if (total > 0) for (var c = 0; c < k; c++) row[c] /= total;
        }
        return shares;
    }

    /// <summary>Per worker: share of their votes equal to the given task labels (0 for a worker with no votes).</summary>
    internal static double[] AgreementWith(CrowdAnswers answers, int[] labels)
    {
        var agree = new double[answers.WorkerCount];
        var total = new int[answers.WorkerCount];
        for (var v = 0; v < answers.VoteCount; v++)
        {
            var w = answers.voteWorker[v];
            total[w]++;
            if (answers.voteLabel[v] == labels[answers.voteTask[v]]) agree[w]++;
        }
        for (var w = 0; w < agree.Length; w++) agree[w] = total[w] == 0 ? 0 : agree[w] / total[w];
        return agree;
    }
}
