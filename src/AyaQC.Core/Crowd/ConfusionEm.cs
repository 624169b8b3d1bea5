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

    /// <summary>Fits either model and packages the result with the method's name, options and skills.</summary>
    public static CrowdLabels Aggregate(CrowdAnswers answers, int[]? known, bool oneCoin, string name,
        int maxIterations, double tolerance, TieRule ties)
    {
        Aggregation.CheckKnown(answers, known);
        var k = answers.LabelCount;
        var em = new ConfusionEm(answers, oneCoin);
        var (posteriors, priors, iterations) = em.Run(known, maxIterations, tolerance);
        WorkerSkills skills;
        if (oneCoin) skills = new WorkerSkills("one-coin accuracy", (double[])em.OneCoinSkill.Clone(), null, k);
        else
        {
            var confusion = em.ConfusionByTruth();
            skills = new WorkerSkills("expected accuracy under the confusion matrix",
                ExpectedAccuracy(confusion, priors, answers.WorkerCount, k), confusion, k);
        }
        var labels = new LabelPicker(answers, ties).ArgMaxRows(posteriors, answers.TaskCount, k);
        return new CrowdLabels(answers, name,
            Aggregation.Signature(name, ties, Aggregation.CountKnown(known), $"iter:{maxIterations}|tol:{tolerance:R}"),
            labels, posteriors, skills, priors, iterations);
    }

    public (double[] Posteriors, double[] Priors, int Iterations) Run(int[]? known, int maxIterations, double tolerance)
    {
        var posteriors = MajorityVote.VoteShares(answers, null);
        Aggregation.ClampKnown(posteriors, known, k);
        var priors = Aggregation.MeanRow(posteriors, answers.TaskCount, k);
        MStep(posteriors);
        var loss = double.NegativeInfinity;
        var iterations = 0;
        var votesPerLabel = new double[k];
        for (var it = 0; it < maxIterations; it++)
        {
            iterations++;
            var entropy = EStep(posteriors, priors, known, votesPerLabel);
            priors = Aggregation.MeanRow(posteriors, answers.TaskCount, k);
            var voteTerm = MStep(posteriors);
            var priorTerm = 0.0;
            for (var c = 0; c < k; c++) if (votesPerLabel[c] > 0) priorTerm += votesPerLabel[c] * Math.Log(priors[c]);
            // crowd-kit's stopping quantity: expected complete-data log-likelihood over votes (the log prior
            // counted once per vote, as crowd-kit does) plus the posterior entropy, per vote.
            var newLoss = (voteTerm + priorTerm + entropy) / answers.VoteCount;
            if (newLoss - loss < tolerance) break;
            loss = newLoss;
        }
        return (posteriors, priors, iterations);
    }

    /// <summary>
    /// Posteriors from the current parameters (known tasks clamped). Also returns the summed posterior entropy and
    /// fills Σ_t votes(t)·p(t, c) per label, the pieces of the stopping quantity that need the posteriors.
    /// </summary>
    double EStep(double[] posteriors, double[] priors, int[]? known, double[] votesPerLabel)
    {
        var logPrior = new double[k];
        for (var c = 0; c < k; c++) logPrior[c] = Math.Log(priors[c]);
        Array.Clear(votesPerLabel);
        // One thread: a pass costs a few milliseconds even at a million votes, less than handing it to a pool.
        return EStepRange(posteriors, logPrior, known, votesPerLabel, 0, answers.TaskCount);
    }

    double EStepRange(double[] posteriors, double[] logPrior, int[]? known, double[] votesPerLabel, int from, int to)
    {
        var start = answers.taskStart;
        var workers = answers.voteWorker;
        var labels = answers.voteLabel;
        var table = logE;
        Span<double> scores = stackalloc double[k];
        var entropy = 0.0;
        for (var t = from; t < to; t++)
        {
            var o = t * k;
            var m = start[t + 1] - start[t];
            if (known != null && known[t] >= 0)
            {
                for (var c = 0; c < k; c++) posteriors[o + c] = c == known[t] ? 1 : 0;
                votesPerLabel[known[t]] += m;
                continue;
            }
            logPrior.CopyTo(scores);
            for (var v = start[t]; v < start[t + 1]; v++)
            {
                var cell = (workers[v] * k + labels[v]) * k;
                for (var c = 0; c < k; c++) scores[c] += table[cell + c];
            }
            // Softmax (probabilities below e^-300 flushed to 0, see Aggregation.SoftmaxInPlace), and the entropy
            // from the scores, H = log Σ exp(s) − Σ q·s, without a logarithm per label.
            var max = scores[0];
            for (var c = 1; c < k; c++) if (scores[c] > max) max = scores[c];
            var sum = 0.0;
            for (var c = 0; c < k; c++)
            {
                var d = scores[c] - max;
                var e = d == 0 ? 1 : d < -300 ? 0 : Math.Exp(d);
                posteriors[o + c] = e;
                sum += e;
            }
            var inverse = 1 / sum;
            var expectedScore = 0.0;
            for (var c = 0; c < k; c++)
            {
                var q = posteriors[o + c] * inverse;
                posteriors[o + c] = q;
                if (q > 0) expectedScore += q * scores[c];
                votesPerLabel[c] += m * q;
            }
            entropy += max + Math.Log(sum) - expectedScore;
        }
        return entropy;
    }

    /// <summary>New vote probabilities from the posteriors; returns Σ_votes Σ_c p(t, c)·log P(vote | c) under them.</summary>
    double MStep(double[] posteriors) => oneCoin ? OneCoinMStep(posteriors) : FullMStep(posteriors);

    double FullMStep(double[] posteriors)
    {
        // Expected counts of (observed, truth) per worker. As in crowd-kit, cells of labels a worker used are
        // clipped at Eps before normalising, and labels a worker never used keep probability 0.
        var counts = new double[logE.Length];
        var workers = answers.voteWorker;
        var labels = answers.voteLabel;
        var tasks = answers.voteTask;
        for (var v = 0; v < answers.VoteCount; v++)
        {
            var cell = (workers[v] * k + labels[v]) * k;
            var p = tasks[v] * k;
            for (var c = 0; c < k; c++) counts[cell + c] += posteriors[p + c];
        }
        Span<double> denom = stackalloc double[k];
        var voteTerm = 0.0;
        for (var w = 0; w < answers.WorkerCount; w++)
        {
            denom.Clear();
            for (var l = 0; l < k; l++)
            {
                if (!used[w * k + l]) continue;
                for (var c = 0; c < k; c++) denom[c] += Math.Max(counts[(w * k + l) * k + c], Eps);
            }
            for (var l = 0; l < k; l++)
            {
                var cell = (w * k + l) * k;
                for (var c = 0; c < k; c++)
                {
                    if (!used[w * k + l]) { logE[cell + c] = double.NegativeInfinity; continue; }
                    logE[cell + c] = Math.Log(Math.Max(counts[cell + c], Eps) / denom[c]);
                    if (counts[cell + c] > 0) voteTerm += counts[cell + c] * logE[cell + c];
                }
            }
        }
        return voteTerm;
    }

    double OneCoinMStep(double[] posteriors)
    {
        // Skill = expected share of the worker's votes that are correct.
        var skill = OneCoinSkill;
        Array.Clear(skill);
        var workers = answers.voteWorker;
        var labels = answers.voteLabel;
        var tasks = answers.voteTask;
        for (var v = 0; v < answers.VoteCount; v++)
            skill[workers[v]] += posteriors[tasks[v] * k + labels[v]];
        var voteTerm = 0.0;
        for (var w = 0; w < skill.Length; w++)
        {
            var n = answers.VotesByWorker(w);
            var expectedRight = skill[w];
            skill[w] = n == 0 ? 0 : skill[w] / n;
            var right = Math.Log(Math.Clamp(skill[w], Eps, 1 - Eps));
            var wrong = Math.Log(Math.Clamp((1 - skill[w]) / Math.Max(1, k - 1), Eps, 1 - Eps));
            voteTerm += expectedRight * right + (n - expectedRight) * wrong;
            for (var l = 0; l < k; l++)
            {
                var cell = (w * k + l) * k;
                for (var c = 0; c < k; c++)
                    logE[cell + c] = used[w * k + l] ? (c == l ? right : wrong) : double.NegativeInfinity;
            }
        }
        return voteTerm;
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
