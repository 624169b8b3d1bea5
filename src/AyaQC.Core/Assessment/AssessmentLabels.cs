using AyaQC.Core.Agreement;
using AyaQC.Core.Crowd;

namespace AyaQC.Core.Assessment;

/// <summary>One vote by name: the task (an item id), the worker and the label.</summary>
public readonly record struct LabelVote(string Task, string Worker, string Label);

/// <summary>A task's aggregated label with its posterior, vote count and posterior entropy (nats).</summary>
public sealed record TaskLabel(string Task, string Label, double Posterior, int Votes, double Entropy, bool Known);

/// <summary>Krippendorff's α over a project's first <c>Votes</c> row votes.</summary>
public readonly record struct AlphaPoint(int Votes, double Alpha);

/// <summary>Labels of every task of a project with Krippendorff's α over the tasks not known in advance.</summary>
public sealed record LabelSet(string Method, string Signature, double Alpha, IReadOnlyList<TaskLabel> Tasks, IReadOnlyDictionary<string, double> Skills);

/// <summary>
/// Full recomputation of a project's labels from its votes with any Core.Crowd method (Dawid–Skene by default);
/// tasks with a known label (control items) are held fixed as truth, which anchors the workers' confusion matrices.
/// With the votes in file order and no declared labels, the result is exactly <c>ayaqc aggregate</c>'s.
/// </summary>
public static class AssessmentLabels
{
    public static LabelSet Compute(IReadOnlyList<LabelVote> votes, IReadOnlyDictionary<string, string>? known = null,
        string method = "ds", IReadOnlyList<string>? declaredLabels = null, TieRule ties = TieRule.TaskHash)
    {
        var aggregator = CrowdMethods.Create(method, ties);
        if (votes.Count == 0) return new LabelSet(aggregator.Name, aggregator.Name + "|votes:0", double.NaN, [], new Dictionary<string, double>());
        var builder = new CrowdAnswersBuilder();
        var open = new CrowdAnswersBuilder();
        foreach (var label in declaredLabels ?? []) { builder.DeclareLabel(label); open.DeclareLabel(label); }
        foreach (var v in votes)
        {
            builder.Add(v.Task, v.Worker, v.Label);
            if (known is null || !known.ContainsKey(v.Task)) open.Add(v.Task, v.Worker, v.Label);
        }
        var answers = builder.Build();
        int[]? fixedLabels = null;
        if (known is { Count: > 0 })
        {
            fixedLabels = answers.TaskLabels(known, out _);
            for (var t = 0; t < fixedLabels.Length; t++) if (fixedLabels[t] < 0) fixedLabels[t] = -1;
        }
        var result = aggregator.Aggregate(answers, fixedLabels);
        var entropy = PosteriorEntropy.PerTask(result);
        var tasks = new TaskLabel[answers.TaskCount];
        for (var t = 0; t < tasks.Length; t++)
            tasks[t] = new TaskLabel(answers.TaskNames[t], result.LabelName(t), result.Posterior(t)[result.Labels[t]],
                answers.VotesOnTask(t), entropy[t], fixedLabels is not null && fixedLabels[t] >= 0);
        var skills = new Dictionary<string, double>(answers.WorkerCount, StringComparer.Ordinal);
        for (var w = 0; w < answers.WorkerCount; w++) skills[answers.WorkerNames[w]] = result.Skills.Accuracy[w];
        var alpha = open.VoteCount == 0 ? double.NaN : KrippendorffAlpha.Nominal(open.Build());
        return new LabelSet(result.Method, $"{result.Signature}|alpha:{KrippendorffAlpha.Signature}", alpha, tasks, skills);
    }

    /// <summary>
    /// Krippendorff's α over the first n votes for up to <paramref name="points"/> evenly spaced n (the last is every
    /// vote): how agreement moved as the project filled. Votes on known tasks (controls) are left out, as in
    /// <see cref="Compute"/>; a point whose votes pair on no task is skipped.
    /// </summary>
    public static IReadOnlyList<AlphaPoint> AlphaOverTime(IReadOnlyList<LabelVote> votes, IReadOnlyDictionary<string, string>? known = null,
        IReadOnlyList<string>? declaredLabels = null, int points = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        var open = votes.Where(v => known is null || !known.ContainsKey(v.Task)).ToList();
        var result = new List<AlphaPoint>();
        if (open.Count == 0) return result;
        var ends = Enumerable.Range(1, points).Select(i => (int)Math.Ceiling(open.Count * (double)i / points)).Distinct();
        foreach (var end in ends)
        {
            var builder = new CrowdAnswersBuilder();
            foreach (var label in declaredLabels ?? []) builder.DeclareLabel(label);
            for (var i = 0; i < end; i++) builder.Add(open[i].Task, open[i].Worker, open[i].Label);
            var alpha = KrippendorffAlpha.Nominal(builder.Build());
            if (double.IsFinite(alpha)) result.Add(new AlphaPoint(end, alpha));
        }
        return result;
    }

    /// <summary>
    /// The board's votes by name for <see cref="Compute"/>: votes of suspended assessors are left out, control items
    /// come with their gold as known labels. Task names are the items' opaque ids.
    /// </summary>
    public static (List<LabelVote> Votes, Dictionary<string, string> Known) FromBoard(AssessmentBoard board)
    {
        var labels = board.Settings.Labels;
        var votes = new List<LabelVote>(board.Votes.Count);
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in board.Votes)
        {
            if (board.Assessor(v.Assessor)!.Suspended) continue;
            var task = board.ItemId(v.Item);
            votes.Add(new LabelVote(task, v.Assessor, labels[v.Label]));
            if (v.Item.IsControl) known[task] = labels[board.Controls[v.Item.Index].Label];
        }
        return (votes, known);
    }
}
