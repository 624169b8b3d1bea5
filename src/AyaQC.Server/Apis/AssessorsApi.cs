using AyaQC.Contracts;
using AyaQC.Grains;
using AyaQC.Core.Qualification;
using AyaQC.Server.Auth;
using AyaQC.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>
/// Assessors (admin): register in bulk (all-or-nothing, idempotent by batchId), list, reissue a token, suspend or
/// reinstate, set skill estimates. Changes to one assessor go through their grain, so they count on every node at once.
/// </summary>
public static class AssessorsApi
{
    const int MaxBatch = 10_000;

    public static IEndpointRouteBuilder MapAssessorsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/assessors").WithTags("Assessors").RequireAuthorization(Roles.Admin);
        api.MapPost("", RegisterAssessors)
            .WithSummary("Register assessors; each gets a token shown only in this response.");
        api.MapGet("", ListAssessors);
        api.MapPost("/{id}/token", ReissueToken)
            .WithSummary("Replace an assessor's token (the old one stops working).");
        api.MapGet("/{id}", GetAssessor).WithSummary("One assessor: active or suspended, skill estimates.");
        api.MapPost("/{id}/suspend", Suspend)
            .WithSummary("Suspend an assessor: their token is refused on every node from now on (kept while suspended).");
        api.MapPost("/{id}/reinstate", Reinstate).WithSummary("Lift an assessor's suspension: their token works again.");
        api.MapPut("/{id}/skills", SetSkill).WithSummary("Set one skill estimate (0..1) of an assessor.");
        return app;
    }

    public static async Task<Results<Created<RegisterAssessorsResponse>, Ok<RegisterAssessorsResponse>, ProblemHttpResult>> RegisterAssessors(
        RegisterAssessorsRequest request, IQualificationStore store, CancellationToken ct)
    {
        var problems = Validate(request);
        if (problems.Count > 0)
            return Problems.Invalid($"no assessor was registered: {problems.Count} problem(s), first: {problems[0].Field}: {problems[0].Message}", problems);

        var tokens = request.Assessors.Select(_ => ApiTokens.NewAssessorToken()).ToList();
        var fresh = request.Assessors.Select((a, i) => new NewAssessor(
            SqlQualificationStore.NewId("asr"), a.Name.Trim(), a.Languages is { Count: > 0 } l ? string.Join(',', l) : null,
            ApiTokens.Hash(tokens[i]))).ToList();
        var outcome = await store.RegisterAssessorsAsync(new AssessorBatch(request.BatchId, fresh), ct);
        if (outcome.Replayed)
            return TypedResults.Ok(new RegisterAssessorsResponse(outcome.Value.Select(a => new RegisteredAssessor(a.Id, a.Name, null)).ToList(), true));
        var tokenOf = fresh.Select((a, i) => (a.Id, tokens[i])).ToDictionary(p => p.Id, p => p.Item2);
        var response = new RegisterAssessorsResponse(outcome.Value.Select(a => new RegisteredAssessor(a.Id, a.Name, tokenOf[a.Id])).ToList(), false);
        return TypedResults.Created("/api/v1/assessors", response);
    }

    static List<FieldProblem> Validate(RegisterAssessorsRequest request)
    {
        var problems = new List<FieldProblem>();
        if (request.Assessors is null || request.Assessors.Count == 0)
            problems.Add(new(null, "assessors", "at least one assessor is required"));
        else if (request.Assessors.Count > MaxBatch)
            problems.Add(new(null, "assessors", $"at most {MaxBatch} assessors per request"));
        else
            for (var i = 0; i < request.Assessors.Count; i++)
            {
                var a = request.Assessors[i];
                if (string.IsNullOrWhiteSpace(a.Name)) problems.Add(new(null, $"assessors[{i}].name", "name is required"));
                else if (a.Name.Length > 200) problems.Add(new(null, $"assessors[{i}].name", "must be at most 200 characters"));
                foreach (var (code, j) in (a.Languages ?? []).Select((c, j) => (c, j)))
                    if (!LanguageCodes.IsKnown(code))
                        problems.Add(new(null, $"assessors[{i}].languages[{j}]", $"unknown language code '{code}' (use NLLB codes such as eng_Latn, swh_Latn)"));
            }
        if (request.BatchId is { Length: > 200 }) problems.Add(new(null, "batchId", "must be at most 200 characters"));
        return problems;
    }

    public static async Task<Ok<List<AssessorResponse>>> ListAssessors(IQualificationStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAssessorsAsync(ct)).Select(a => new AssessorResponse(
            a.Id, a.Name, a.Languages?.Split(',') ?? [], a.CreatedAt)).ToList());

    public static async Task<Results<Ok<AssessorStatusResponse>, ProblemHttpResult>> GetAssessor(string id, IGrainFactory grains) =>
        await grains.GetGrain<IAssessorGrain>(id).GetProfileAsync() is { } p ? TypedResults.Ok(Status(p)) : Problems.NotFound("assessor", id);

    public static async Task<Results<Ok<AssessorStatusResponse>, ProblemHttpResult>> Suspend(string id, IGrainFactory grains, TimeProvider clock)
    {
        var grain = grains.GetGrain<IAssessorGrain>(id);
        if (await grain.GetProfileAsync() is not { } p) return Problems.NotFound("assessor", id);
        if (p.Active && !await grain.SetSuspendedAsync(clock.GetUtcNow())) return Problems.NotFound("assessor", id);
        return TypedResults.Ok(Status((await grain.GetProfileAsync())!));
    }

    public static async Task<Results<Ok<AssessorStatusResponse>, ProblemHttpResult>> Reinstate(string id, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IAssessorGrain>(id);
        if (await grain.GetProfileAsync() is not { } p) return Problems.NotFound("assessor", id);
        if (!p.Active && !await grain.SetSuspendedAsync(null)) return Problems.NotFound("assessor", id);
        return TypedResults.Ok(Status((await grain.GetProfileAsync())!));
    }

    public static async Task<Results<Ok<AssessorStatusResponse>, ProblemHttpResult>> SetSkill(
        string id, SkillRequest request, IGrainFactory grains, TimeProvider clock)
    {
        var problems = new List<FieldProblem>();
        if (string.IsNullOrWhiteSpace(request.Skill)) problems.Add(new(null, "skill", "skill is required (e.g. a language code such as swh_Latn)"));
        else if (request.Skill.Length > 100) problems.Add(new(null, "skill", "must be at most 100 characters"));
        if (!double.IsFinite(request.Estimate) || request.Estimate is < 0 or > 1) problems.Add(new(null, "estimate", "must be between 0 and 1"));
        if (problems.Count > 0) return Problems.Invalid($"the skill was not set: {problems[0].Field}: {problems[0].Message}", problems);
        var grain = grains.GetGrain<IAssessorGrain>(id);
        if (!await grain.SetSkillAsync(request.Skill.Trim(), request.Estimate, clock.GetUtcNow())) return Problems.NotFound("assessor", id);
        return TypedResults.Ok(Status((await grain.GetProfileAsync())!));
    }

    static AssessorStatusResponse Status(AssessorProfile p) =>
        new(p.Id, p.Name, p.Languages?.Split(',') ?? [], p.CreatedAt, p.Active, p.SuspendedAt, p.Skills);

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> ReissueToken(
        string id, IGrainFactory grains)
    {
        var token = ApiTokens.NewAssessorToken();
        // The assessor's grain holds the hash every node checks, so the old token stops working everywhere now.
        if (!await grains.GetGrain<IAssessorGrain>(id).ReplaceTokenAsync(ApiTokens.Hash(token))) return Problems.NotFound("assessor", id);
        return TypedResults.Ok(new TokenResponse(id, token));
    }
}
