using AyaQC.Contracts;
using AyaQC.Core.Agreement;
using AyaQC.Core.Assessment;
using AyaQC.Core.Crowd;
using AyaQC.Server.Assessment;
using AyaQC.Server.Auth;
using AyaQC.Server.Qualification;
using AyaQC.Storage;
using AyaQC.Storage.Assessment;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AyaQC.Server.Apis;

/// <summary>The services the project routes share.</summary>
public sealed record ProjectServices(ProjectStore Store, ProjectBoards Boards, IQualificationStore Qualification, TimeProvider Clock);

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
        var board = (await s.Boards.GetAsync(project.Id, ct))!;
        return TypedResults.Created($"/api/v1/projects/{project.Id}", Response(board, now));
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

    public static ProjectResponse Response(ProjectBoard p, DateTimeOffset now) => new(
        p.Project.Id, p.Project.Name, p.Project.DatasetId, p.Project.GoldSetId, p.Project.TaskKind, p.StateAt(now), p.Rows.Count,
        p.Board?.Controls.Count ?? 0, p.Pool.Order(StringComparer.Ordinal).ToList(), p.Settings.Method,
        (p.Board?.Settings.Signature ?? "import") + "|labels:" + p.Settings.Method, p.Project.Deadline, p.Project.CreatedAt,
        p.VoteCount, p.Board?.FinishedRows() ?? 0, p.Board?.Assessors.Count(a => a.Suspended) ?? 0);

    public static async Task<Ok<List<ProjectResponse>>> ListProjects([AsParameters] ProjectServices s, CancellationToken ct)
    {
        var list = new List<ProjectResponse>();
        foreach (var p in await s.Store.ListAsync(ct))
            if (await s.Boards.GetAsync(p.Id, ct) is { } board) list.Add(await WithGate(board, () => Response(board, s.Clock.GetUtcNow()), ct));
        return TypedResults.Ok(list);
    }

    static async Task<T> WithGate<T>(ProjectBoard p, Func<T> read, CancellationToken ct)
    {
        await p.Gate.WaitAsync(ct);
        try { return read(); }
        finally { p.Gate.Release(); }
    }

    public static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> GetProject(string id, [AsParameters] ProjectServices s, CancellationToken ct) =>
        await s.Boards.GetAsync(id, ct) is { } p ? TypedResults.Ok(await WithGate(p, () => Response(p, s.Clock.GetUtcNow()), ct)) : Problems.NotFound("project", id);

    static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> SetState(string id, string state, ProjectServices s, CancellationToken ct)
    {
        if (await s.Boards.GetAsync(id, ct) is not { } p) return Problems.NotFound("project", id);
        var now = s.Clock.GetUtcNow();
        var current = p.StateAt(now);
        if (current is "closed" or "expired") return Problems.Conflict($"project '{id}' is {current}", "project_" + current);
        if (p.Board is null && state != "closed") return Problems.Conflict($"project '{id}' only holds imported answers; it cannot be opened", "import_only");
        await s.Boards.SetStateAsync(p, state, ct);
        return TypedResults.Ok(await WithGate(p, () => Response(p, now), ct));
    }

    public static async Task<Results<Ok<List<ProjectAssessorResponse>>, ProblemHttpResult>> ListAssessors(string id, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        if (await s.Boards.GetAsync(id, ct) is not { } p) return Problems.NotFound("project", id);
        return TypedResults.Ok(await WithGate(p, () => (p.Board?.Assessors ?? []).Select(a => new ProjectAssessorResponse(
            a.Id, a.Answers, a.Controls, a.ControlsCorrect, a.Skill, a.FastAnswers, a.AgreementChecks, a.Agreements, a.Suspended, a.Suspension?.Reason)).ToList(), ct));
    }

    public static async Task<Results<Ok<List<SuspensionEventResponse>>, ProblemHttpResult>> ListSuspensions(string id, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        if (await s.Store.GetAsync(id, ct) is null) return Problems.NotFound("project", id);
        return TypedResults.Ok((await s.Store.EventsAsync(id, ct)).Select(e => new SuspensionEventResponse(
            e.AssessorId, e.Kind, e.Signal, e.Successes, e.Count, e.WilsonUpper, e.Threshold, e.Reason, e.AfterVotes, e.At)).ToList());
    }

    public static async Task<Results<Ok<ProjectAssessorResponse>, ProblemHttpResult>> Reinstate(string id, string assessorId, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        if (await s.Boards.GetAsync(id, ct) is not { } p) return Problems.NotFound("project", id);
        if (!await s.Boards.ReinstateAsync(p, assessorId, s.Clock.GetUtcNow(), ct))
            return Problems.Conflict($"assessor '{assessorId}' is not suspended in project '{id}'", "not_suspended");
        var a = p.Board!.Assessor(assessorId)!;
        return TypedResults.Ok(new ProjectAssessorResponse(a.Id, a.Answers, a.Controls, a.ControlsCorrect, a.Skill, a.FastAnswers, a.AgreementChecks, a.Agreements, a.Suspended, null));
    }

    public static async Task<Results<Ok<LabelsPage>, ProblemHttpResult>> GetLabels(
        string id, string? method, string? cursor, int? limit, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        if (await s.Boards.GetAsync(id, ct) is not { } p) return Problems.NotFound("project", id);
        var m = (method ?? p.Settings.Method).ToLowerInvariant();
        if (!CrowdMethods.Names.Contains(m)) return Problems.Invalid("method", $"must be one of: {string.Join(", ", CrowdMethods.Names)}");
        var size = limit ?? 100;
        if (size is < 1 or > MaxPageSize) return Problems.Invalid("limit", $"must be between 1 and {MaxPageSize}");
        var start = 0;
        if (cursor is not null && (!int.TryParse(cursor, out start) || start < 0)) return Problems.Invalid("cursor", "is not a cursor this API gave out");
        var labels = await s.Boards.LabelsAsync(p, m, ct);
        var rows = labels.Tasks.Where(t => !t.Known).ToList();
        var page = rows.Skip(start).Take(size).Select(t => new RowLabelResponse(t.Task, t.Label, t.Posterior, t.Votes, t.Entropy,
            TopErrorType(p, t.Task), p.References.GetValueOrDefault(t.Task))).ToList();
        var next = start + page.Count < rows.Count ? (start + page.Count).ToString() : null;
        return TypedResults.Ok(new LabelsPage(labels.Method, labels.Signature, double.IsFinite(labels.Alpha) ? labels.Alpha : null, rows.Count, page, next));
    }

    public static async Task<Results<Ok<AgreementResponse>, ProblemHttpResult>> GetAgreement(
        string id, int? points, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        if (await s.Boards.GetAsync(id, ct) is not { } p) return Problems.NotFound("project", id);
        var n = points ?? 20;
        if (n is < 1 or > 200) return Problems.Invalid("points", "must be between 1 and 200");
        var alpha = await s.Boards.AgreementOverTimeAsync(p, n, ct);
        return TypedResults.Ok(new AgreementResponse(id, KrippendorffAlpha.Signature + "|points:" + n,
            alpha.Select(a => new AgreementPoint(a.Votes, a.Alpha)).ToList()));
    }

    static string? TopErrorType(ProjectBoard p, string rowId)
    {
        var itemId = p.Board is { } b && p.RowIndex.TryGetValue(rowId, out var r) ? b.ItemId(new BoardItem(false, r)) : rowId;
        return p.ErrorTypes.TryGetValue(itemId, out var counts)
            ? counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First().Key : null;
    }

    public static async Task<Results<Ok<ImportAnswersResponse>, ProblemHttpResult>> ImportAnswers(
        string id, HttpRequest request, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        if (await s.Boards.GetAsync(id, ct) is not { } p) return Problems.NotFound("project", id);
        var (answers, problems) = await AnswersTsv.ReadAsync(request.Body, ct);
        if (problems.Count == 0 && answers.Count == 0) problems.Add(new(1, "(file)", "no answers after the header"));
        if (problems.Count > 0) return Problems.Invalid($"nothing imported: line {problems[0].Line}: {problems[0].Field}: {problems[0].Message}", problems);
        try
        {
            var result = await s.Boards.ImportAsync(p, answers, s.Clock.GetUtcNow(), ct);
            return TypedResults.Ok(new ImportAnswersResponse(result.Votes, result.Tasks, result.Workers));
        }
        catch (ImportRejectedException e)
        {
            var list = e.Problems.Take(100).Select(x => new FieldProblem(x.Line, x.Field, x.Message)).ToList();
            return Problems.Invalid($"nothing imported: line {list[0].Line}: {list[0].Field}: {list[0].Message}", list);
        }
    }

    public static async Task<Results<Ok<List<PostEditResponse>>, ProblemHttpResult>> ListPostEdits(
        string id, string? state, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        if (await s.Boards.GetAsync(id, ct) is not { } p) return Problems.NotFound("project", id);
        return TypedResults.Ok((await s.Store.PostEditsAsync(id, state, ct)).Select(e => ReviewsApi.Response(p, e, withAuthor: true)).ToList());
    }
}
