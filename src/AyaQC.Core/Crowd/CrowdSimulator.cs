namespace AyaQC.Core.Crowd;

/// <summary>The kinds of simulated worker.</summary>
public enum WorkerKind
{
    /// <summary>Answers correctly with a fixed accuracy, otherwise one of the other labels at random.</summary>
    Honest,
    /// <summary>Answers uniformly at random, whatever the truth.</summary>
    Spammer,
    /// <summary>Says a favourite label with probability <see cref="CrowdSimulationOptions.BiasStrength"/>, otherwise answers like an honest worker.</summary>
    Biased,
}

/// <summary>How a simulated crowd is drawn. Every number is visible in <see cref="Signature"/>.</summary>
public sealed record CrowdSimulationOptions
{
    public int Tasks { get; init; } = 1000;
    public int Workers { get; init; } = 50;
    public int Labels { get; init; } = 2;
    /// <summary>Distinct workers per task for a fixed-overlap crowd (≤ <see cref="Workers"/>).</summary>
    public int VotesPerTask { get; init; } = 5;
    public double SpammerShare { get; init; } = 0.0;
    public double BiasedShare { get; init; } = 0.0;
    public double BiasStrength { get; init; } = 0.8;
    /// <summary>Accuracy of honest (and the honest part of biased) workers is drawn from U(min, max).</summary>
    public double MinAccuracy { get; init; } = 0.6;
    public double MaxAccuracy { get; init; } = 0.95;
    /// <summary>Class prior of the true labels; null = uniform.</summary>
    public double[]? ClassPriors { get; init; }
    public int Seed { get; init; } = 1;

    public string Signature =>
        $"sim|tasks:{Tasks}|workers:{Workers}|labels:{Labels}|votes:{VotesPerTask}|spam:{SpammerShare:R}|biased:{BiasedShare:R}@{BiasStrength:R}" +
        $"|acc:{MinAccuracy:R}-{MaxAccuracy:R}|prior:{(ClassPriors == null ? "uniform" : string.Join(",", ClassPriors))}|seed:{Seed}|version:{Aggregation.Version}";
}

/// <summary>
/// A planted world: true labels and each worker's confusion matrix. It can draw votes, so fixed-overlap crowds and
/// adaptive (dynamic-overlap) collection use the same workers.
/// </summary>
public sealed class SimulatedWorld
{
    internal SimulatedWorld(CrowdSimulationOptions options, int[] truth, double[] confusion, WorkerKind[] kinds, double[] priors)
    {
        Options = options;
        TrueLabels = truth;
        Confusion = confusion;
        Kinds = kinds;
        ClassPriors = priors;
        TaskNames = new LazyNames("t", options.Tasks);
        WorkerNames = new LazyNames("w", options.Workers);
        LabelNames = Enumerable.Range(0, options.Labels).Select(l => l.ToString("D" + Math.Max(1, (options.Labels - 1).ToString().Length))).ToArray();
    }

    public CrowdSimulationOptions Options { get; }
    public int[] TrueLabels { get; }
    /// <summary>Workers × truth × observed, row-major.</summary>
    public double[] Confusion { get; }
    public WorkerKind[] Kinds { get; }
    public double[] ClassPriors { get; }
    public IReadOnlyList<string> TaskNames { get; }
    public IReadOnlyList<string> WorkerNames { get; }
    public IReadOnlyList<string> LabelNames { get; }
    public int LabelCount => Options.Labels;

    /// <summary>Planted accuracy of a worker: Σ_c prior(c) · P(says c | truth c).</summary>
    public double PlantedAccuracy(int worker)
    {
        var k = LabelCount;
        var a = 0.0;
        for (var c = 0; c < k; c++) a += ClassPriors[c] * Confusion[(worker * k + c) * k + c];
        return a;
    }

    /// <summary>Draws the label a worker gives on a task from the worker's confusion row for the task's truth.</summary>
    public int DrawVote(int task, int worker, Random random)
    {
        var k = LabelCount;
        var row = (worker * k + TrueLabels[task]) * k;
        var u = random.NextDouble();
        for (var l = 0; l < k - 1; l++)
        {
            u -= Confusion[row + l];
            if (u < 0) return l;
        }
        return k - 1;
    }

    /// <summary>Builds answers from id arrays with this world's names.</summary>
    public CrowdAnswers ToAnswers(ReadOnlySpan<int> task, ReadOnlySpan<int> worker, ReadOnlySpan<int> label) =>
        CrowdAnswers.FromIds(TaskNames, WorkerNames, LabelNames, task, worker, label);

