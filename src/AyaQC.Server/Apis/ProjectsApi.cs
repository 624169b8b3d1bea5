using AyaQC.Contracts;
using AyaQC.Core.Agreement;
using AyaQC.Core.Assessment;
using AyaQC.Core.Crowd;
using AyaQC.Grains;
using AyaQC.Server.Auth;
using AyaQC.Server.Qualification;
using AyaQC.Storage;
using AyaQC.Storage.Assessment;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AyaQC.Server.Apis;

/// <summary>The services the project routes share.</summary>
public sealed record ProjectServices(ProjectStore Store, IGrainFactory Grains, IQualificationStore Qualification, TimeProvider Clock)
{
    /// <summary>The project's one owner in the cluster.</summary>
    public IProjectGrain Project(string id) => ProjectGrainReferences.Of(Grains, id);
}

/// <summary>
/// Grain references to projects, made once per project and grain factory: Orleans resolves the grain interface by
/// reflection over its attributes on every GetGrain call, which was a visible share of each vote's CPU. A reference
/// only names the grain (it holds no state of it), so keeping it changes nothing about where or how calls run.
/// </summary>
static class ProjectGrainReferences
{
    const int MaxPerFactory = 10_000;
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IGrainFactory, System.Collections.Concurrent.ConcurrentDictionary<string, IProjectGrain>> Made = new();

    public static IProjectGrain Of(IGrainFactory grains, string id)
    {
        var made = Made.GetValue(grains, _ => new(StringComparer.Ordinal));
        if (made.TryGetValue(id, out var grain)) return grain;
        if (made.Count >= MaxPerFactory) made.Clear(); // ids come from request paths: keep the cache bounded
        return made[id] = grains.GetGrain<IProjectGrain>(id);
    }
}

