namespace AyaQC.Core.Crowd;

/// <summary>Splits the tasks into consecutive ranges of about equal vote counts, for deterministic parallel passes.</summary>
internal static class TaskRanges
{
    /// <summary>Boundaries b[0] = 0 … b[parts] = TaskCount; range r is tasks b[r] .. b[r+1]-1.</summary>
    public static int[] Split(CrowdAnswers answers, int parts)
    {
        var bounds = new int[parts + 1];
        var start = answers.taskStart;
        var t = 0;
        for (var r = 1; r < parts; r++)
        {
            var target = (long)answers.VoteCount * r / parts;
            while (t < answers.TaskCount && start[t] < target) t++;
            bounds[r] = t;
        }
        bounds[parts] = answers.TaskCount;
        return bounds;
    }
}
