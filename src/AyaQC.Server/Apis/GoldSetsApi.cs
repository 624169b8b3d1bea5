using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Qualification;
using AyaQC.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>Gold sets (admin): import a JSONL set all-or-nothing, list and inspect them.</summary>
public static class GoldSetsApi
{
    const long MaxBodyBytes = 64L * 1024 * 1024;

    public static IEndpointRouteBuilder MapGoldSetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/gold-sets").WithTags("Gold sets").RequireAuthorization(Roles.Admin);
        api.MapPost("", ImportGoldSet)
            .WithSummary("Import a JSONL gold set (request body: the file, UTF-8); any bad line rejects the whole file. Resending the same batchId is a no-op.");
        api.MapGet("", ListGoldSets);
        api.MapGet("/{id}", GetGoldSet);
        return app;
    }

    public static async Task<Results<Created<GoldSetResponse>, Ok<GoldSetResponse>, ProblemHttpResult>> ImportGoldSet(
        HttpRequest request, string? name, string? batchId, IQualificationStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name)) return Problems.Invalid("name", "query parameter 'name' is required");
        if (name.Length > 200) return Problems.Invalid("name", "must be at most 200 characters");
        if (batchId is { Length: > 200 }) return Problems.Invalid("batchId", "must be at most 200 characters");
        if (request.ContentLength > MaxBodyBytes) return Problems.Invalid("(body)", $"the file is larger than {MaxBodyBytes / 1024 / 1024} MB");

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        var parsed = GoldSetFile.Parse(body.GetBuffer().AsSpan(0, (int)body.Length));
        if (!parsed.Ok)
            return Problems.Invalid($"the gold set was not imported: {parsed.Errors.Count} problem(s), first: {Describe(parsed.Errors[0])}", parsed.Errors);

        var outcome = await store.ImportGoldSetAsync(new GoldSetImport(name.Trim(), batchId, parsed.Items), ct);
        var response = ToResponse(outcome.Value, outcome.Replayed) with { Warnings = parsed.Warnings };
        return outcome.Replayed ? TypedResults.Ok(response) : TypedResults.Created($"/api/v1/gold-sets/{response.Id}", response);
    }

    public static async Task<Ok<List<GoldSetResponse>>> ListGoldSets(IQualificationStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListGoldSetsAsync(ct)).Select(s => ToResponse(s, false)).ToList());

    public static async Task<Results<Ok<GoldSetResponse>, ProblemHttpResult>> GetGoldSet(string id, IQualificationStore store, CancellationToken ct) =>
        await store.GetGoldSetAsync(id, ct) is { } set ? TypedResults.Ok(ToResponse(set, false)) : Problems.NotFound("gold set", id);

    static GoldSetResponse ToResponse(StoredGoldSet s, bool replayed) =>
        new(s.Id, s.Name, s.ItemCount, s.GoodCount, s.BadCount, s.CreatedAt, replayed, null);

    static string Describe(FieldProblem p) => $"{(p.Line is { } l ? $"line {l}, " : "")}{p.Field}: {p.Message}";
}
