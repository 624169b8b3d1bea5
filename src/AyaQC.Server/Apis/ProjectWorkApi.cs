using System.Security.Claims;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Grains;
using AyaQC.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>
/// What an assessor does in a project: fetch the next item and answer it. Rows and control items travel in the
/// same shape with ids from one opaque space; nothing here carries gold, skill or suspension evidence.
/// </summary>
public static class ProjectWorkApi
{
    public static IEndpointRouteBuilder MapProjectWorkApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/me/projects", GetMyProjects).WithTags("Assessor").RequireAuthorization(Roles.Assessor);
        var work = app.MapGroup("/api/v1/projects/{id}").WithTags("Assessor").RequireAuthorization(Roles.Assessor);
        work.MapGet("/next", GetNext).WithSummary("The item to judge now, or status no_work / quota_reached.");
        work.MapPost("/answers", PostAnswer).WithSummary("Answer the current item good/bad (error type for bad; post-edit where asked).");
        return app;
    }

    static string AssessorId(ClaimsPrincipal user) => user.FindFirstValue(Roles.AssessorIdClaim)!;

    public static async Task<Ok<List<MyProjectResponse>>> GetMyProjects(ClaimsPrincipal user, [AsParameters] ProjectServices s, CancellationToken ct) =>
        TypedResults.Ok((await s.Store.ProjectsOfAsync(AssessorId(user), ct)).Where(p => p.TaskKind != ProjectSettings.Import)
            .Select(p => new MyProjectResponse(p.Id, p.Name, p.State, p.TaskKind == ProjectSettings.JudgeAndPostEdit)).ToList());

    public static async Task<Results<Ok<ProjectNextResponse>, ProblemHttpResult>> GetNext(
        string id, ClaimsPrincipal user, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var next = await s.Project(id).NextAsync(AssessorId(user), s.Clock.GetUtcNow());
        return next.Refusal is { } why ? Refused(why, next.Detail!) : TypedResults.Ok(Response(id, next));
    }

    static ProjectNextResponse Response(string id, ProjectServed next) => new(id, next.Status,
        next.Item is { } i ? new ProjectItem(i.ItemId, i.Position, i.SourceLang, i.TargetLang, i.Source, i.Translation) : null, next.PostEdit);

    /// <summary>Checks the request's fields, then one call to the project grain judges and stores the answer.</summary>
    public static async Task<Results<Ok<ProjectAnswerResponse>, ProblemHttpResult>> PostAnswer(
        string id, ProjectAnswerRequest answer, ClaimsPrincipal user, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var problems = new List<FieldProblem>();
        if (string.IsNullOrWhiteSpace(answer.ItemId)) problems.Add(new(null, "itemId", "itemId is required"));
        Verdict? verdict = Verdicts.TryParse(answer.Verdict, out var v) ? v : null;
        if (verdict is null) problems.Add(new(null, "verdict", "verdict must be 'good' or 'bad'"));
        if (answer.ErrorType is not null)
        {
            if (!ErrorTypes.IsKnown(answer.ErrorType))
                problems.Add(new(null, "errorType", $"unknown error type '{answer.ErrorType}' (the codes are listed in docs/qualification.md)"));
            else if (verdict == Verdict.Good) problems.Add(new(null, "errorType", "an error type goes only with verdict 'bad'"));
        }
        if (answer.PostEdit is not null)
        {
            if (string.IsNullOrWhiteSpace(answer.PostEdit)) problems.Add(new(null, "postEdit", "a post-edit must not be empty"));
            else if (answer.PostEdit.Length > 20_000) problems.Add(new(null, "postEdit", "is longer than 20,000 characters"));
        }
        if (problems.Count > 0) return Problems.Invalid($"answer not accepted: {problems[0].Field}: {problems[0].Message}", problems);
        var next = await s.Project(id).AnswerAsync(AssessorId(user), answer.ItemId, verdict == Verdict.Good ? "good" : "bad", answer.ErrorType,
            answer.PostEdit?.Trim(), s.Clock.GetUtcNow());
        if (next.Refusal is { } why) return Refused(why, next.Detail!);
        return TypedResults.Ok(new ProjectAnswerResponse(id, answer.ItemId, next.Answered, Response(id, next)));
    }

    static ProblemHttpResult Refused(ProjectRefusal why, string detail) => why switch
    {
        ProjectRefusal.NotInPool or ProjectRefusal.NotFound => Problems.Create(StatusCodes.Status404NotFound, "Not in this project", detail, "not_in_project"),
        ProjectRefusal.NotOpen => Problems.Conflict(detail, "project_not_open"),
        ProjectRefusal.AlreadyAnswered => Problems.Conflict(detail, "already_answered"),
        ProjectRefusal.Suspended => Problems.Create(StatusCodes.Status403Forbidden, "Suspended", detail, "suspended"),
        ProjectRefusal.NoBoard => Problems.Conflict(detail, "import_only"),
        ProjectRefusal.PostEditNotAsked => Problems.Invalid($"answer not accepted: postEdit: {detail}", [new(null, "postEdit", detail)]),
        _ => Problems.Create(StatusCodes.Status422UnprocessableEntity, "Item not served to you", detail, "item_not_served"),
    };
}
