using AyaQC.Core.Crowd;

namespace AyaQC.Core.Agreement;

/// <summary>Agreement of two workers on the tasks both labelled (a worker's first vote per task counts).</summary>
public readonly record struct WorkerPairKappa(int WorkerA, int WorkerB, int SharedTasks, double Kappa);

/// <summary>
/// Cohen's kappa between two workers: (p_o − p_e) / (1 − p_e) over the tasks both answered, chance agreement from
/// each worker's own label shares on those tasks. 1.0 when both always give the same single label; NaN when they
/// share no task.
/// <para>J. Cohen, "A coefficient of agreement for nominal scales", Educational and Psychological Measurement 20(1), 1960.</para>
/// </summary>
public static class CohenKappa
{
    public const string Signature = "cohen-kappa|votes:first-per-task|version:ayaqc-1";

    public static double Between(CrowdAnswers answers, int workerA, int workerB)
    {
        var k = answers.LabelCount;
        var table = new int[k * k];
        var firstOfA = new Dictionary<int, int>();
        var votes = answers.WorkerVotes;
        var start = answers.WorkerStart;
        for (var i = start[workerA]; i < start[workerA + 1]; i++)
            firstOfA.TryAdd(answers.VoteTask[votes[i]], answers.VoteLabel[votes[i]]);
        var seen = new HashSet<int>();
        for (var i = start[workerB]; i < start[workerB + 1]; i++)
        {
            var task = answers.VoteTask[votes[i]];
            if (!seen.Add(task) || !firstOfA.TryGetValue(task, out var labelA)) continue;
            table[labelA * k + answers.VoteLabel[votes[i]]]++;
        }
        return FromTable(table, k).Kappa;
    }

    /// <summary>
    /// Kappa for every pair of workers sharing at least <paramref name="minSharedTasks"/> tasks. Cost grows with the
    /// square of votes per task; meant for reports, not for million-vote crowds with deep overlap.
    /// </summary>
    public static List<WorkerPairKappa> AllPairs(CrowdAnswers answers, int minSharedTasks = 10)
    {
        var k = answers.LabelCount;
        var tables = new Dictionary<long, int[]>();
        var start = answers.TaskStart;
        var worker = answers.VoteWorker;
        var label = answers.VoteLabel;
        var firstVote = new Dictionary<int, int>();
        for (var t = 0; t < answers.TaskCount; t++)
        {
            firstVote.Clear();
            for (var v = start[t]; v < start[t + 1]; v++) firstVote.TryAdd(worker[v], label[v]);
            foreach (var (a, la) in firstVote)
                foreach (var (b, lb) in firstVote)
                {
                    if (a >= b) continue;
                    var key = (long)a * answers.WorkerCount + b;
                    if (!tables.TryGetValue(key, out var table)) tables[key] = table = new int[k * k];
                    table[la * k + lb]++;
                }
        }
        var result = new List<WorkerPairKappa>();
        foreach (var (key, table) in tables)
        {
            var (shared, kappa) = FromTable(table, k);
            if (shared < minSharedTasks) continue;
            result.Add(new WorkerPairKappa((int)(key / answers.WorkerCount), (int)(key % answers.WorkerCount), shared, kappa));
        }
        result.Sort((x, y) => x.WorkerA != y.WorkerA ? x.WorkerA.CompareTo(y.WorkerA) : x.WorkerB.CompareTo(y.WorkerB));
        return result;
    }

    /// <summary>Kappa from a K × K table (rows: first rater, columns: second rater).</summary>
    public static (int Shared, double Kappa) FromTable(int[] table, int k)
    {
        var n = 0;
        foreach (var x in table) n += x;
        if (n == 0) return (0, double.NaN);
        double observed = 0, chance = 0;
        for (var c = 0; c < k; c++)
        {
            observed += table[c * k + c];
            double row = 0, column = 0;
            for (var d = 0; d < k; d++) { row += table[c * k + d]; column += table[d * k + c]; }
            chance += row / n * (column / n);
        }
        observed /= n;
        return (n, chance >= 1 ? 1.0 : (observed - chance) / (1 - chance));
    }
}
