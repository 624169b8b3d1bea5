using System.Security.Claims;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Storage.Datasets;
using AyaQC.Storage.Filtering;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>Decisions (admin): browse a dataset's keep / drop / review decisions; a lead overrides one row, audited.</summary>
public static class DecisionsApi
{
    public static IEndpointRouteBuilder MapDecisionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/datasets/{id}/decisions").WithTags("Decisions").RequireAuthorization(Roles.Admin);
        api.MapGet("", ListDecisions).WithSummary("Decided rows in file order (paged by cursor); decision=keep|drop|review filters by the effective decision.");
        api.MapGet("/{rowId}", GetDecision).WithSummary("One row's decision with its audit trail of overrides.");
        api.MapPost("/{rowId}/override", OverrideDecision)
            .WithSummary("A lead sets the row's decision (keep, drop or review) with a reason; who and when are recorded, and a later model run does not undo it.");
        app.MapGet("/api/v1/datasets/{id}/decision-counts", CountDecisions).WithTags("Decisions").RequireAuthorization(Roles.Admin)
            .WithSummary("Rows per effective decision (keep, review, drop), overrides among them, and rows not decided yet.");
        return app;
    }

    public static async Task<Results<Ok<DecisionCountsResponse>, ProblemHttpResult>> CountDecisions(string id, DatasetStore datasets,
        DecisionStore decisions, CancellationToken ct)
    {
        if (await datasets.GetAsync(id, ct) is not { } dataset) return Problems.NotFound("dataset", id);
        var (counts, overridden) = await decisions.CountsAsync(id, ct);
        long Of(string d) => counts.GetValueOrDefault(d);
        var decided = counts.Values.Sum();
        return TypedResults.Ok(new DecisionCountsResponse(id, dataset.RowCount, Of(Decisions.Keep), Of(Decisions.Review), Of(Decisions.Drop),
            Math.Max(0, dataset.RowCount - decided), overridden));
    }

    public static async Task<Results<Ok<DecisionsPage>, ProblemHttpResult>> ListDecisions(string id, string? decision, string? cursor, int? limit,
        DatasetStore datasets, DecisionStore decisions, CancellationToken ct)
    {
        if (await datasets.GetAsync(id, ct) is null) return Problems.NotFound("dataset", id);
        if (decision is not null && !Decisions.All.Contains(decision)) return Problems.Invalid("decision", $"'{decision}' is not keep, drop or review");
        if (ExportApi.ParseCursor(cursor) is not { } after) return Problems.Invalid("cursor", "is not a cursor from an earlier page (use nextCursor as given)");
        if (limit is < 1 or > 1000) return Problems.Invalid("limit", "must be between 1 and 1000");
        var (rows, next) = await decisions.PageAsync(id, after, limit ?? 100, decision, ct);
        return TypedResults.Ok(new DecisionsPage(rows.Select(d => ToResponse(d, null)).ToList(), next?.ToString()));
    }

    public static async Task<Results<Ok<RowDecisionResponse>, ProblemHttpResult>> GetDecision(string id, string rowId, DatasetStore datasets,
        DecisionStore decisions, CancellationToken ct)
    {
        if (await datasets.GetAsync(id, ct) is null) return Problems.NotFound("dataset", id);
        if (await decisions.GetAsync(id, rowId, ct) is not { } d) return Problems.NotFound("decision for row", rowId);
        return TypedResults.Ok(ToResponse(d, await decisions.OverridesAsync(id, rowId, ct)));
    }

    public static async Task<Results<Ok<RowDecisionResponse>, ProblemHttpResult>> OverrideDecision(string id, string rowId, OverrideRequest request,
        ClaimsPrincipal user, DatasetStore datasets, DecisionStore decisions, TimeProvider clock, CancellationToken ct)
    {
        if (await datasets.GetAsync(id, ct) is null) return Problems.NotFound("dataset", id);
        if (!Decisions.All.Contains(request.Decision)) return Problems.Invalid("decision", $"'{request.Decision}' is not keep, drop or review");
        if (string.IsNullOrWhiteSpace(request.Reason)) return Problems.Invalid("reason", "say why the decision is overridden (it is kept in the audit trail)");
        if (request.Reason.Length > 2000) return Problems.Invalid("reason", "must be at most 2000 characters");
        if (await decisions.OverrideAsync(id, rowId, request.Decision, request.Reason.Trim(), PipelinesApi.Lead(user), clock.GetUtcNow(), ct) is null)
            return Problems.NotFound("row", rowId);
        return TypedResults.Ok(ToResponse((await decisions.GetAsync(id, rowId, ct))!, await decisions.OverridesAsync(id, rowId, ct)));
    }

    static RowDecisionResponse ToResponse(StoredDecision d, IReadOnlyList<StoredOverride>? overrides) =>
        new(d.Seq, d.RowId, d.Decision, d.ModelDecision, d.PGood,
            d.Reasons is null ? [] : d.Reasons.Split(ModelDecision.ReasonSeparator), d.Signature, d.JobId, d.DecidedAt,
            d.OverrideDecision is not null,
            overrides?.Select(o => new OverrideResponse(o.Id, o.RowId, o.Decision, o.PreviousDecision, o.ModelDecision, o.Reason, o.Lead, o.At)).ToList());
}
