using System.Numerics;

namespace AyaQC.Core.Crowd;

/// <summary>
/// GLAD (Generative model of Labels, Abilities and Difficulties): worker w with ability α_w answers task t with
/// log-easiness β_t correctly with probability σ(α_w·e^{β_t}); a wrong answer is spread evenly over the other
/// labels. EM: posteriors in the E-step, conjugate gradient on α, β in the M-step. Defaults as crowd-kit's GLAD:
/// uniform class priors, α and β start at 1 with N(1, 1) priors, 100 EM iterations, tol 1e-5 on the expected
/// log-likelihood per (vote, label) pair, M-step CG with at most 25 iterations and gradient tolerance 1e-2.
/// <para>J. Whitehill, P. Ruvolo, T. Wu, J. Bergsma and J. Movellan, "Whose vote should count more: optimal
/// integration of labels from labelers of unknown expertise", NIPS 2009.</para>
/// </summary>
public sealed class Glad : ICrowdAggregator
{
    public string Name => "glad";
    public int MaxIterations { get; init; } = 100;
    public double Tolerance { get; init; } = 1e-5;
    public int MStepMaxIterations { get; init; } = 25;
    public double MStepTolerance { get; init; } = 1e-2;
    public double AbilityPriorMean { get; init; } = 1.0;
    public double LogEasinessPriorMean { get; init; } = 1.0;
    public TieRule Ties { get; init; } = TieRule.TaskHash;

    /// <summary>Abilities α per worker and log-easiness β per task of the last fit.</summary>
    public (double[] Ability, double[] LogEasiness)? LastParameters { get; private set; }

    public CrowdLabels Aggregate(CrowdAnswers answers, int[]? knownLabels = null)
    {
        Aggregation.CheckKnown(answers, knownLabels);
        var fit = new GladFit(answers, this);
        var iterations = fit.Run(knownLabels);
        var k = answers.LabelCount;
        var labels = new LabelPicker(answers, Ties).ArgMaxRows(fit.Posteriors, answers.TaskCount, k);
        LastParameters = (fit.Ability.ToArray(), fit.LogEasiness.ToArray());
        var skills = new WorkerSkills("GLAD P(correct) averaged over the worker's tasks", fit.MeanCorrectness(), null, k);
        return new CrowdLabels(answers, Name,
            Aggregation.Signature(Name, Ties, Aggregation.CountKnown(knownLabels),
                $"iter:{MaxIterations}|tol:{Tolerance:R}|mstep:cg-{MStepMaxIterations}-{MStepTolerance:R}|prior:alpha~n({AbilityPriorMean:R},1),beta~n({LogEasinessPriorMean:R},1)"),
            labels, fit.Posteriors, skills, Aggregation.Uniform(k), iterations);
    }

    /// <summary>The state of one fit: parameters packed as x = [α (workers), β (tasks)].</summary>
    sealed class GladFit
    {
        readonly CrowdAnswers answers;
        readonly Glad options;
        readonly int k;
        readonly double logWrongShare; // log(K − 1): a wrong answer picks one of K − 1 labels
        readonly double[] x;
        readonly double[] votedPosterior; // posterior of the label each vote gave
        readonly double[] easiness;
        public double[] Posteriors { get; }

        public ArraySegment<double> Ability => new(x, 0, answers.WorkerCount);
        public ArraySegment<double> LogEasiness => new(x, answers.WorkerCount, answers.TaskCount);

        public GladFit(CrowdAnswers answers, Glad options)
        {
            this.answers = answers;
            this.options = options;
            k = answers.LabelCount;
            logWrongShare = Math.Log(Math.Max(1, k - 1));
            x = new double[answers.WorkerCount + answers.TaskCount];
            Array.Fill(x, 1.0);
            votedPosterior = new double[answers.VoteCount];
            easiness = new double[answers.TaskCount];
            Posteriors = new double[answers.TaskCount * k];
        }

