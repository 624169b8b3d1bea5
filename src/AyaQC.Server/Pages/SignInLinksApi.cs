using AyaQC.Contracts;
using System.Security.Cryptography;
using AyaQC.Server.Apis;
using AyaQC.Server.Auth;
using AyaQC.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Pages;


/// <summary><c>POST /api/v1/assessors/{id}/sign-in-links</c> (admin).</summary>
public static class SignInLinksApi
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapSignInLinksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/assessors/{id}/sign-in-links", CreateLink).WithTags("Assessors").RequireAuthorization(Roles.Admin)
            .WithSummary("A one-time sign-in link for the assessor's pages (shown once; works once, within 7 days).");
        return app;
    }

    public static async Task<Results<Created<SignInLinkResponse>, ProblemHttpResult>> CreateLink(
        string id, HttpContext http, IQualificationStore store, SignInLinkStore links, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetAssessorAsync(id, ct) is null) return Problems.NotFound("assessor", id);
        var code = "aql_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow();
        await links.AddAsync(ApiTokens.Hash(code), id, now, now + Lifetime, ct);
        var url = $"{http.Request.Scheme}://{http.Request.Host}/sign-in/{code}";
        return TypedResults.Created(url, new SignInLinkResponse(id, url, now + Lifetime));
    }
}
