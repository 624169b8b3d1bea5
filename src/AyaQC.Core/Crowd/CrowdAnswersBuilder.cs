namespace AyaQC.Core.Crowd;

/// <summary>Collects votes by name and turns them into a <see cref="CrowdAnswers"/>.</summary>
public sealed class CrowdAnswersBuilder
{
    readonly Dictionary<string, int> tasks = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> workers = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> labels = new(StringComparer.Ordinal);
    readonly List<string> taskNames = [], workerNames = [], labelNames = [];
    readonly List<int> task = [], worker = [], label = [];

    public int VoteCount => task.Count;

    public CrowdAnswersBuilder Add(string taskName, string workerName, string labelName)
    {
        task.Add(IdOf(tasks, taskNames, taskName));
        worker.Add(IdOf(workers, workerNames, workerName));
        label.Add(IdOf(labels, labelNames, labelName));
        return this;
    }

    /// <summary>Adds a label to the label set even if no vote uses it (e.g. a class the crowd never chose).</summary>
    public CrowdAnswersBuilder DeclareLabel(string labelName)
    {
        IdOf(labels, labelNames, labelName);
        return this;
    }

    static int IdOf(Dictionary<string, int> ids, List<string> names, string name)
    {
        if (ids.TryGetValue(name, out var id)) return id;
        id = names.Count;
        ids.Add(name, id);
        names.Add(name);
        return id;
    }

    public CrowdAnswers Build()
    {
        // Labels are renumbered into ordinal string order (crowd-kit sorts label columns the same way).
        var sorted = labelNames.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        var remap = new int[sorted.Length];
        for (var i = 0; i < sorted.Length; i++) remap[labels[sorted[i]]] = i;
        var mapped = new int[label.Count];
        for (var i = 0; i < mapped.Length; i++) mapped[i] = remap[label[i]];
        return CrowdAnswers.FromIds(taskNames.ToArray(), workerNames.ToArray(), sorted,
            task.ToArray(), worker.ToArray(), mapped);
    }
}
