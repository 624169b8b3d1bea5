namespace AyaQC.Core.Crowd;

/// <summary>Which label wins when several have exactly the same score or posterior.</summary>
public enum TieRule
{
    /// <summary>
    /// A pseudo-random but fixed choice per task: the tied label with the smallest hash of (task name, label id).
    /// No label is favoured across tasks, so renaming labels does not move accuracy, and a rerun gives the same
    /// labels. Expected accuracy on tied tasks equals a fair coin.
    /// </summary>
    TaskHash,

    /// <summary>The first label in ordinal string order: crowd-kit's rule (pandas idxmax over sorted columns).</summary>
    LowestLabel,
}

/// <summary>Picks the arg-max label of a score row, breaking exact ties by <see cref="TieRule"/>.</summary>
public sealed class LabelPicker
{
    readonly CrowdAnswers answers;

    public TieRule Rule { get; }

    public LabelPicker(CrowdAnswers answers, TieRule rule)
    {
        this.answers = answers;
        Rule = rule;
    }

    public int ArgMax(int task, ReadOnlySpan<double> scores)
    {
        var best = 0;
        ulong bestKey = 0;
        var tied = false;
        for (var l = 1; l < scores.Length; l++)
        {
            if (scores[l] < scores[best]) continue;
            if (scores[l] > scores[best]) { best = l; tied = false; continue; }
            if (Rule == TieRule.LowestLabel) continue;
            if (!tied) { bestKey = Key(task, best); tied = true; }
            var key = Key(task, l);
            if (key < bestKey) { best = l; bestKey = key; }
        }
        return best;
    }

    /// <summary>Arg-max label of every row of a tasks × K matrix.</summary>
    public int[] ArgMaxRows(double[] posteriors, int taskCount, int k)
    {
        var labels = new int[taskCount];
        for (var t = 0; t < taskCount; t++) labels[t] = ArgMax(t, posteriors.AsSpan(t * k, k));
        return labels;
    }

    /// <summary>FNV-1a over the task name, mixed with the label id (splitmix64 finaliser).</summary>
    ulong Key(int task, int label)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in answers.TaskNames[task]) h = (h ^ ch) * 1099511628211UL;
        var z = h + 0x9E3779B97F4A7C15UL * (ulong)(label + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static string SignatureOf(TieRule rule) => rule == TieRule.LowestLabel ? "lowest" : "task-hash";
}
