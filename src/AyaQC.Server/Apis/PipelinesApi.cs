using System.Security.Claims;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Storage.Filtering;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>Pipeline tokens (admin): a token a fine-tuning pipeline uses to read exports, and nothing else.</summary>
public static class PipelinesApi
{
    public static IEndpointRouteBuilder MapPipelinesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/pipeline-tokens").WithTags("Export").RequireAuthorization(Roles.Admin);
        api.MapPost("", CreatePipelineToken).WithSummary("Make a pipeline token (shown once): it may read dataset exports and nothing else.");
        api.MapGet("", ListPipelineTokens);
        api.MapPost("/{id}/revoke", RevokePipelineToken).WithSummary("The token stops working at once, on every node.");
        return app;
    }

    /// <summary>The lead acting: the admin key's name (or "admin" for a page session).</summary>
    public static string Lead(ClaimsPrincipal user) => user.FindFirstValue(Roles.AdminNameClaim) ?? "admin";

    public static async Task<Results<Created<PipelineTokenResponse>, ProblemHttpResult>> CreatePipelineToken(
        CreatePipelineTokenRequest request, ClaimsPrincipal user, PipelineTokenStore store, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name)) return Problems.Invalid("name", "name is required");
        if (request.Name.Length > 200) return Problems.Invalid("name", "must be at most 200 characters");
        var token = ApiTokens.NewPipelineToken();
        var stored = await store.AddAsync(request.Name.Trim(), ApiTokens.Hash(token), Lead(user), clock.GetUtcNow(), ct);
        return TypedResults.Created($"/api/v1/pipeline-tokens/{stored.Id}", ToResponse(stored, token));
    }

    public static async Task<Ok<List<PipelineTokenResponse>>> ListPipelineTokens(PipelineTokenStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(t => ToResponse(t, null)).ToList());

    public static async Task<Results<Ok<PipelineTokenResponse>, ProblemHttpResult>> RevokePipelineToken(string id, PipelineTokenStore store,
        TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is null) return Problems.NotFound("pipeline token", id);
        if (!await store.RevokeAsync(id, clock.GetUtcNow(), ct)) return Problems.Conflict($"pipeline token '{id}' was already revoked", "already_revoked");
        return TypedResults.Ok(ToResponse((await store.GetAsync(id, ct))!, null));
    }

    static PipelineTokenResponse ToResponse(StoredPipelineToken t, string? token) => new(t.Id, t.Name, t.CreatedBy, t.CreatedAt, t.RevokedAt, token);
}
