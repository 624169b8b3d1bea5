using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Core.Datasets;
using AyaQC.Server.Auth;
using AyaQC.Storage.Datasets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>Datasets (admin): a streamed, all-or-nothing JSONL/CSV import; list, get, and browse rows with their results.</summary>
public static class DatasetsApi
{
    const long MaxBodyBytes = 8L * 1024 * 1024 * 1024;

    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/datasets").WithTags("Datasets").RequireAuthorization(Roles.Admin);
        api.MapPost("", ImportDataset)
            .WithSummary("Import dataset rows (request body: JSONL or CSV with a header, UTF-8), streamed; any problem rejects the whole file. Resending the same batchId is a no-op.");
        api.MapGet("", ListDatasets);
        api.MapGet("/{id}", GetDataset);
        api.MapGet("/{id}/rows", GetRows)
            .WithSummary("Rows in file order with their back-translation result (the latest job unless jobId is given); filters: hasLabel, failed, flagged, flag.");
        return app;
    }

    public static async Task<Results<Created<DatasetResponse>, Ok<DatasetResponse>, ProblemHttpResult>> ImportDataset(
        HttpRequest request, string? name, string? batchId, string? format, string? sourceLang, string? targetLang, string? signals,
        DatasetStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name)) return Problems.Invalid("name", "query parameter 'name' is required");
        if (name.Length > 200) return Problems.Invalid("name", "must be at most 200 characters");
        if (batchId is { Length: > 200 }) return Problems.Invalid("batchId", "must be at most 200 characters");
        if (ParseFormat(format, request.ContentType) is not { } parsedFormat)
            return Problems.Invalid("format", $"'{format}' is not a dataset format: use jsonl or csv");
        foreach (var (field, code) in new[] { ("sourceLang", sourceLang), ("targetLang", targetLang) })
            if (code is not null && !DatasetRowRules.LooksLikeLanguageCode(code))
                return Problems.Invalid(field, $"'{code}' is not a language code shaped like eng_Latn");

        // Rows stream from the socket into the database; the body may be far larger than the server's default limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        var columns = new DatasetColumns(sourceLang, targetLang,
            signals?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var result = await store.ImportAsync(new DatasetImport(name.Trim(), batchId, parsedFormat),
            DatasetFileReader.ReadAsync(request.Body, parsedFormat, columns, ct), ct);
        if (result.Dataset is not { } dataset)
        {
            var errors = result.Problems.Select(p => new FieldProblem(p.Line, p.Field, p.Message)).ToList();
            return Problems.Invalid($"the dataset was not imported: {result.ProblemCount} problem(s), first: {result.Problems[0]}", errors);
        }
        var response = ToResponse(dataset, result.Replayed);
        return result.Replayed ? TypedResults.Ok(response) : TypedResults.Created($"/api/v1/datasets/{dataset.Id}", response);
    }

    static DatasetFormat? ParseFormat(string? format, string? contentType) => (format?.Trim().ToLowerInvariant(), contentType) switch
    {
        ("jsonl" or "ndjson" or "json", _) => DatasetFormat.Jsonl,
        ("csv", _) => DatasetFormat.Csv,
        (null, { } ct) when ct.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) => DatasetFormat.Csv,
        (null, _) => DatasetFormat.Jsonl,
        _ => null,
    };

    public static async Task<Ok<List<DatasetResponse>>> ListDatasets(DatasetStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(d => ToResponse(d, false)).ToList());

    public static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> GetDataset(string id, DatasetStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } d ? TypedResults.Ok(ToResponse(d, false)) : Problems.NotFound("dataset", id);

    public static async Task<Results<Ok<DatasetRowsPage>, ProblemHttpResult>> GetRows(string id, string? cursor, int? limit,
        bool? hasLabel, bool? failed, bool? flagged, string? flag, string? jobId, DatasetStore store, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is null) return Problems.NotFound("dataset", id);
        long after = 0;
        if (cursor is not null && (!long.TryParse(cursor, out after) || after < 0))
            return Problems.Invalid("cursor", "is not a cursor from an earlier page (use nextCursor as given)");
        if (limit is < 1 or > 1000) return Problems.Invalid("limit", "must be between 1 and 1000");
        if (flag is not null && !RowFlags.All.Contains(flag))
            return Problems.Invalid("flag", $"'{flag}' is not a flag; flags: {string.Join(", ", RowFlags.All)}");
        var page = await store.RowsAsync(id, new RowQuery(after, limit ?? 100, hasLabel, failed, flagged, flag, jobId), ct);
        return TypedResults.Ok(new DatasetRowsPage(page.Rows.Select(ToResponse).ToList(), page.NextCursor?.ToString(), page.JobId));
    }

    static DatasetResponse ToResponse(StoredDataset d, bool replayed) =>
        new(d.Id, d.Name, d.Format, d.RowCount, d.LabelledCount, d.SignalColumns, d.MetadataColumns, d.CreatedAt, replayed);

    static DatasetRowResponse ToResponse(StoredRow r) => new(r.Seq, r.Id, r.Line, r.SourceLang, r.TargetLang, r.Source, r.Translation,
        r.PostEdit, r.Label,
        r.SignalsJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(r.SignalsJson),
        r.MetadataJson is null ? null : JsonDocument.Parse(r.MetadataJson).RootElement.Clone(),
        r.Result is not { } res ? null : new RowResultResponse(res.JobId, res.Status, res.BackTranslation, res.ChrF, res.LengthRatio,
            res.SourceTruncated, res.FlagReasonsJson is null ? [] : JsonSerializer.Deserialize<List<RowFlag>>(res.FlagReasonsJson, JsonSerializerOptions.Web) ?? [],
            res.Failure));
}
