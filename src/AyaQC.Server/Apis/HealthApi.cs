using AyaQC.Contracts;
using AyaQC.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>Liveness for load balancers and compose health checks (anonymous, reveals nothing).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth).WithTags("Health").AllowAnonymous();
        return app;
    }

    public static async Task<Ok<HealthResponse>> GetHealth(IQualificationStore store, CancellationToken ct) =>
        TypedResults.Ok(new HealthResponse("ok", store.Provider.ToString().ToLowerInvariant(), await store.GetSchemaVersionAsync(ct)));
}
