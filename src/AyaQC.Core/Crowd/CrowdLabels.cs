namespace AyaQC.Core.Crowd;

/// <summary>What an aggregation method inferred: a label and a posterior per task, and a skill per worker.</summary>
public sealed class CrowdLabels
{
    public CrowdLabels(CrowdAnswers answers, string method, string signature, int[] labels, double[] posteriors,
        WorkerSkills skills, double[] classPriors, int iterations)
    {
        Answers = answers;
        Method = method;
        Signature = signature;
        Labels = labels;
        Posteriors = posteriors;
        Skills = skills;
        ClassPriors = classPriors;
        Iterations = iterations;
    }

    public CrowdAnswers Answers { get; }
    public string Method { get; }

    /// <summary>Every option that shaped the result, e.g. <c>ds|ties:lowest|iter:100|tol:1e-05|gold:0|version:ayaqc-1</c>.</summary>
    public string Signature { get; }

    /// <summary>Label id per task (index into <see cref="CrowdAnswers.LabelNames"/>).</summary>
    public int[] Labels { get; }

    /// <summary>Tasks × labels, row-major: posterior probability of each label per task.</summary>
    public double[] Posteriors { get; }

    public WorkerSkills Skills { get; }

    /// <summary>Class prior used or learned by the method (uniform where the method does not learn one).</summary>
    public double[] ClassPriors { get; }

    /// <summary>EM / optimisation iterations run (0 for one-pass methods).</summary>
    public int Iterations { get; }

    public ReadOnlySpan<double> Posterior(int task) => Posteriors.AsSpan(task * Answers.LabelCount, Answers.LabelCount);

    public string LabelName(int task) => Answers.LabelNames[Labels[task]];

    /// <summary>
    /// Share of tasks with a known label (≥ 0 or <see cref="CrowdAnswers.UnknownLabel"/>) whose aggregated label
    /// equals it; NaN when no task has one.
    /// </summary>
    public double Accuracy(int[] knownLabels)
    {
        int known = 0, correct = 0;
        for (var t = 0; t < Labels.Length; t++)
        {
            if (knownLabels[t] == -1) continue;
            known++;
            if (knownLabels[t] == Labels[t]) correct++;
        }
        return known == 0 ? double.NaN : (double)correct / known;
    }
}

/// <summary>
/// Per-worker skill. <see cref="Accuracy"/> is always filled (probability that a vote equals the true label,
/// under the method's model); <see cref="Confusion"/> holds full confusion matrices for Dawid–Skene style methods.
/// </summary>
public sealed class WorkerSkills
{
    public WorkerSkills(string kind, double[] accuracy, double[]? confusion, int labelCount)
    {
        Kind = kind;
        Accuracy = accuracy;
        Confusion = confusion;
        LabelCount = labelCount;
    }

    /// <summary>What <see cref="Accuracy"/> means for this method (e.g. "agreement with majority", "P(not spamming)").</summary>
    public string Kind { get; }

    public double[] Accuracy { get; }

    /// <summary>Workers × true label × observed label, row-major: P(worker says observed | truth); null when not modelled.</summary>
    public double[]? Confusion { get; }

    public int LabelCount { get; }

    /// <summary>P(worker says <paramref name="observed"/> | true label <paramref name="truth"/>), from the matrix or the one-coin model.</summary>
    public double VoteProbability(int worker, int truth, int observed)
    {
        var k = LabelCount;
        if (Confusion != null) return Confusion[(worker * k + truth) * k + observed];
        var a = Accuracy[worker];
        return truth == observed ? a : (1 - a) / Math.Max(1, k - 1);
    }
}