    /// <summary>"t0", "t1", … made on demand, so a million-task crowd holds no name strings until asked.</summary>
    sealed class LazyNames(string prefix, int count) : IReadOnlyList<string>
    {
        public string this[int index] => (uint)index < (uint)count ? prefix + index : throw new ArgumentOutOfRangeException(nameof(index));
        public int Count => count;
        public IEnumerator<string> GetEnumerator() { for (var i = 0; i < count; i++) yield return this[i]; }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>A planted world plus the votes drawn for it.</summary>
public sealed record SimulatedCrowd(SimulatedWorld World, CrowdAnswers Answers);

/// <summary>Draws simulated crowds: workers with planted confusion matrices, spammers and biased workers.</summary>
public static class CrowdSimulator
{
    public static SimulatedWorld CreateWorld(CrowdSimulationOptions options)
    {
        if (options.Labels < 2) throw new ArgumentException("a simulated crowd needs at least 2 labels");
        if (options.Tasks < 1 || options.Workers < 1) throw new ArgumentException("a simulated crowd needs tasks and workers");
        if (options.SpammerShare + options.BiasedShare > 1) throw new ArgumentException("spammer share + biased share must not exceed 1");
        var k = options.Labels;
        var random = new Random(options.Seed);
        var priors = options.ClassPriors ?? Aggregation.Uniform(k);
        if (priors.Length != k) throw new ArgumentException($"class priors: expected {k} values, got {priors.Length}");

        var truth = new int[options.Tasks];
        for (var t = 0; t < truth.Length; t++) truth[t] = Draw(priors, random);

        // Kinds are assigned to exact shares, then shuffled, so a third of spammers means a third.
        var kinds = new WorkerKind[options.Workers];
        var spammers = (int)Math.Round(options.SpammerShare * options.Workers);
        var biased = (int)Math.Round(options.BiasedShare * options.Workers);
        for (var w = 0; w < kinds.Length; w++)
            kinds[w] = w < spammers ? WorkerKind.Spammer : w < spammers + biased ? WorkerKind.Biased : WorkerKind.Honest;
        random.Shuffle(kinds);

        var confusion = new double[options.Workers * k * k];
        for (var w = 0; w < options.Workers; w++)
        {
            var accuracy = options.MinAccuracy + (options.MaxAccuracy - options.MinAccuracy) * random.NextDouble();
            var favourite = random.Next(k);
            for (var c = 0; c < k; c++)
                for (var l = 0; l < k; l++)
                {
                    var honest = l == c ? accuracy : (1 - accuracy) / (k - 1);
                    confusion[(w * k + c) * k + l] = kinds[w] switch
                    {
                        WorkerKind.Spammer => 1.0 / k,
                        WorkerKind.Biased => options.BiasStrength * (l == favourite ? 1 : 0) + (1 - options.BiasStrength) * honest,
                        _ => honest,
                    };
                }
        }
        return new SimulatedWorld(options, truth, confusion, kinds, priors);
    }

    /// <summary>A crowd where every task gets <see cref="CrowdSimulationOptions.VotesPerTask"/> votes from distinct random workers.</summary>
    public static SimulatedCrowd Generate(CrowdSimulationOptions options)
    {
        if (options.VotesPerTask > options.Workers)
            throw new ArgumentException($"votes per task ({options.VotesPerTask}) cannot exceed the number of workers ({options.Workers})");
        var world = CreateWorld(options);
        var random = new Random(unchecked(options.Seed * 7919 + 17));
        var n = options.Tasks * options.VotesPerTask;
        var task = new int[n];
        var worker = new int[n];
        var label = new int[n];
        var chosen = new int[options.VotesPerTask];
        var i = 0;
        for (var t = 0; t < options.Tasks; t++)
        {
            DistinctWorkers(random, options.Workers, chosen);
            foreach (var w in chosen)
            {
                task[i] = t;
                worker[i] = w;
                label[i] = world.DrawVote(t, w, random);
                i++;
            }
        }
        return new SimulatedCrowd(world, world.ToAnswers(task, worker, label));
    }

    /// <summary>Fills <paramref name="chosen"/> with distinct worker ids (rejection sampling; fine while overlap ≪ workers).</summary>
    internal static void DistinctWorkers(Random random, int workers, Span<int> chosen)
    {
        for (var j = 0; j < chosen.Length; j++)
        {
            int w;
            do w = random.Next(workers); while (chosen[..j].Contains(w));
            chosen[j] = w;
        }
    }

    static int Draw(double[] distribution, Random random)
    {
        var u = random.NextDouble();
        for (var i = 0; i < distribution.Length - 1; i++)
        {
            u -= distribution[i];
            if (u < 0) return i;
        }
        return distribution.Length - 1;
    }
}
