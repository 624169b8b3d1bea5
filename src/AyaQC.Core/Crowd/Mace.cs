using MathNet.Numerics;

namespace AyaQC.Core.Crowd;

/// <summary>
/// MACE (Multi-Annotator Competence Estimation): on each vote a worker either knows the answer and gives the true
/// label, or spams with probability 1 − θ_w and draws a label from their own strategy ξ_w. Trained by
/// variational Bayes (Beta(0.5, 0.5) on spamming, symmetric Dirichlet(10) on strategies) or plain EM with
/// smoothing 0.01/K; the best of 10 random restarts × 50 iterations by marginal likelihood. Implemented as the
/// paper and the original Java tool define it: expected counts are indexed by the same worker and label ids as
/// the parameters (crowd-kit 1.4.1's MACE mixes two orders, which makes it depend on row order). Restarts draw
/// fresh starting points from one seeded generator.
/// <para>D. Hovy, T. Berg-Kirkpatrick, A. Vaswani and E. Hovy, "Learning whom to trust with MACE",
/// NAACL-HLT 2013, 1120–1130.</para>
/// </summary>
public sealed class Mace : ICrowdAggregator
{
    public string Name => "mace";
    public int Restarts { get; init; } = 10;
    public int Iterations { get; init; } = 50;
    public bool Variational { get; init; } = true;
    public double SpammingPrior { get; init; } = 0.5;   // Beta prior pseudo-count on "spamming"
    public double KnowingPrior { get; init; } = 0.5;    // Beta prior pseudo-count on "knowing"
    public double StrategyPrior { get; init; } = 10.0;  // symmetric Dirichlet pseudo-count per label
    public double DefaultNoise { get; init; } = 0.5;    // starting values are drawn from U(1, 2 + noise)
    public int Seed { get; init; } = 0;
    public TieRule Ties { get; init; } = TieRule.TaskHash;

    public CrowdLabels Aggregate(CrowdAnswers answers, int[]? knownLabels = null)
    {
        Aggregation.CheckKnown(answers, knownLabels);
        var k = answers.LabelCount;
        // Restarts are independent (each start is a hash of seed, restart and worker name), so they run in
        // parallel; the best is chosen by likelihood, ties to the earlier restart.
        var restarts = Math.Max(1, Restarts);
        var fits = new (double LogLikelihood, double[] Spam, double[] Know, double[] Strategy)[restarts];
        Parallel.For(0, restarts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, r =>
        {
            var run = new MaceModel(answers, this);
            run.Initialize(Seed, r);
            var logLikelihood = run.EStep(knownLabels, withLikelihood: Iterations == 0);
            for (var it = 0; it < Iterations; it++)
            {
                run.MStep();
                logLikelihood = run.EStep(knownLabels, withLikelihood: it == Iterations - 1);
            }
            fits[r] = (logLikelihood, run.Spam, run.Know, run.Strategy);
        });
        var best = 0;
        for (var r = 1; r < restarts; r++) if (fits[r].LogLikelihood > fits[best].LogLikelihood) best = r;
        var model = new MaceModel(answers, this);
        Array.Copy(fits[best].Spam, model.Spam, model.Spam.Length);
        Array.Copy(fits[best].Know, model.Know, model.Know.Length);
        Array.Copy(fits[best].Strategy, model.Strategy, model.Strategy.Length);
        model.EStep(knownLabels);

        var competence = new double[answers.WorkerCount];
        for (var w = 0; w < competence.Length; w++) competence[w] = model.Know[w] / (model.Know[w] + model.Spam[w]);
        var labels = new LabelPicker(answers, Ties).ArgMaxRows(model.Posteriors, answers.TaskCount, k);
        var training = Variational ? $"vb|prior:beta({SpammingPrior:R},{KnowingPrior:R})+dir({StrategyPrior:R})" : "em|smoothing:0.01/K";
        return new CrowdLabels(answers, Name,
            Aggregation.Signature(Name, Ties, Aggregation.CountKnown(knownLabels),
                $"restarts:{Restarts}|iter:{Iterations}|{training}|noise:{DefaultNoise:R}|seed:{Seed}"),
            labels, model.Posteriors, new WorkerSkills("MACE competence P(not spamming)", competence, null, k),
            Aggregation.Uniform(k), Restarts * Iterations);
    }

    sealed class MaceModel
    {
        readonly CrowdAnswers answers;
        readonly Mace options;
        readonly int k;
        public double[] Spam, Know, Strategy;          // per worker; Strategy is workers × K
        readonly double[] spamCount, knowCount, strategyCount;
        readonly double[] logGuess, logBoost, knowShare; // per (worker, label) tables for the E-step
        public double[] Posteriors { get; }

        public MaceModel(CrowdAnswers answers, Mace options)
        {
            this.answers = answers;
            this.options = options;
            k = answers.LabelCount;
            var n = answers.WorkerCount;
            Spam = new double[n]; Know = new double[n]; Strategy = new double[n * k];
            spamCount = new double[n]; knowCount = new double[n]; strategyCount = new double[n * k];
            logGuess = new double[n * k]; logBoost = new double[n * k]; knowShare = new double[n * k];
            Posteriors = new double[answers.TaskCount * k];
        }

