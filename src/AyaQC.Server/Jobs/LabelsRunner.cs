using System.Diagnostics;
using AyaQC.Grains;
using AyaQC.Storage;
using AyaQC.Storage.Assessment;
using Hangfire;

namespace AyaQC.Server.Jobs;

/// <summary>
/// The Hangfire job that recomputes a project's labels in full: it rebuilds the project's board from the database
/// (the same replay a <see cref="ProjectGrain"/> makes on activation, so suspensions and controls count the same way),
/// computes the labels with the run's method (Dawid–Skene by default, control items held at their gold), and stores
/// them with their signature and the number of votes they saw, together with the run's end, in one transaction.
/// Idempotent: a rerun after a crash computes again and replaces what an earlier attempt stored.
/// </summary>
public sealed class LabelsRunner(ProjectStore store, IQualificationStore qualification, TimeProvider clock, ILogger<LabelsRunner> log)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [2, 5, 10, 30, 60])]
    public async Task RunAsync(string runId, CancellationToken ct)
    {
        var run = await store.LabelRunAsync(runId, ct);
        if (run is null || run.IsFinished || !await store.StartLabelRunAsync(runId, clock.GetUtcNow(), ct)) return;
        var watch = Stopwatch.StartNew();
        if (await ProjectBoard.LoadAsync(store, qualification, run.ProjectId, ct) is not { } board)
        {
            await store.FailLabelRunAsync(runId, $"project '{run.ProjectId}' does not exist", clock.GetUtcNow(), ct);
            return;
        }
        var labels = board.LabelsBy(run.Method);
        var rows = labels.Tasks.Where(t => !t.Known).Select(t => new StoredRunLabel(t.Task, t.Label, t.Posterior, t.Votes, t.Entropy)).ToList();
        await store.FinishLabelRunAsync(runId, labels.Signature, labels.Alpha, board.VoteCount, rows, watch.ElapsedMilliseconds, clock.GetUtcNow(), ct);
        log.LogInformation("labels job {Run}: {Rows} rows of project {Project} by {Method} over {Votes} votes in {Ms} ms",
            runId, rows.Count, run.ProjectId, run.Method, board.VoteCount, watch.ElapsedMilliseconds);
    }
}