        public int Run(int[]? known)
        {
            EStep(known);
            var q = -NegativeQ(x, null);
            var perPair = (double)answers.VoteCount * k;
            var cg = new ConjugateGradient { MaxIterations = options.MStepMaxIterations, GradientTolerance = options.MStepTolerance };
            var iterations = 0;
            for (var it = 0; it < options.MaxIterations; it++)
            {
                iterations++;
                var last = q;
                EStep(known);
                q = -cg.Minimize(NegativeQ, x) / perPair;
                if (q - last < options.Tolerance) break;
            }
            return iterations;
        }

        void EStep(int[]? known)
        {
            var start = answers.taskStart;
            var w0 = answers.WorkerCount;
            for (var t = 0; t < answers.TaskCount; t++)
            {
                var row = Posteriors.AsSpan(t * k, k);
                row.Clear(); // uniform prior: a constant that softmax removes
                var eb = Math.Exp(x[w0 + t]);
                for (var v = start[t]; v < start[t + 1]; v++)
                {
                    var (logRight, logWrong, _) = Link(x[answers.voteWorker[v]] * eb);
                    row[answers.voteLabel[v]] += logRight - (logWrong - logWrongShare);
                }
                Aggregation.SoftmaxInPlace(row);
            }
            Aggregation.ClampKnown(Posteriors, known, k);
            for (var v = 0; v < answers.VoteCount; v++)
                votedPosterior[v] = Posteriors[answers.voteTask[v] * k + answers.voteLabel[v]];
        }

        /// <summary>log σ(z), log(1 − σ(z)) and σ(z), computed without overflow (|z| capped at 36 as in <see cref="LinkTerms"/>).</summary>
        static (double LogSigma, double LogOneMinusSigma, double Sigma) Link(double z)
        {
            var e = Math.Exp(-Math.Min(Math.Abs(z), 36.0));
            var log1pe = Math.Log(1 + e);
            var logSigma = Math.Min(z, 0) - log1pe;
            return (logSigma, logSigma - z, (z >= 0 ? 1 : e) / (1 + e));
        }

        /// <summary>
        /// −Q(α, β): the negated expected complete log-likelihood plus the Gaussian priors, and its gradient when
        /// <paramref name="gradient"/> is not null. Large crowds are split into a fixed number of task ranges run in
        /// parallel; partial sums are combined in range order, so the result does not depend on thread timing.
        /// </summary>
        double NegativeQ(double[] point, double[]? gradient)
        {
            var w0 = answers.WorkerCount;
            var tasks = answers.TaskCount;
            for (var t = 0; t < tasks; t++) easiness[t] = Math.Exp(point[w0 + t]);
            var ranges = TaskRanges();
            zBuffer ??= new double[answers.VoteCount]; // per-vote scratch, shared by the ranges (disjoint slices)
            dBuffer ??= new double[answers.VoteCount];
            var partialQ = new double[ranges.Length - 1];
            if (gradient != null)
            {
                Array.Clear(gradient);
                workerGradients ??= new double[ranges.Length - 1][];
            }
            Parallel.For(0, ranges.Length - 1, new ParallelOptions { MaxDegreeOfParallelism = ranges.Length == 2 ? 1 : -1 }, r =>
            {
                double[]? gWorker = null;
                if (gradient != null)
                {
                    gWorker = workerGradients![r] ??= new double[w0];
                    Array.Clear(gWorker);
                }
                partialQ[r] = RangeQ(point, gradient, gWorker, ranges[r], ranges[r + 1]);
            });
            var q = 0.0;
            for (var r = 0; r < partialQ.Length; r++)
            {
                q += partialQ[r];
                if (gradient != null)
                    for (var w = 0; w < w0; w++) gradient[w] -= workerGradients![r][w];
            }
            const double halfLog2Pi = 0.91893853320467274;
            for (var i = 0; i < point.Length; i++)
            {
                var z = point[i] - (i < w0 ? options.AbilityPriorMean : options.LogEasinessPriorMean);
                q -= 0.5 * z * z + halfLog2Pi;
                if (gradient != null) gradient[i] += z;
            }
            return -q;
        }

