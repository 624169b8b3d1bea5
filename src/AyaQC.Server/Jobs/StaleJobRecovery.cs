using AyaQC.Storage;
using AyaQC.Storage.Datasets;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace AyaQC.Server.Jobs;

/// <summary>
/// Resumes jobs whose process died: a running job whose heartbeat is older than <c>Jobs:StaleAfterSeconds</c> is enqueued
/// again; the new run takes it over at its checkpoint. (Hangfire would rerun it only after its invisibility timeout,
/// which on SQLite cannot slide and so is set long.) Several processes may do this at once: only one run can hold the job.
/// </summary>
public sealed class StaleJobRecovery(BackTranslationJobStore jobs, AyaQC.Storage.Filtering.FilterJobStore filters, IBackgroundJobClient hangfire, IOptions<JobsOptions> options,
    ILogger<StaleJobRecovery> log) : BackgroundService
{
    readonly Dictionary<string, DateTimeOffset> _requeued = new();

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var o = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.5, o.StaleAfterSeconds / 3)));
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                foreach (var job in await jobs.ListStaleAsync(o.StaleAfter, ct))
                {
                    // Once per silence: the heartbeat (UpdatedAt) moves when a new run takes the job.
                    if (_requeued.TryGetValue(job.Id, out var seen) && seen == job.UpdatedAt) continue;
                    var id = hangfire.Create<BackTranslationRunner>(r => r.RunAsync(job.Id, null, CancellationToken.None), new EnqueuedState(job.Queue));
                    _requeued[job.Id] = job.UpdatedAt; // only once queued: a locked database is tried again next tick
                    log.LogWarning("job {Job}: no heartbeat since {At:u}; resumed from row {Seq} as Hangfire job {Hangfire}", job.Id, job.UpdatedAt, job.NextSeq, id);
                }
                foreach (var job in await filters.ListStaleAsync(o.StaleAfter, ct))
                {
                    if (_requeued.TryGetValue(job.Id, out var seen) && seen == job.UpdatedAt) continue;
                    var id = hangfire.Create<FilterRunner>(r => r.RunAsync(job.Id, null, CancellationToken.None), new EnqueuedState(JobsOptions.DefaultQueue));
                    _requeued[job.Id] = job.UpdatedAt;
                    log.LogWarning("filter job {Job}: no heartbeat since {At:u}; resumed at stage {Stage}, row {Seq}, as Hangfire job {Hangfire}", job.Id, job.UpdatedAt, job.Stage, job.NextSeq, id);
                }
            }
            catch (Exception e) when (JobStorageFaults.IsUnavailable(e)) { } // try again on the next tick
        }
    }
}
