using System.Security.Claims;
using AyaQC.Contracts;
using AyaQC.Grains;
using AyaQC.Server.Auth;
using AyaQC.Storage.Assessment;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>
/// Peer review of post-edits: an admin adds reviewers (their own tokens); a reviewer lists a project's pending
/// post-edits — never their own — and accepts or rejects them. An accepted post-edit becomes the row's trusted reference.
/// </summary>
public static class ReviewsApi
{
    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/reviewers", AddReviewer).WithTags("Reviews").RequireAuthorization(Roles.Admin)
            .WithSummary("Add a reviewer; the token is shown once. AssessorId links a reviewer who also assesses.");
        var review = app.MapGroup("/api/v1/projects/{id}/reviews").WithTags("Reviews").RequireAuthorization(Roles.Reviewer);
        review.MapGet("", ListPending).WithSummary("Pending post-edits of the project, except the reviewer's own.");
        review.MapPost("/{postEditId}", Review).WithSummary("Accept or reject a pending post-edit.");
        return app;
    }

    public static async Task<Results<Created<ReviewerResponse>, ProblemHttpResult>> AddReviewer(
        AddReviewerRequest request, [AsParameters] ProjectServices s, KnownTokens known, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name)) return Problems.Invalid("name", "name is required");
        if (request.AssessorId is { } a && await s.Qualification.GetAssessorAsync(a, ct) is null)
            return Problems.Invalid("assessorId", $"assessor '{a}' does not exist");
        var token = ApiTokens.NewReviewerToken();
        var reviewer = await s.Store.AddReviewerAsync(request.Name.Trim(), ApiTokens.Hash(token), request.AssessorId, s.Clock.GetUtcNow(), ct);
        return TypedResults.Created($"/api/v1/reviewers/{reviewer.Id}", new ReviewerResponse(reviewer.Id, reviewer.Name, reviewer.AssessorId, token));
    }

    static (string Id, string? AssessorId) Reviewer(ClaimsPrincipal user) =>
        (user.FindFirstValue(Roles.ReviewerIdClaim)!, user.FindFirstValue(Roles.AssessorIdClaim));

    public static async Task<Results<Ok<List<PostEditResponse>>, ProblemHttpResult>> ListPending(
        string id, ClaimsPrincipal user, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var project = s.Project(id);
        if (await project.GetAsync(s.Clock.GetUtcNow()) is null) return Problems.NotFound("project", id);
        var (reviewerId, assessorId) = Reviewer(user);
        var pending = (await s.Store.PostEditsAsync(id, "pending", ct)).Where(e => e.AssessorId != assessorId && e.AssessorId != reviewerId).ToList();
        return TypedResults.Ok(await ResponsesAsync(project, pending, withAuthor: false));
    }

    public static async Task<Results<Ok<PostEditResponse>, ProblemHttpResult>> Review(
        string id, string postEditId, ReviewRequest request, ClaimsPrincipal user, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var project = s.Project(id);
        if (await project.GetAsync(s.Clock.GetUtcNow()) is null) return Problems.NotFound("project", id);
        if (await s.Store.PostEditAsync(postEditId, ct) is not { } edit || edit.ProjectId != id) return Problems.NotFound("post-edit", postEditId);
        var (reviewerId, assessorId) = Reviewer(user);
        if (edit.AssessorId == assessorId || edit.AssessorId == reviewerId)
            return Problems.Create(StatusCodes.Status403Forbidden, "Own post-edit", "a reviewer never reviews their own post-edit", "own_post_edit");
        if (!await s.Store.ReviewAsync(postEditId, reviewerId, request.Accept, s.Clock.GetUtcNow(), ct))
            return Problems.Conflict($"post-edit '{postEditId}' was already reviewed", "already_reviewed");
        if (request.Accept) await project.AcceptReferenceAsync(edit.RowId, edit.Text);
        return TypedResults.Ok((await ResponsesAsync(project, [(await s.Store.PostEditAsync(postEditId, ct))!], withAuthor: false))[0]);
    }

    /// <summary>Post-edits with their rows' texts; the author is named only to admins (reviewers judge blind).</summary>
    public static async Task<List<PostEditResponse>> ResponsesAsync(IProjectGrain project, IReadOnlyList<StoredPostEdit> edits, bool withAuthor)
    {
        if (edits.Count == 0) return [];
        var texts = await project.RowTextsAsync(edits.Select(e => e.RowId).Distinct().ToList());
        var byRow = texts.ToDictionary(t => t.RowId, StringComparer.Ordinal);
        return edits.Select(e => new PostEditResponse(e.Id, e.RowId, byRow[e.RowId].Source, byRow[e.RowId].Translation, e.Text, e.Hter, e.Signature,
            e.State, withAuthor ? e.AssessorId : null, withAuthor ? e.ReviewerId : null)).ToList();
    }
}