        double[][]? workerGradients;
        int[]? taskRanges;

        int[] TaskRanges() => taskRanges ??= Crowd.TaskRanges.Split(answers, answers.VoteCount < 100_000 ? 1 : 8);

        /// <summary>
        /// Q over the votes of tasks [from, to); adds −∂Q/∂β into gradient and ∂Q/∂α into gWorker. Three passes:
        /// gather z = α_w·e^β per vote, the transcendental part in SIMD lanes, then scatter the gradient.
        /// </summary>
        double RangeQ(double[] point, double[]? gradient, double[]? gWorker, int from, int to)
        {
            var start = answers.taskStart;
            var workers = answers.voteWorker;
            int first = start[from], last = start[to];
            var z = zBuffer!;
            var d = dBuffer!;
            for (var t = from; t < to; t++)
            {
                var eb = easiness[t];
                for (var v = start[t]; v < start[t + 1]; v++) z[v] = point[workers[v]] * eb;
            }

            var q = LinkTerms(z, votedPosterior, d, first, last, logWrongShare);
            if (gWorker == null) return q;

            var w0 = answers.WorkerCount;
            for (var t = from; t < to; t++)
            {
                var eb = easiness[t];
                var gBeta = 0.0;
                for (var v = start[t]; v < start[t + 1]; v++)
                {
                    gWorker[workers[v]] += d[v] * eb; // ∂z/∂α = e^β
                    gBeta += d[v] * z[v];             // ∂z/∂β = α·e^β = z
                }
                gradient![w0 + t] = -gBeta;
            }
            return q;
        }

        double[]? zBuffer, dBuffer;

        /// <summary>
        /// Σ p·log σ(z) + (1 − p)·(log(1 − σ(z)) − log(K − 1)) over votes [first, last), and d = p − σ(z) per vote
        /// (∂/∂z of each term). Uses log σ(z) = min(z, 0) − log(1 + e^{−|z|}) with |z| capped at 36, where e^{−|z|}
        /// no longer changes 1 + e^{−|z|}; the cap also keeps Exp away from slow subnormal results.
        /// </summary>
        static double LinkTerms(double[] z, double[] p, double[] d, int first, int last, double wrongShare)
        {
            var q = 0.0;
            var v = first;
            if (Vector.IsHardwareAccelerated && last - first >= Vector<double>.Count)
            {
                var sum = Vector<double>.Zero;
                var one = Vector<double>.One;
                var cap = new Vector<double>(36.0);
                var share = new Vector<double>(wrongShare);
                for (; v <= last - Vector<double>.Count; v += Vector<double>.Count)
                {
                    var zv = new Vector<double>(z, v);
                    var pv = new Vector<double>(p, v);
                    var e = Vector.Exp(-Vector.Min(Vector.Abs(zv), cap));
                    var onePlusE = one + e;
                    var logRight = Vector.Min(zv, Vector<double>.Zero) - Vector.Log(onePlusE);
                    sum += pv * logRight + (one - pv) * (logRight - zv - share);
                    var sigma = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(zv, Vector<double>.Zero), one, e) / onePlusE;
                    (pv - sigma).CopyTo(d, v);
                }
                q = Vector.Sum(sum);
            }
            for (; v < last; v++)
            {
                var (logRight, _, sigma) = Link(z[v]);
                q += p[v] * logRight + (1 - p[v]) * (logRight - z[v] - wrongShare);
                d[v] = p[v] - sigma;
            }
            return q;
        }

        public double[] MeanCorrectness()
        {
            var mean = new double[answers.WorkerCount];
            for (var v = 0; v < answers.VoteCount; v++)
            {
                var w = answers.voteWorker[v];
                mean[w] += Link(x[w] * Math.Exp(x[answers.WorkerCount + answers.voteTask[v]])).Sigma;
            }
            for (var w = 0; w < mean.Length; w++) mean[w] /= Math.Max(1, answers.VotesByWorker(w));
            return mean;
        }
    }
}
