using AyaQC.Contracts;
using AyaQC.Core.Metrics;
using AyaQC.Reports.Hter;
using AyaQC.Server.Auth;
using AyaQC.Storage.Assessment;
using AyaQC.Storage.Filtering;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>A project's two HTER reports: every accepted post-edit, and those on rows the filter kept.</summary>
public sealed record ProjectHterReports(StoredProject Project, HterReport All, HterReport Kept, IReadOnlyList<string> DecisionSignatures)
{
    /// <summary>Which rows count as kept (the effective decision, as the export reads it).</summary>
    public const string KeptBy = "decision:keep|from:override-else-latest-filter-job";

    public string Signature => $"hter|{All.Signature}|post-edits:accepted|kept:{KeptBy}";
}

/// <summary>
/// <c>GET /api/v1/projects/{id}/hter</c> (admin): the HTER report of the project's accepted post-edits per language pair and
/// post-editor, over all of them and over the kept rows only, built by the same code as <c>ayaqc hter</c> on a file.
/// </summary>
public static class HterApi
{
    public const int MaxTop = 100;

    public static IEndpointRouteBuilder MapHterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/projects/{id}/hter", GetProjectHter).WithTags("Projects").RequireAuthorization(Roles.Admin)
            .WithSummary("HTER of the project's accepted post-edits per language pair and post-editor, all rows and kept rows (TER options as sacreBLEU's).");
        return app;
    }

    public static async Task<Results<Ok<ProjectHterResponse>, ProblemHttpResult>> GetProjectHter(string id, bool? caseSensitive, bool? normalized,
        bool? noPunct, int? top, ProjectStore projects, DecisionStore decisions, CancellationToken ct)
    {
        if (top is < 0 or > MaxTop) return Problems.Invalid("top", $"must be between 0 and {MaxTop}");
        var options = new TerOptions(caseSensitive ?? false, normalized ?? false, noPunct ?? false);
        if (await BuildAsync(id, options, top ?? 10, projects, decisions, ct) is not { } r) return Problems.NotFound("project", id);
        return TypedResults.Ok(new ProjectHterResponse(r.Project.Id, r.Project.DatasetId, r.Signature, ProjectHterReports.KeptBy, r.DecisionSignatures,
            HterReportContract.ToResponse(r.All), HterReportContract.ToResponse(r.Kept)));
    }

    /// <summary>
    /// Reads the stored tables (project, accepted post-edits in the order they were made, dataset rows, decisions) and
    /// scores each accepted post-edit against its row's translation; null when the project does not exist.
    /// </summary>
    public static async Task<ProjectHterReports?> BuildAsync(string projectId, TerOptions options, int top, ProjectStore projects,
        DecisionStore decisions, CancellationToken ct)
    {
        if (await projects.GetAsync(projectId, ct) is not { } project) return null;
        var edits = await projects.PostEditsAsync(projectId, "accepted", ct);
        var rows = project.DatasetId is null || edits.Count == 0 ? new Dictionary<string, ProjectRow>()
            : (await projects.DatasetRowsAsync(project.DatasetId, ct)).ToDictionary(r => r.RowId, StringComparer.Ordinal);
        var (kept, signatures) = project.DatasetId is null ? ([], []) : await decisions.KeptRowsAsync(project.DatasetId, ct);
        var all = new HterReportBuilder(new TranslationEditRate(options), top);
        var onKept = new HterReportBuilder(new TranslationEditRate(options), top);
        foreach (var e in edits)
        {
            if (!rows.TryGetValue(e.RowId, out var row)) continue; // post-edits are made on the project's dataset rows only
            var edited = new PostEditedRow(row.Translation, e.Text, e.RowId, $"{row.SourceLang}-{row.TargetLang}", e.AssessorId);
            all.Add(edited);
            if (kept.Contains(e.RowId)) onKept.Add(edited);
        }
        return new ProjectHterReports(project, all.Build($"project {project.Id}: accepted post-edits"),
            onKept.Build($"project {project.Id}: accepted post-edits on rows the filter kept"), signatures);
    }
}
