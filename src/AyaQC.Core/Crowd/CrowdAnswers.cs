namespace AyaQC.Core.Crowd;

/// <summary>
/// Crowd votes (task, worker, label) held as integer ids in compressed sparse rows: votes are stored grouped by
/// task (<see cref="TaskStart"/>), and a second index lists each worker's votes (<see cref="WorkerStart"/>).
/// Tasks and workers are numbered in order of first appearance; labels in ordinal string order, so "lowest label id"
/// is the same as crowd-kit's "first label in sorted order".
/// </summary>
public sealed class CrowdAnswers
{
    internal readonly int[] taskStart;   // votes of task t: taskStart[t] .. taskStart[t+1]-1
    internal readonly int[] voteTask;    // task of each vote (votes sorted by task)
    internal readonly int[] voteWorker;
    internal readonly int[] voteLabel;
    internal readonly int[] workerStart; // entries of worker w in workerVotes: workerStart[w] .. workerStart[w+1]-1
    internal readonly int[] workerVotes; // vote indices grouped by worker

    public IReadOnlyList<string> TaskNames { get; }
    public IReadOnlyList<string> WorkerNames { get; }
    public IReadOnlyList<string> LabelNames { get; }

    public int TaskCount => TaskNames.Count;
    public int WorkerCount => WorkerNames.Count;
    public int LabelCount => LabelNames.Count;
    public int VoteCount => voteWorker.Length;

    public ReadOnlySpan<int> TaskStart => taskStart;
    public ReadOnlySpan<int> VoteTask => voteTask;
    public ReadOnlySpan<int> VoteWorker => voteWorker;
    public ReadOnlySpan<int> VoteLabel => voteLabel;
    public ReadOnlySpan<int> WorkerStart => workerStart;
    public ReadOnlySpan<int> WorkerVotes => workerVotes;

    Dictionary<string, int>? taskIds; // built on first lookup by name
    readonly Dictionary<string, int> labelIds;

    /// <summary>
    /// Builds the structure from parallel id arrays in any order. Names are indexed by id; label ids must already
    /// follow the caller's chosen label order.
    /// </summary>
    public static CrowdAnswers FromIds(IReadOnlyList<string> taskNames, IReadOnlyList<string> workerNames,
        IReadOnlyList<string> labelNames, ReadOnlySpan<int> task, ReadOnlySpan<int> worker, ReadOnlySpan<int> label)
    {
        if (task.Length != worker.Length || task.Length != label.Length)
            throw new ArgumentException("task, worker and label arrays must have the same length");
        for (var i = 0; i < task.Length; i++)
        {
            if ((uint)task[i] >= (uint)taskNames.Count) throw new ArgumentOutOfRangeException(nameof(task), $"vote {i}: task id {task[i]} out of range");
            if ((uint)worker[i] >= (uint)workerNames.Count) throw new ArgumentOutOfRangeException(nameof(worker), $"vote {i}: worker id {worker[i]} out of range");
            if ((uint)label[i] >= (uint)labelNames.Count) throw new ArgumentOutOfRangeException(nameof(label), $"vote {i}: label id {label[i]} out of range");
        }
        return new CrowdAnswers(taskNames, workerNames, labelNames, task, worker, label);
    }

    CrowdAnswers(IReadOnlyList<string> taskNames, IReadOnlyList<string> workerNames, IReadOnlyList<string> labelNames,
        ReadOnlySpan<int> task, ReadOnlySpan<int> worker, ReadOnlySpan<int> label)
    {
        TaskNames = taskNames;
        WorkerNames = workerNames;
        LabelNames = labelNames;
        var n = task.Length;

        // Counting sort by task, stable, so a task's votes keep their input order.
        taskStart = new int[taskNames.Count + 1];
        foreach (var t in task) taskStart[t + 1]++;
        for (var t = 0; t < taskNames.Count; t++) taskStart[t + 1] += taskStart[t];
        var fill = (int[])taskStart.Clone();
        voteTask = new int[n];
        voteWorker = new int[n];
        voteLabel = new int[n];
        for (var i = 0; i < n; i++)
        {
            var at = fill[task[i]]++;
            voteTask[at] = task[i];
            voteWorker[at] = worker[i];
            voteLabel[at] = label[i];
        }

        workerStart = new int[workerNames.Count + 1];
        foreach (var w in voteWorker) workerStart[w + 1]++;
        for (var w = 0; w < workerNames.Count; w++) workerStart[w + 1] += workerStart[w];
        fill = (int[])workerStart.Clone();
        workerVotes = new int[n];
        for (var v = 0; v < n; v++) workerVotes[fill[voteWorker[v]]++] = v;

        labelIds = new Dictionary<string, int>(labelNames.Count, StringComparer.Ordinal);
        for (var l = 0; l < labelNames.Count; l++) labelIds[labelNames[l]] = l;
    }

    public int VotesOnTask(int task) => taskStart[task + 1] - taskStart[task];
    public int VotesByWorker(int worker) => workerStart[worker + 1] - workerStart[worker];

    public bool TryGetTask(string name, out int task)
    {
        if (taskIds == null)
        {
            var ids = new Dictionary<string, int>(TaskCount, StringComparer.Ordinal);
            for (var t = 0; t < TaskCount; t++) ids.TryAdd(TaskNames[t], t);
            taskIds = ids;
        }
        return taskIds.TryGetValue(name, out task);
    }

    public bool TryGetLabel(string name, out int label) => labelIds.TryGetValue(name, out label);

    /// <summary>
    /// Per-task label ids from (task name, label name) pairs; -1 where a task has no entry. Tasks not in the
    /// answers are ignored (counted in <paramref name="unmatchedTasks"/>); a label that no vote used maps to
    /// <see cref="UnknownLabel"/> so it never equals an aggregated label.
    /// </summary>
    public int[] TaskLabels(IEnumerable<KeyValuePair<string, string>> labels, out int unmatchedTasks)
    {
        var result = new int[TaskCount];
        Array.Fill(result, -1);
        unmatchedTasks = 0;
        foreach (var (taskName, labelName) in labels)
        {
            if (!TryGetTask(taskName, out var t)) { unmatchedTasks++; continue; }
            result[t] = TryGetLabel(labelName, out var l) ? l : UnknownLabel;
        }
        return result;
    }

    /// <summary>Marks a known label that no vote used (it can never match an aggregated label).</summary>
    public const int UnknownLabel = -2;
}
