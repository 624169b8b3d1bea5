namespace AyaQC.Core.Crowd;

/// <summary>One collection strategy's outcome in an overlap simulation.</summary>
public sealed record OverlapOutcome(string Strategy, long Votes, double VotesPerTask, double MajorityVoteAccuracy,
    double DawidSkeneAccuracy, int Rounds);

/// <summary>The dynamic-overlap simulation report: what each strategy spent and how accurate it was.</summary>
public sealed record OverlapReport(string CrowdSignature, string PolicySignature, IReadOnlyList<OverlapOutcome> Outcomes);

/// <summary>
/// Compares fixed overlap (every task gets N votes) with <see cref="DynamicOverlapPolicy"/> on one simulated world.
/// Dynamic collection runs in rounds: every task gets the minimum votes; then each round Dawid–Skene re-estimates
/// worker skills from all votes so far and every unfinished task the policy is unsure of gets one vote from a worker
/// who has not seen it. Final labels come from majority vote and Dawid–Skene over all collected votes.
/// </summary>
public static class OverlapSimulation
{
    public static OverlapReport Run(CrowdSimulationOptions crowd, DynamicOverlapPolicy policy, IReadOnlyList<int> fixedOverlaps)
    {
        var world = CrowdSimulator.CreateWorld(crowd);
        foreach (var n in fixedOverlaps)
            if (n < 1 || n > crowd.Workers) throw new ArgumentException($"fixed overlap {n} must be between 1 and the number of workers ({crowd.Workers})");
        var outcomes = new List<OverlapOutcome>();
        foreach (var n in fixedOverlaps)
        {
            var votes = new VoteLog(world.Options.Tasks);
            var random = new Random(unchecked(crowd.Seed * 31 + n));
            for (var t = 0; t < world.Options.Tasks; t++)
                for (var j = 0; j < n; j++) votes.AddFromNewWorker(world, t, random);
            outcomes.Add(Score(world, votes, $"fixed-{n}", 1));
        }
        outcomes.Add(Dynamic(world, policy, crowd.Seed));
        return new OverlapReport(crowd.Signature, policy.Signature, outcomes);
    }

    static OverlapOutcome Dynamic(SimulatedWorld world, DynamicOverlapPolicy policy, int seed)
    {
        var tasks = world.Options.Tasks;
        var votes = new VoteLog(tasks);
        var random = new Random(unchecked(seed * 31 + 1000));
        var maxVotes = Math.Min(policy.MaxVotes, world.Options.Workers);
        for (var t = 0; t < tasks; t++)
            for (var j = 0; j < Math.Min(policy.MinVotes, maxVotes); j++) votes.AddFromNewWorker(world, t, random);
        var open = new bool[tasks];
        Array.Fill(open, true);
        var rounds = 1;
        for (; rounds <= maxVotes; rounds++)
        {
            var fit = new DawidSkene().Aggregate(votes.ToAnswers(world));
            var added = 0;
            for (var t = 0; t < tasks; t++)
            {
                if (!open[t]) continue;
                var decision = policy.Decide(votes.Workers(t), votes.Labels(t), fit.Skills, fit.ClassPriors);
                if (!decision.NeedsAnotherVote || votes.Count(t) >= maxVotes) { open[t] = false; continue; }
                votes.AddFromNewWorker(world, t, random);
                added++;
            }
            if (added == 0) break;
        }
        return Score(world, votes, "dynamic", rounds);
    }

    static OverlapOutcome Score(SimulatedWorld world, VoteLog votes, string strategy, int rounds)
    {
        var answers = votes.ToAnswers(world);
        var mv = new MajorityVote().Aggregate(answers).Accuracy(world.TrueLabels);
        var ds = new DawidSkene().Aggregate(answers).Accuracy(world.TrueLabels);
        return new OverlapOutcome(strategy, votes.Total, (double)votes.Total / world.Options.Tasks, mv, ds, rounds);
    }

    /// <summary>Votes collected so far, per task.</summary>
    sealed class VoteLog(int tasks)
    {
        readonly List<int>[] workers = Enumerable.Range(0, tasks).Select(_ => new List<int>()).ToArray();
        readonly List<int>[] labels = Enumerable.Range(0, tasks).Select(_ => new List<int>()).ToArray();
        public long Total { get; private set; }

        public int Count(int task) => workers[task].Count;
        public ReadOnlySpan<int> Workers(int task) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(workers[task]);
        public ReadOnlySpan<int> Labels(int task) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(labels[task]);

        public void AddFromNewWorker(SimulatedWorld world, int task, Random random)
        {
            int w;
            do w = random.Next(world.Options.Workers); while (workers[task].Contains(w));
            workers[task].Add(w);
            labels[task].Add(world.DrawVote(task, w, random));
            Total++;
        }

        public CrowdAnswers ToAnswers(SimulatedWorld world)
        {
            var task = new int[Total];
            var worker = new int[Total];
            var label = new int[Total];
            var i = 0;
            for (var t = 0; t < workers.Length; t++)
                for (var j = 0; j < workers[t].Count; j++) { task[i] = t; worker[i] = workers[t][j]; label[i] = labels[t][j]; i++; }
            return world.ToAnswers(task, worker, label);
        }
    }
}
