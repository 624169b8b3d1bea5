using System.Text.Json;
using System.Text.Json.Nodes;
using AyaQC.Contracts;
using AyaQC.Core.Datasets;
using AyaQC.Server.Auth;
using AyaQC.Server.Jobs;
using AyaQC.Filtering;
using AyaQC.Storage.Assessment;
using AyaQC.Storage.Datasets;
using AyaQC.Storage.Filtering;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AyaQC.Server.Apis;

/// <summary>Background jobs (admin): back-translation and filtering over a dataset; follow a job's progress, cancel it.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/api/v1/datasets").WithTags("Jobs").RequireAuthorization(Roles.Admin);
        datasets.MapPost("/{id}/backtranslations", StartBackTranslation)
            .WithSummary("Back-translate every row of the dataset in a background job (queue 'gpu' unless the request names another); answers 202 with the job.");
        datasets.MapGet("/{id}/backtranslations", ListBackTranslations);
        datasets.MapPost("/{id}/filter-jobs", StartFilterJob)
            .WithSummary("Train the agreement model on the dataset's labelled rows (with a project's votes when projectId is given) and decide every row keep / drop / review, in a background job; answers 202 with the job.");
        datasets.MapGet("/{id}/filter-jobs", ListFilterJobs);
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Jobs").RequireAuthorization(Roles.Admin);
        jobs.MapGet("/{id}", GetJob).WithSummary("State, rows done/failed/total, rows/s and ETA.");
        jobs.MapGet("/{id}/card", GetModelCard).WithSummary("A filter job's model card: features, trainer, held-out metrics (crowd-only, machine-only, both), ROC curves and reliability bins, thresholds, importance, and the decisions the job made (keep / drop / review, overrides).");
        jobs.MapPost("/{id}/cancel", CancelJob).WithSummary("A queued job is cancelled at once, a running one after its current chunk.");
        return app;
    }

    public sealed record JobServices(DatasetStore Datasets, BackTranslationJobStore Jobs, TranslatorHolder Model,
        IOptions<BackTranslationOptions> Options, IBackgroundJobClient Hangfire);

    public static async Task<Results<Accepted<JobResponse>, ProblemHttpResult>> StartBackTranslation(string id,
        StartBackTranslationRequest? request, [AsParameters] JobServices s, CancellationToken ct)
    {
        if (await s.Datasets.GetAsync(id, ct) is not { } dataset) return Problems.NotFound("dataset", id);
        if (s.Model.ModelPath is null)
            return Problems.Conflict($"no back-translation model is configured: set {BackTranslationOptions.Section}:ModelPath " +
                                     "(or start the server with `ayaqc serve --model DIR`)", "no_model");
        var o = s.Options.Value;
        request ??= new StartBackTranslationRequest();
        if (request.BatchSize is < 1 or > 512) return Problems.Invalid("batchSize", "must be between 1 and 512");
        if (request.Beams is < 1 or > 16) return Problems.Invalid("beams", "must be between 1 and 16");
        var queue = request.Queue ?? o.Queue;
        if (queue is not (JobsOptions.GpuQueue or JobsOptions.DefaultQueue))
            return Problems.Invalid("queue", $"must be '{JobsOptions.GpuQueue}' or '{JobsOptions.DefaultQueue}'");
        var t = request.Thresholds;
        var flags = o.Flags with
        {
            MinChrF = t?.MinChrF ?? o.Flags.MinChrF, CopiedChrF = t?.CopiedChrF ?? o.Flags.CopiedChrF,
            MinScriptShare = t?.MinScriptShare ?? o.Flags.MinScriptShare, MinLengthRatio = t?.MinLengthRatio ?? o.Flags.MinLengthRatio,
            MaxLengthRatio = t?.MaxLengthRatio ?? o.Flags.MaxLengthRatio, TruncatedLengthRatio = t?.TruncatedLengthRatio ?? o.Flags.TruncatedLengthRatio,
        };
        if (flags.MinLengthRatio >= flags.MaxLengthRatio) return Problems.Invalid("thresholds", "minLengthRatio must be below maxLengthRatio");
        var options = new BackTranslationJobOptions(s.Model.ModelName, request.BatchSize ?? o.BatchSize, request.Beams ?? o.Beams, o.MaxSourceTokens, flags);
        var job = await s.Jobs.CreateAsync(dataset.Id, queue, JsonSerializer.Serialize(options, JsonSerializerOptions.Web), options.Signature, dataset.RowCount, ct);
        try { s.Hangfire.Create<BackTranslationRunner>(r => r.RunAsync(job.Id, null, CancellationToken.None), new EnqueuedState(queue)); }
        catch (Exception e)
        {
            // Not queued: no run would ever take this job, so it must not stay "queued" in the list.
            await s.Jobs.AbandonAsync(job.Id, $"the job could not be queued: {(e.InnerException ?? e).Message}", CancellationToken.None);
            throw;
        }
        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", ToResponse(job));
    }

    public static async Task<Results<Ok<List<JobResponse>>, ProblemHttpResult>> ListBackTranslations(string id, DatasetStore datasets,
        BackTranslationJobStore jobs, CancellationToken ct) =>
        await datasets.GetAsync(id, ct) is null
            ? Problems.NotFound("dataset", id)
            : TypedResults.Ok((await jobs.ListForDatasetAsync(id, ct)).Select(ToResponse).ToList());

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJob(string id, BackTranslationJobStore jobs, FilterJobStore filters,
        ProjectStore projects, CancellationToken ct) =>
        await jobs.GetAsync(id, ct) is { } job ? TypedResults.Ok(ToResponse(job))
        : await filters.GetAsync(id, ct) is { } filter ? TypedResults.Ok(ToResponse(filter))
        : await projects.LabelRunAsync(id, ct) is { } run ? TypedResults.Ok(ProjectFollowUpApi.Response(run, (await projects.GetAsync(run.ProjectId, ct))?.DatasetId))
        : Problems.NotFound("job", id);

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> CancelJob(string id, BackTranslationJobStore jobs, FilterJobStore filters, CancellationToken ct)
    {
        if (await filters.GetAsync(id, ct) is { } filter)
        {
            if (filter.IsFinished) return Problems.Conflict($"job '{id}' has already {filter.State}", "job_finished");
            await filters.CancelAsync(id, ct);
            return TypedResults.Ok(ToResponse((await filters.GetAsync(id, ct))!));
        }
        if (await jobs.GetAsync(id, ct) is not { } job) return Problems.NotFound("job", id);
        if (job.IsFinished) return Problems.Conflict($"job '{id}' has already {job.State}", "job_finished");
        await jobs.CancelAsync(id, ct);
        return TypedResults.Ok(ToResponse((await jobs.GetAsync(id, ct))!));
    }

    public static async Task<Results<Accepted<JobResponse>, ProblemHttpResult>> StartFilterJob(string id, StartFilterJobRequest? request,
        DatasetStore datasets, FilterJobStore filters, ProjectStore projects, DecisionStore decisions, IBackgroundJobClient hangfire, CancellationToken ct)
    {
        if (await datasets.GetAsync(id, ct) is not { } dataset) return Problems.NotFound("dataset", id);
        request ??= new StartFilterJobRequest();
        var defaults = new AgreementOptions();
        var trainer = request.Trainer?.Trim().ToLowerInvariant() switch
        {
            null or "lightgbm" => (TreeTrainer?)TreeTrainer.LightGbm,
            "fasttree" => TreeTrainer.FastTree,
            _ => null,
        };
        if (trainer is null) return Problems.Invalid("trainer", $"'{request.Trainer}' is not a trainer: use lightgbm or fasttree");
        if (request.Folds is < 2 or > 20) return Problems.Invalid("folds", "must be between 2 and 20");
        if (request.Iterations is < 1 or > 5000) return Problems.Invalid("iterations", "must be between 1 and 5000");
        if (request.KeepPrecision is <= 0 or >= 1) return Problems.Invalid("keepPrecision", "must be between 0 and 1 (exclusive)");
        if (request.DropPrecision is <= 0 or >= 1) return Problems.Invalid("dropPrecision", "must be between 0 and 1 (exclusive)");
        if (request.ChunkSize is < 1 or > 100_000) return Problems.Invalid("chunkSize", "must be between 1 and 100000");
        if (request.ProjectId is { } projectId)
        {
            if (await projects.GetAsync(projectId, ct) is not { } project) return Problems.Invalid("projectId", $"project '{projectId}' does not exist");
            if (project.DatasetId is { } over && over != id) return Problems.Invalid("projectId", $"project '{projectId}' assesses dataset '{over}', not '{id}'");
        }
        if (request.PostEditBadHter is <= 0 or > 2) return Problems.Invalid("postEditBadHter", "must be above 0 and at most 2 (HTER as a fraction)");
        var folds = request.Folds ?? defaults.Folds;
        // At most this many rows can carry a label; the job counts them exactly (and fails saying so when too few).
        var overridden = (await decisions.CountsAsync(id, ct)).Overridden;
        var accepted = request.ProjectId is { } p ? (await projects.PostEditsAsync(p, "accepted", ct)).Count : 0;
        if (dataset.LabelledCount + overridden + accepted < 2 * folds)
            return Problems.Conflict($"dataset '{id}' has {dataset.LabelledCount} rows with a label (good/bad), {overridden} overridden by a lead and " +
                                     $"{accepted} accepted post-edits; training needs at least {folds} good and {folds} bad labels on dataset rows " +
                                     "(import rows with a label column, override decisions, or name a project with accepted post-edits; " +
                                     "a project's answered control items only join training, held-out figures need dataset rows)", "too_few_labels");
        var options = new FilterJobOptions(request.ProjectId, trainer.Value, folds, request.Seed ?? defaults.Seed, request.Iterations ?? defaults.Iterations,
            request.KeepPrecision ?? defaults.KeepPrecision, request.DropPrecision ?? defaults.DropPrecision, request.ChunkSize ?? 2000, request.PostEditBadHter);
        var job = await filters.CreateAsync(dataset.Id, request.ProjectId, JsonSerializer.Serialize(options, JsonSerializerOptions.Web), options.Signature,
            dataset.RowCount, ct);
        try { hangfire.Create<FilterRunner>(r => r.RunAsync(job.Id, null, CancellationToken.None), new EnqueuedState(JobsOptions.DefaultQueue)); }
        catch (Exception e)
        {
            await filters.AbandonAsync(job.Id, $"the job could not be queued: {(e.InnerException ?? e).Message}", CancellationToken.None);
            throw;
        }
        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", ToResponse(job));
    }

    public static async Task<Results<Ok<List<JobResponse>>, ProblemHttpResult>> ListFilterJobs(string id, DatasetStore datasets,
        FilterJobStore filters, CancellationToken ct) =>
        await datasets.GetAsync(id, ct) is null
            ? Problems.NotFound("dataset", id)
            : TypedResults.Ok((await filters.ListForDatasetAsync(id, ct)).Select(ToResponse).ToList());

    /// <summary>The card as stored with the model, plus <c>decisions</c>: what the job decided (<see cref="ModelCardDecisions"/>).</summary>
    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> GetModelCard(string id, FilterJobStore filters, DecisionStore decisions,
        CancellationToken ct)
    {
        if (await filters.GetAsync(id, ct) is not { } job) return Problems.NotFound("filter job", id);
        if (job.CardJson is null) return Problems.Conflict($"job '{id}' has no model yet (stage {job.Stage}, {job.State})", "no_model_yet");
        var card = JsonNode.Parse(job.CardJson)!.AsObject();
        card["decisions"] = JsonSerializer.SerializeToNode(DecisionCounts(await decisions.CountsForJobAsync(job.DatasetId, id, ct)), JsonSerializerOptions.Web);
        return TypedResults.Ok(JsonSerializer.SerializeToElement(card));
    }

    static ModelCardDecisions DecisionCounts(IReadOnlyList<(string Model, string Effective, bool Overridden, int Rows)> counts)
    {
        int Model(string d) => counts.Where(c => c.Model == d).Sum(c => c.Rows);
        int Effective(string d) => counts.Where(c => c.Effective == d).Sum(c => c.Rows);
        return new ModelCardDecisions(counts.Sum(c => c.Rows), Model(Decisions.Keep), Model(Decisions.Drop), Model(Decisions.Review),
            counts.Where(c => c.Overridden).Sum(c => c.Rows), Effective(Decisions.Keep), Effective(Decisions.Drop), Effective(Decisions.Review));
    }

    static JobResponse ToResponse(StoredFilterJob j)
    {
        var rate = j.ActiveMs > 0 && j.Stage == StoredFilterJob.Apply ? j.RowsDone / (j.ActiveMs / 1000.0) : 0;
        double? eta = j.IsFinished ? 0 : rate > 0 ? Math.Round((j.TotalRows - j.RowsDone) / rate, 1) : null;
        return new JobResponse(j.Id, "filter", j.DatasetId, j.State, JobsOptions.DefaultQueue, j.TotalRows, j.RowsDone, 0, Math.Round(rate, 2), eta,
            j.Attempts, j.Signature, null, null, j.Error, j.CreatedAt, j.StartedAt, j.FinishedAt, j.Stage);
    }

    static JobResponse ToResponse(StoredJob j)
    {
        var processed = j.RowsDone + j.RowsFailed;
        var rate = j.ActiveMs > 0 ? processed / (j.ActiveMs / 1000.0) : 0;
        double? eta = j.IsFinished ? 0 : rate > 0 ? Math.Round((j.TotalRows - processed) / rate, 1) : null;
        return new JobResponse(j.Id, "backtranslation", j.DatasetId, j.State, j.Queue, j.TotalRows, j.RowsDone, j.RowsFailed,
            Math.Round(rate, 2), eta, j.Attempts, j.Signature, j.Device, j.DeviceNote, j.Error, j.CreatedAt, j.StartedAt, j.FinishedAt);
    }
}