/// <summary>Assessment projects (admin): create over a dataset, open/pause/close, watch assessors, read labels, import answers.</summary>
public static class ProjectsApi
{
    public const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/projects").WithTags("Projects").RequireAuthorization(Roles.Admin);
        api.MapPost("", CreateProject).WithSummary("Create a project over a dataset: pool, task, overlap, controls, quota, deadline.");
        api.MapGet("", ListProjects);
        api.MapGet("/{id}", GetProject);
        api.MapPost("/{id}/open", (string id, [AsParameters] ProjectServices s, CancellationToken ct) => SetState(id, "open", s, ct));
        api.MapPost("/{id}/pause", (string id, [AsParameters] ProjectServices s, CancellationToken ct) => SetState(id, "paused", s, ct));
        api.MapPost("/{id}/close", (string id, [AsParameters] ProjectServices s, CancellationToken ct) => SetState(id, "closed", s, ct));
        api.MapGet("/{id}/assessors", ListAssessors).WithSummary("Each assessor's answers, controls, online skill and suspension.");
        api.MapGet("/{id}/suspensions", ListSuspensions).WithSummary("Suspensions with their evidence, and reinstatements.");
        api.MapPost("/{id}/assessors/{assessorId}/reinstate", Reinstate);
        api.MapGet("/{id}/labels", GetLabels).WithSummary("Per-row label, posterior, votes, entropy; Krippendorff's alpha. Paged by cursor.");
        api.MapGet("/{id}/agreement", GetAgreement).WithSummary("Krippendorff's alpha as votes came in, at up to `points` evenly spaced vote counts.");
        api.MapPost("/{id}/answers/import", ImportAnswers).WithSummary("Import crowd answers as a TSV with columns task, worker, label.");
        api.MapGet("/{id}/post-edits", ListPostEdits);
        return app;
    }

    public static async Task<Results<Created<ProjectResponse>, ProblemHttpResult>> CreateProject(
        CreateProjectRequest request, [AsParameters] ProjectServices s, IGrainFactory grains, CancellationToken ct)
    {
        var (settings, problems) = ProjectSettings.From(request);
        if (string.IsNullOrWhiteSpace(request.Name)) problems.Add(new(null, "name", "name is required"));
        if (!ProjectSettings.TaskKinds.Contains(request.Task))
            problems.Add(new(null, "task", $"must be one of: {string.Join(", ", ProjectSettings.TaskKinds)}"));
        var import = request.Task == ProjectSettings.Import;
        if (!import)
        {
            if (string.IsNullOrWhiteSpace(request.DatasetId)) problems.Add(new(null, "datasetId", "a project judges the rows of a stored dataset: datasetId is required"));
            else if ((await s.Store.DatasetRowsAsync(request.DatasetId, ct)).Count == 0)
                problems.Add(new(null, "datasetId", $"dataset '{request.DatasetId}' does not exist or has no rows"));
        }
        if (request.GoldSetId is { } gs && await s.Qualification.GetGoldSetAsync(gs, ct) is null)
            problems.Add(new(null, "goldSetId", $"gold set '{gs}' does not exist"));
        if (request.DeadlineMinutes is <= 0) problems.Add(new(null, "deadlineMinutes", "must be positive"));
        var pool = await PoolAsync(request.Pool, s, grains, problems, ct);
        if (!import && pool.Count == 0 && problems.Count == 0) problems.Add(new(null, "pool", "the pool is empty: name a round with passers or list assessors"));
        if (problems.Count > 0) return Problems.Invalid($"the project was not created: {problems[0].Field}: {problems[0].Message}", problems);

        var now = s.Clock.GetUtcNow();
        var project = await s.Store.CreateAsync(new NewProject(request.Name.Trim(), import ? null : request.DatasetId, request.GoldSetId, request.Task,
            settings!.ToJson(), Convert.ToHexString(OpaqueItemIds.NewKey()), request.Seed ?? Random.Shared.Next(),
            request.DeadlineMinutes is { } m ? now.AddMinutes(m) : null, pool), now, ct);
        var created = (await s.Project(project.Id).GetAsync(now))!;
        return TypedResults.Created($"/api/v1/projects/{project.Id}", Response(created));
    }

    /// <summary>The round's passers (or its top-k), plus listed assessors, each checked to exist.</summary>
    static async Task<List<string>> PoolAsync(PoolRequest? pool, ProjectServices s, IGrainFactory grains, List<FieldProblem> problems, CancellationToken ct)
    {
        var result = new List<string>();
        if (pool is null) return result;
        if (pool.TopK is < 1) problems.Add(new(null, "pool.topK", "must be at least 1"));
        if (pool.RoundId is { } roundId)
        {
            if (await s.Qualification.GetRoundAsync(roundId, ct) is not { } round) problems.Add(new(null, "pool.roundId", $"round '{roundId}' does not exist"));
            else if (pool.TopK is not < 1)
            {
                var results = await RoundResults.BuildAsync(grains, s.Qualification, round, pool.TopK, s.Clock.GetUtcNow(), ct);
                result.AddRange(pool.TopK is null ? results.Assessors.Where(a => a.Decision == "pass").Select(a => a.AssessorId) : results.TopK ?? []);
            }
        }
        else if (pool.TopK is not null) problems.Add(new(null, "pool.topK", "top-k needs a roundId"));
        if (pool.Assessors is { } listed)
        {
            var registered = (await s.Qualification.ListAssessorsAsync(ct)).Select(a => a.Id).ToHashSet();
            foreach (var (id, i) in listed.Select((id, i) => (id, i)))
                if (!registered.Contains(id)) problems.Add(new(null, $"pool.assessors[{i}]", $"assessor '{id}' does not exist"));
                else result.Add(id);
        }
        return result.Distinct().ToList();
    }

    public static ProjectResponse Response(ProjectSummary p) => new(
        p.Id, p.Name, p.DatasetId, p.GoldSetId, p.TaskKind, p.State, p.Rows, p.Controls, p.Pool, p.Method, p.Signature, p.Deadline, p.CreatedAt,
        p.Votes, p.FinishedRows, p.Suspended);

    public static async Task<Ok<List<ProjectResponse>>> ListProjects([AsParameters] ProjectServices s, CancellationToken ct)
    {
        var list = new List<ProjectResponse>();
        foreach (var p in await s.Store.ListAsync(ct))
            if (await s.Project(p.Id).GetAsync(s.Clock.GetUtcNow()) is { } summary) list.Add(Response(summary));
        return TypedResults.Ok(list);
    }

    public static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> GetProject(string id, [AsParameters] ProjectServices s, CancellationToken ct) =>
        await s.Project(id).GetAsync(s.Clock.GetUtcNow()) is { } p ? TypedResults.Ok(Response(p)) : Problems.NotFound("project", id);

    static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> SetState(string id, string state, ProjectServices s, CancellationToken ct)
    {
        var change = await s.Project(id).SetStateAsync(state, s.Clock.GetUtcNow());
        return change switch
        {
            { Project: { } p } => TypedResults.Ok(Response(p)),
            { Code: "not_found" } => Problems.NotFound("project", id),
            _ => Problems.Conflict(change.Conflict!, change.Code!),
        };
    }

    public static async Task<Results<Ok<List<ProjectAssessorResponse>>, ProblemHttpResult>> ListAssessors(string id, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var project = s.Project(id);
        if (await project.GetAsync(s.Clock.GetUtcNow()) is null) return Problems.NotFound("project", id);
        return TypedResults.Ok((await project.AssessorsAsync()).Select(Response).ToList());
    }

    static ProjectAssessorResponse Response(ProjectAssessorView a) => new(
        a.Id, a.Answers, a.Controls, a.ControlsCorrect, a.Skill, a.FastAnswers, a.AgreementChecks, a.Agreements, a.Suspended, a.Reason);

    public static async Task<Results<Ok<List<SuspensionEventResponse>>, ProblemHttpResult>> ListSuspensions(string id, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        if (await s.Store.GetAsync(id, ct) is null) return Problems.NotFound("project", id);
        return TypedResults.Ok((await s.Store.EventsAsync(id, ct)).Select(e => new SuspensionEventResponse(
            e.AssessorId, e.Kind, e.Signal, e.Successes, e.Count, e.WilsonUpper, e.Threshold, e.Reason, e.AfterVotes, e.At)).ToList());
    }

    public static async Task<Results<Ok<ProjectAssessorResponse>, ProblemHttpResult>> Reinstate(string id, string assessorId, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var project = s.Project(id);
        if (await project.GetAsync(s.Clock.GetUtcNow()) is null) return Problems.NotFound("project", id);
        if (await project.ReinstateAsync(assessorId, s.Clock.GetUtcNow()) is not { } a)
            return Problems.Conflict($"assessor '{assessorId}' is not suspended in project '{id}'", "not_suspended");
        return TypedResults.Ok(Response(a) with { Reason = null });
    }

    /// <summary>
    /// Labels as votes arrive (<c>from=online</c>, the default: the project grain's cache, recomputed when votes or
    /// suspensions changed) or the latest full recomputation a labels job stored (<c>from=job</c>); the page names
    /// which computation it serves and the votes it saw.
    /// </summary>
    public static async Task<Results<Ok<LabelsPage>, ProblemHttpResult>> GetLabels(
        string id, string? method, string? cursor, int? limit, string? from, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var project = s.Project(id);
        if (await project.GetAsync(s.Clock.GetUtcNow()) is not { } p) return Problems.NotFound("project", id);
        var m = (method ?? p.Method).ToLowerInvariant();
        if (!CrowdMethods.Names.Contains(m)) return Problems.Invalid("method", $"must be one of: {string.Join(", ", CrowdMethods.Names)}");
        var size = limit ?? 100;
        if (size is < 1 or > MaxPageSize) return Problems.Invalid("limit", $"must be between 1 and {MaxPageSize}");
        var start = 0;
        if (cursor is not null && (!int.TryParse(cursor, out start) || start < 0)) return Problems.Invalid("cursor", "is not a cursor this API gave out");
        string? Next(int count, int total) => start + count < total ? (start + count).ToString() : null;
        switch (from ?? "online")
        {
            case "online":
                var labels = await project.LabelsAsync(m, start, size);
                var page = labels.Rows.Select(t => new RowLabelResponse(t.RowId, t.Label, t.Posterior, t.Votes, t.Entropy, t.ErrorType, t.Reference)).ToList();
                return TypedResults.Ok(new LabelsPage(labels.Method, labels.Signature, double.IsFinite(labels.Alpha) ? labels.Alpha : null, labels.TotalRows,
                    page, Next(page.Count, labels.TotalRows), "online", labels.AsOfVotes, null));
            case "job":
                if (await s.Store.LatestLabelRunAsync(id, method is null ? null : m, ct) is not { } run)
                    return Problems.Conflict($"no labels job has finished for project '{id}'{(method is null ? "" : $" with method '{m}'")}: start one with POST /api/v1/projects/{id}/labels/recompute", "no_stored_labels");
                var rows = (await s.Store.RunLabelsAsync(run.Id, start, size, ct))
                    .Select(t => new RowLabelResponse(t.RowId, t.Label, t.Posterior, t.Votes, t.Entropy, null, null)).ToList();
                return TypedResults.Ok(new LabelsPage(run.Method, run.Signature!, run.Alpha is { } a && double.IsFinite(a) ? a : null, (int)run.TotalRows,
                    rows, Next(rows.Count, (int)run.TotalRows), "job:" + run.Id, run.AsOfVotes, run.FinishedAt));
            default:
                return Problems.Invalid("from", "must be 'online' (labels kept current as votes arrive) or 'job' (the latest full recomputation)");
        }
    }

    public static async Task<Results<Ok<AgreementResponse>, ProblemHttpResult>> GetAgreement(
        string id, int? points, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var project = s.Project(id);
        if (await project.GetAsync(s.Clock.GetUtcNow()) is null) return Problems.NotFound("project", id);
        var n = points ?? 20;
        if (n is < 1 or > 200) return Problems.Invalid("points", "must be between 1 and 200");
        var alpha = await project.AgreementAsync(n);
        return TypedResults.Ok(new AgreementResponse(id, KrippendorffAlpha.Signature + "|points:" + n,
            alpha.Select(a => new AgreementPoint(a.Votes, a.Alpha)).ToList()));
    }

    public static async Task<Results<Ok<ImportAnswersResponse>, ProblemHttpResult>> ImportAnswers(
        string id, HttpRequest request, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var project = s.Project(id);
        if (await project.GetAsync(s.Clock.GetUtcNow()) is null) return Problems.NotFound("project", id);
        var (answers, problems) = await AnswersTsv.ReadAsync(request.Body, ct);
        if (problems.Count == 0 && answers.Count == 0) problems.Add(new(1, "(file)", "no answers after the header"));
        if (problems.Count > 0) return Problems.Invalid($"nothing imported: line {problems[0].Line}: {problems[0].Field}: {problems[0].Message}", problems);
        var result = await project.ImportAsync(answers.Select(a => new ImportedAnswer(a.Line, a.Task, a.Worker, a.Label)).ToList(), s.Clock.GetUtcNow());
        if (result.Problems.Count > 0)
        {
            var list = result.Problems.Take(100).Select(x => new FieldProblem(x.Line, x.Field, x.Message)).ToList();
            return Problems.Invalid($"nothing imported: line {list[0].Line}: {list[0].Field}: {list[0].Message}", list);
        }
        return TypedResults.Ok(new ImportAnswersResponse(result.Votes, result.Tasks, result.Workers));
    }

    public static async Task<Results<Ok<List<PostEditResponse>>, ProblemHttpResult>> ListPostEdits(
        string id, string? state, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var project = s.Project(id);
        if (await project.GetAsync(s.Clock.GetUtcNow()) is null) return Problems.NotFound("project", id);
        var edits = await s.Store.PostEditsAsync(id, state, ct);
        return TypedResults.Ok(await ReviewsApi.ResponsesAsync(project, edits, withAuthor: true));
    }
}
