using AyaQC.Contracts;
using AyaQC.Core.Crowd;
using AyaQC.Server.Auth;
using AyaQC.Server.Jobs;
using AyaQC.Storage.Assessment;
using AyaQC.Storage.Datasets;
using AyaQC.Storage.Filtering;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>What an admin starts once votes are in (admin): a full recomputation of the labels in a background job, and
/// sending the rows a filter job left in review back to the crowd for more votes.</summary>
public static class ProjectFollowUpApi
{
    public const int MaxMoreVotes = 20;

    public static IEndpointRouteBuilder MapProjectFollowUpApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/projects").WithTags("Projects").RequireAuthorization(Roles.Admin);
        api.MapPost("/{id}/labels/recompute", Recompute)
            .WithSummary("Recompute the project's labels in full in a background job and store them with their signature; answers 202 with the job " +
                         "(follow it at /api/v1/jobs/{id}; read the result with GET labels?from=job).");
        api.MapPost("/{id}/send-back", SendBack)
            .WithSummary("Send the rows a filter job decided 'review' back to the crowd: each needs `votes` more valid votes, from assessors who have not voted on it.");
        return app;
    }

    public static async Task<Results<Accepted<JobResponse>, ProblemHttpResult>> Recompute(string id, RecomputeLabelsRequest? request,
        [AsParameters] ProjectServices s, IBackgroundJobClient hangfire, CancellationToken ct)
    {
        if (await s.Project(id).GetAsync(s.Clock.GetUtcNow()) is not { } project) return Problems.NotFound("project", id);
        var method = (request?.Method ?? project.Method).ToLowerInvariant();
        if (!CrowdMethods.Names.Contains(method)) return Problems.Invalid("method", $"must be one of: {string.Join(", ", CrowdMethods.Names)}");
        var run = await s.Store.CreateLabelRunAsync(id, method, project.Rows, s.Clock.GetUtcNow(), ct);
        try { hangfire.Create<LabelsRunner>(r => r.RunAsync(run.Id, CancellationToken.None), new EnqueuedState(JobsOptions.DefaultQueue)); }
        catch (Exception e)
        {
            await s.Store.FailLabelRunAsync(run.Id, $"the job could not be queued: {(e.InnerException ?? e).Message}", s.Clock.GetUtcNow(), CancellationToken.None);
            throw;
        }
        return TypedResults.Accepted($"/api/v1/jobs/{run.Id}", Response(run, project.DatasetId));
    }

    public static JobResponse Response(StoredLabelRun r, string? datasetId)
    {
        var rate = r.ActiveMs > 0 ? r.RowsDone / (r.ActiveMs / 1000.0) : 0;
        return new JobResponse(r.Id, "labels", datasetId ?? "", r.State, JobsOptions.DefaultQueue, r.TotalRows, r.RowsDone, 0, Math.Round(rate, 2),
            r.IsFinished ? 0 : null, r.Attempts, r.Signature ?? $"labels:{r.Method}|project:{r.ProjectId}", null, null, r.Error, r.CreatedAt,
            r.StartedAt, r.FinishedAt, r.IsFinished ? null : "compute");
    }

    public static async Task<Results<Ok<SendBackResponse>, ProblemHttpResult>> SendBack(string id, SendBackRequest request,
        [AsParameters] ProjectServices s, FilterJobStore filters, DecisionStore decisions, CancellationToken ct)
    {
        var grain = s.Project(id);
        if (await grain.GetAsync(s.Clock.GetUtcNow()) is not { } project) return Problems.NotFound("project", id);
        if (project.DatasetId is null) return Problems.Conflict($"project '{id}' only holds imported answers: it has no rows to send back", "import_only");
        var votes = request.Votes ?? 2;
        if (votes is < 1 or > MaxMoreVotes) return Problems.Invalid("votes", $"must be between 1 and {MaxMoreVotes}");
        if (string.IsNullOrWhiteSpace(request.FilterJobId)) return Problems.Invalid("filterJobId", "filterJobId is required");
        if (await filters.GetAsync(request.FilterJobId, ct) is not { } job) return Problems.Invalid("filterJobId", $"filter job '{request.FilterJobId}' does not exist");
        if (job.DatasetId != project.DatasetId)
            return Problems.Invalid("filterJobId", $"filter job '{job.Id}' decided dataset '{job.DatasetId}', not this project's '{project.DatasetId}'");
        if (job.State != JobStates.Succeeded) return Problems.Conflict($"filter job '{job.Id}' is {job.State}: send rows back once it has succeeded", "job_not_finished");
        if (project.State is not ("open" or "paused")) return Problems.Conflict($"project '{id}' is {project.State}", "project_" + project.State);
        var rows = new List<string>();
        for (long after = 0; ;)
        {
            var (page, next) = await decisions.PageAsync(project.DatasetId, after, 5000, Decisions.Review, ct);
            rows.AddRange(page.Where(d => d.JobId == job.Id).Select(d => d.RowId));
            if (next is not { } n) break;
            after = n;
        }
        var result = await grain.RequestMoreVotesAsync(rows, votes, s.Clock.GetUtcNow());
        return TypedResults.Ok(new SendBackResponse(id, job.Id, result.Raised, votes));
    }
}