        /// <summary>
        /// Random starting point. Each worker's draws come from a hash of (seed, restart, worker name), not from a
        /// shared stream, so the start — and the result — does not depend on the order of the rows.
        /// </summary>
        public void Initialize(int seed, int restart)
        {
            var width = 1 + options.DefaultNoise;
            for (var w = 0; w < Spam.Length; w++)
            {
                var stream = new UniformStream(seed, restart, answers.WorkerNames[w]);
                double a = 1 + width * stream.Next(), b = 1 + width * stream.Next();
                Spam[w] = a / (a + b);
                Know[w] = b / (a + b);
                var row = Strategy.AsSpan(w * k, k);
                var sum = 0.0;
                for (var l = 0; l < k; l++) { row[l] = 1 + width * stream.Next(); sum += row[l]; }
                for (var l = 0; l < k; l++) row[l] /= sum;
            }
        }

        /// <summary>Posteriors of the true label and expected counts; returns the log marginal likelihood.</summary>
        /// <summary>
        /// Posteriors of the true label and expected counts; returns the log marginal likelihood when
        /// <paramref name="withLikelihood"/> (only the last E-step of a restart needs it), else 0.
        /// </summary>
        public double EStep(int[]? known, bool withLikelihood = true)
        {
            // P(vote l | truth c) = spam·ξ_l + know·[l = c]: two values per (worker, label), tabulated once:
            // log(spam·ξ_l), the log boost when l is the truth, and the share of "knowing" when it is.
            for (var w = 0; w < Spam.Length; w++)
                for (var l = 0; l < k; l++)
                {
                    var guess = Spam[w] * Strategy[w * k + l];
                    logGuess[w * k + l] = Math.Log(guess);
                    logBoost[w * k + l] = Math.Log(guess + Know[w]) - logGuess[w * k + l];
                    knowShare[w * k + l] = Know[w] / (guess + Know[w]);
                }
            Array.Clear(strategyCount);
            var start = answers.taskStart;
            var workers = answers.voteWorker;
            var labels = answers.voteLabel;
            var logUniform = -Math.Log(k);
            var total = 0.0;
            for (var t = 0; t < answers.TaskCount; t++)
            {
                var row = Posteriors.AsSpan(t * k, k);
                row.Clear();
                var baseLog = 0.0;
                for (var v = start[t]; v < start[t + 1]; v++)
                {
                    var cell = workers[v] * k + labels[v];
                    if (withLikelihood) baseLog += logGuess[cell];
                    row[labels[v]] += logBoost[cell];
                }
                var logSum = Aggregation.SoftmaxInPlace(row, withLikelihood);
                if (withLikelihood) total += logUniform + baseLog + logSum;
                if (known != null && known[t] >= 0) { row.Clear(); row[known[t]] = 1; }

                for (var v = start[t]; v < start[t + 1]; v++)
                {
                    var cell = workers[v] * k + labels[v];
                    // P(this vote was a guess | data) = 1 − P(its label is the truth)·P(knowing | label is truth)
                    strategyCount[cell] += 1 - row[labels[v]] * knowShare[cell];
                }
            }
            // Each vote was either a guess or knowledge: the per-worker totals follow from the strategy counts.
            for (var w = 0; w < spamCount.Length; w++)
            {
                var guesses = 0.0;
                for (var l = 0; l < k; l++) guesses += strategyCount[w * k + l];
                spamCount[w] = guesses;
                knowCount[w] = answers.VotesByWorker(w) - guesses;
            }
            return total;
        }

        public void MStep()
        {
            for (var w = 0; w < Spam.Length; w++)
            {
                var row = Strategy.AsSpan(w * k, k);
                var counts = strategyCount.AsSpan(w * k, k);
                if (options.Variational)
                {
                    var a = spamCount[w] + options.SpammingPrior;
                    var b = knowCount[w] + options.KnowingPrior;
                    var norm = Math.Exp(SpecialFunctions.DiGamma(a + b));
                    Spam[w] = Math.Exp(SpecialFunctions.DiGamma(a)) / norm;
                    Know[w] = Math.Exp(SpecialFunctions.DiGamma(b)) / norm;
                    var sum = 0.0;
                    for (var l = 0; l < k; l++) sum += counts[l] + options.StrategyPrior;
                    var strategyNorm = Math.Exp(SpecialFunctions.DiGamma(sum));
                    for (var l = 0; l < k; l++) row[l] = Math.Exp(SpecialFunctions.DiGamma(counts[l] + options.StrategyPrior)) / strategyNorm;
                }
                else
                {
                    var smoothing = 0.01 / k;
                    var total = spamCount[w] + knowCount[w] + 2 * smoothing;
                    Spam[w] = (spamCount[w] + smoothing) / total;
                    Know[w] = (knowCount[w] + smoothing) / total;
                    var sum = 0.0;
                    for (var l = 0; l < k; l++) sum += counts[l] + smoothing;
                    for (var l = 0; l < k; l++) row[l] = (counts[l] + smoothing) / sum;
                }
            }
        }
    }

    /// <summary>Uniform [0, 1) numbers from splitmix64, seeded by (seed, restart, name).</summary>
    struct UniformStream
    {
        ulong state;

        public UniformStream(int seed, int restart, string name)
        {
            var h = 14695981039346656037UL;
            foreach (var ch in name) h = (h ^ ch) * 1099511628211UL;
            state = h ^ ((ulong)(uint)seed << 32 | (uint)restart) * 0x9E3779B97F4A7C15UL;
        }

        public double Next()
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }
}
