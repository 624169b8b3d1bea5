using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Core.Datasets;
using AyaQC.Server.Auth;
using AyaQC.Server.Jobs;
using AyaQC.Storage.Datasets;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AyaQC.Server.Apis;

/// <summary>Back-translation jobs (admin): start one over a dataset, follow its progress, cancel it.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/api/v1/datasets").WithTags("Jobs").RequireAuthorization(Roles.Admin);
        datasets.MapPost("/{id}/backtranslations", StartBackTranslation)
            .WithSummary("Back-translate every row of the dataset in a background job (queue 'gpu' unless the request names another); answers 202 with the job.");
        datasets.MapGet("/{id}/backtranslations", ListBackTranslations);
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Jobs").RequireAuthorization(Roles.Admin);
        jobs.MapGet("/{id}", GetJob).WithSummary("State, rows done/failed/total, rows/s and ETA.");
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
        s.Hangfire.Create<BackTranslationRunner>(r => r.RunAsync(job.Id, null, CancellationToken.None), new EnqueuedState(queue));
        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", ToResponse(job));
    }

    public static async Task<Results<Ok<List<JobResponse>>, ProblemHttpResult>> ListBackTranslations(string id, DatasetStore datasets,
        BackTranslationJobStore jobs, CancellationToken ct) =>
        await datasets.GetAsync(id, ct) is null
            ? Problems.NotFound("dataset", id)
            : TypedResults.Ok((await jobs.ListForDatasetAsync(id, ct)).Select(ToResponse).ToList());

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJob(string id, BackTranslationJobStore jobs, CancellationToken ct) =>
        await jobs.GetAsync(id, ct) is { } job ? TypedResults.Ok(ToResponse(job)) : Problems.NotFound("job", id);

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> CancelJob(string id, BackTranslationJobStore jobs, CancellationToken ct)
    {
        if (await jobs.GetAsync(id, ct) is not { } job) return Problems.NotFound("job", id);
        if (job.IsFinished) return Problems.Conflict($"job '{id}' has already {job.State}", "job_finished");
        await jobs.CancelAsync(id, ct);
        return TypedResults.Ok(ToResponse((await jobs.GetAsync(id, ct))!));
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
