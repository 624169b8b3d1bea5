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
                $"iter:{MaxIterations}|tol:{Tolerance:R}|mstep:cg-{MStepMaxIterations}-{MStepTolerance:R}|prior:n({AbilityPriorMean:R},1)"),
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
            var q = -NegativeQ(x, Span<double>.Empty);
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

        /// <summary>log σ(z), log(1 − σ(z)) and σ(z), computed without overflow.</summary>
        static (double LogSigma, double LogOneMinusSigma, double Sigma) Link(double z)
        {
            var e = Math.Exp(-Math.Abs(z));
            var log1pe = Math.Log(1 + e);
            return z >= 0
                ? (-log1pe, -z - log1pe, 1 / (1 + e))
                : (z - log1pe, -log1pe, e / (1 + e));
        }

        /// <summary>−Q(α, β): the negated expected complete log-likelihood plus the Gaussian priors, and its gradient.</summary>
        double NegativeQ(ReadOnlySpan<double> point, Span<double> gradient)
        {
            var withGradient = !gradient.IsEmpty;
            if (withGradient) gradient.Clear();
            var w0 = answers.WorkerCount;
            var start = answers.taskStart;
            var q = 0.0;
            for (var t = 0; t < answers.TaskCount; t++) easiness[t] = Math.Exp(point[w0 + t]);
            for (var t = 0; t < answers.TaskCount; t++)
            {
                var eb = easiness[t];
                var gBeta = 0.0;
                for (var v = start[t]; v < start[t + 1]; v++)
                {
                    var w = answers.voteWorker[v];
                    var a = point[w];
                    var (logRight, logWrong, sigma) = Link(a * eb);
                    var p = votedPosterior[v];
                    q += p * logRight + (1 - p) * (logWrong - logWrongShare);
                    if (!withGradient) continue;
                    var d = p - sigma;
                    gradient[w] -= d * eb;
                    gBeta += d * a * eb;
                }
                if (withGradient) gradient[w0 + t] -= gBeta;
            }
            const double halfLog2Pi = 0.91893853320467274;
            for (var w = 0; w < w0; w++)
            {
                var z = point[w] - options.AbilityPriorMean;
                q -= 0.5 * z * z + halfLog2Pi;
                if (withGradient) gradient[w] += z;
            }
            for (var t = 0; t < answers.TaskCount; t++)
            {
                var z = point[w0 + t] - options.LogEasinessPriorMean;
                q -= 0.5 * z * z + halfLog2Pi;
                if (withGradient) gradient[w0 + t] += z;
            }
            return -q;
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
