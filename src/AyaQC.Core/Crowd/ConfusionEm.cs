namespace AyaQC.Core.Crowd;

/// <summary>
/// The EM loop shared by <see cref="DawidSkene"/> and <see cref="OneCoinDawidSkene"/>, which differ only in how
/// the M-step turns expected counts into vote probabilities. Follows crowd-kit's schedule: start from majority-vote
/// shares, learn class priors, E-step in log space, stop when the evidence lower bound per vote improves by less
/// than the tolerance (or falls).
/// </summary>
internal sealed class ConfusionEm
{
    const double Eps = 1e-10;

    readonly CrowdAnswers answers;
    readonly int k;
    readonly bool oneCoin;
    readonly double[] logE;     // [(w*K + observed)*K + truth] = log P(observed | truth) for worker w
    readonly bool[] used;       // [w*K + observed]: the worker gave this label at least once
    public double[] OneCoinSkill { get; }

    public ConfusionEm(CrowdAnswers answers, bool oneCoin)
    {
        this.answers = answers;
        this.oneCoin = oneCoin;
        k = answers.LabelCount;
        logE = new double[answers.WorkerCount * k * k];
        used = new bool[answers.WorkerCount * k];
        for (var v = 0; v < answers.VoteCount; v++) used[answers.voteWorker[v] * k + answers.voteLabel[v]] = true;
        OneCoinSkill = new double[answers.WorkerCount];
    }

    public (double[] Posteriors, double[] Priors, int Iterations) Run(int[]? known, int maxIterations, double tolerance)
    {
        var posteriors = MajorityVote.VoteShares(answers, null);
        Aggregation.ClampKnown(posteriors, known, k);
        var priors = Aggregation.MeanRow(posteriors, answers.TaskCount, k);
        MStep(posteriors);
        var loss = double.NegativeInfinity;
        var iterations = 0;
        for (var it = 0; it < maxIterations; it++)
        {
            iterations++;
            EStep(posteriors, priors);
            Aggregation.ClampKnown(posteriors, known, k);
            priors = Aggregation.MeanRow(posteriors, answers.TaskCount, k);
            MStep(posteriors);
            var newLoss = EvidenceLowerBound(posteriors, priors) / answers.VoteCount;
            if (newLoss - loss < tolerance) break;
            loss = newLoss;
        }
        return (posteriors, priors, iterations);
    }

    void EStep(double[] posteriors, double[] priors)
    {
        var start = answers.taskStart;
        Span<double> logPrior = stackalloc double[k];
        for (var c = 0; c < k; c++) logPrior[c] = Math.Log(priors[c]);
        for (var t = 0; t < answers.TaskCount; t++)
        {
            var row = posteriors.AsSpan(t * k, k);
            logPrior.CopyTo(row);
            for (var v = start[t]; v < start[t + 1]; v++)
            {
                var cell = (answers.voteWorker[v] * k + answers.voteLabel[v]) * k;
                for (var c = 0; c < k; c++) row[c] += logE[cell + c];
            }
            Aggregation.SoftmaxInPlace(row);
        }
    }

    void MStep(double[] posteriors)
    {
        if (oneCoin) { OneCoinMStep(posteriors); return; }
        // Expected counts of (observed, truth) per worker; cells of labels a worker used are clipped at Eps, as in
        // crowd-kit, and labels a worker never used keep probability 0.
        var counts = new double[logE.Length];
        for (var v = 0; v < answers.VoteCount; v++)
        {
            var cell = (answers.voteWorker[v] * k + answers.voteLabel[v]) * k;
            var p = answers.voteTask[v] * k;
            for (var c = 0; c < k; c++) counts[cell + c] += posteriors[p + c];
        }
        Span<double> denom = stackalloc double[k];
        for (var w = 0; w < answers.WorkerCount; w++)
        {
            denom.Clear();
            for (var l = 0; l < k; l++)
            {
                if (!used[w * k + l]) continue;
                var cell = (w * k + l) * k;
                for (var c = 0; c < k; c++)
                {
                    counts[cell + c] = Math.Max(counts[cell + c], Eps);
                    denom[c] += counts[cell + c];
                }
            }
            for (var l = 0; l < k; l++)
            {
                var cell = (w * k + l) * k;
                for (var c = 0; c < k; c++)
                    logE[cell + c] = used[w * k + l] ? Math.Log(counts[cell + c] / denom[c]) : double.NegativeInfinity;
            }
        }
    }

    void OneCoinMStep(double[] posteriors)
    {
        // Skill = expected share of the worker's votes that are correct.
        var skill = OneCoinSkill;
        Array.Clear(skill);
        for (var v = 0; v < answers.VoteCount; v++)
            skill[answers.voteWorker[v]] += posteriors[answers.voteTask[v] * k + answers.voteLabel[v]];
        for (var w = 0; w < skill.Length; w++)
        {
            var n = answers.VotesByWorker(w);
            skill[w] = n == 0 ? 0 : skill[w] / n;
            var right = Math.Log(Math.Clamp(skill[w], Eps, 1 - Eps));
            var wrong = Math.Log(Math.Clamp((1 - skill[w]) / Math.Max(1, k - 1), Eps, 1 - Eps));
            for (var l = 0; l < k; l++)
            {
                var cell = (w * k + l) * k;
                for (var c = 0; c < k; c++)
                    logE[cell + c] = used[w * k + l] ? (c == l ? right : wrong) : double.NegativeInfinity;
            }
        }
    }

    /// <summary>
    /// crowd-kit's stopping quantity: expected complete-data log-likelihood over votes (the log prior counted once
    /// per vote, as crowd-kit does) plus the entropy of the posteriors.
    /// </summary>
    double EvidenceLowerBound(double[] posteriors, double[] priors)
    {
        Span<double> logPrior = stackalloc double[k];
        for (var c = 0; c < k; c++) logPrior[c] = Math.Log(priors[c]);
        var sum = 0.0;
        for (var v = 0; v < answers.VoteCount; v++)
        {
            var cell = (answers.voteWorker[v] * k + answers.voteLabel[v]) * k;
            var p = answers.voteTask[v] * k;
            for (var c = 0; c < k; c++)
            {
                var q = posteriors[p + c];
                if (q > 0) sum += q * (logE[cell + c] + logPrior[c]);
            }
        }
        foreach (var q in posteriors) if (q > 0) sum -= q * Math.Log(q);
        return sum;
    }

    /// <summary>Workers × truth × observed confusion matrices (row = true label) from the fitted parameters.</summary>
    public double[] ConfusionByTruth()
    {
        var confusion = new double[logE.Length];
        for (var w = 0; w < answers.WorkerCount; w++)
            for (var l = 0; l < k; l++)
                for (var c = 0; c < k; c++)
                    confusion[(w * k + c) * k + l] = Math.Exp(logE[(w * k + l) * k + c]);
        return confusion;
    }

    /// <summary>Expected accuracy per worker: Σ_c prior(c) · P(says c | truth c).</summary>
    public static double[] ExpectedAccuracy(double[] confusion, double[] priors, int workers, int k)
    {
        var accuracy = new double[workers];
        for (var w = 0; w < workers; w++)
            for (var c = 0; c < k; c++) accuracy[w] += priors[c] * confusion[(w * k + c) * k + c];
        return accuracy;
    }
}
