namespace AyaQC.Core.Crowd;

/// <summary>A truth-inference method: votes in, a label and posterior per task and a skill per worker out.</summary>
public interface ICrowdAggregator
{
    /// <summary>Short name used on the command line and in signatures (mv, wawa, ds, onecoin, glad, mace).</summary>
    string Name { get; }

    /// <summary>
    /// Aggregates the votes. <paramref name="knownLabels"/> (optional, one entry per task, -1 = unknown) holds
    /// labels known for sure (gold / control items): the methods treat them as fixed truth.
    /// </summary>
    CrowdLabels Aggregate(CrowdAnswers answers, int[]? knownLabels = null);
}

/// <summary>Small pieces shared by the methods: fixed truth and signatures.</summary>
internal static class Aggregation
{
    public const string Version = "ayaqc-1";

    public static int CountKnown(int[]? known)
    {
        if (known == null) return 0;
        var n = 0;
        foreach (var l in known) if (l >= 0) n++;
        return n;
    }

    public static void CheckKnown(CrowdAnswers answers, int[]? known)
    {
        if (known != null && known.Length != answers.TaskCount)
            throw new ArgumentException($"known labels: expected one entry per task ({answers.TaskCount}), got {known.Length}");
    }

    /// <summary>Replaces the posterior row of every task with a known label by a one-hot row.</summary>
    public static void ClampKnown(double[] posteriors, int[]? known, int k)
    {
        if (known == null) return;
        for (var t = 0; t < known.Length; t++)
        {
            if (known[t] < 0) continue;
            var row = posteriors.AsSpan(t * k, k);
            row.Clear();
            row[known[t]] = 1.0;
        }
    }

    /// <summary>Mean posterior row: the class prior that EM learns.</summary>
    public static double[] MeanRow(double[] posteriors, int taskCount, int k)
    {
        var mean = new double[k];
        for (var t = 0; t < taskCount; t++)
            for (var c = 0; c < k; c++) mean[c] += posteriors[t * k + c];
        for (var c = 0; c < k; c++) mean[c] /= Math.Max(1, taskCount);
        return mean;
    }

    /// <summary>
    /// Turns log scores into probabilities in place (shift by the max, exponentiate, normalise). Probabilities
    /// below e^-300 (~1e-130) are set to 0: products of such values with small factors fall into subnormal doubles,
    /// which make every later multiplication ~100× slower. Returns log Σ exp(scores) when asked, else 0.
    /// </summary>
    public static double SoftmaxInPlace(Span<double> row, bool logNormaliser = false)
    {
        var max = double.NegativeInfinity;
        foreach (var x in row) if (x > max) max = x;
        var sum = 0.0;
        for (var i = 0; i < row.Length; i++)
        {
            var d = row[i] - max;
            row[i] = d == 0 ? 1 : d < -300 ? 0 : Math.Exp(d); // the largest needs no Exp
            sum += row[i];
        }
        var inverse = 1 / sum;
        for (var i = 0; i < row.Length; i++) row[i] *= inverse;
        return logNormaliser ? max + Math.Log(sum) : 0;
    }

    public static double[] Uniform(int k)
    {
        var p = new double[k];
        Array.Fill(p, 1.0 / k);
        return p;
    }

    public static string Signature(string method, TieRule ties, int known, string options) =>
        $"{method}|ties:{LabelPicker.SignatureOf(ties)}|{options}{(options.Length > 0 ? "|" : "")}known:{known}|version:{Version}";
}
