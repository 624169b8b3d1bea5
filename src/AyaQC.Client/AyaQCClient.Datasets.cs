using System.Net.Http.Headers;
using System.Net.Http.Json;
using AyaQC.Contracts;

namespace AyaQC.Client;

/// <summary>Datasets and back-translation jobs (admin).</summary>
public sealed partial class AyaQCClient
{
    /// <summary>Streams <paramref name="body"/> (JSONL or CSV) to the server; nothing is buffered here.</summary>
    public Task<DatasetResponse> ImportDatasetAsync(string name, Stream body, string format = "jsonl", string? batchId = null,
        string? sourceLang = null, string? targetLang = null, string? signals = null, CancellationToken ct = default)
    {
        var content = new StreamContent(body, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue(format == "csv" ? "text/csv" : "application/x-ndjson");
        var query = $"api/v1/datasets?name={Uri.EscapeDataString(name)}&format={Uri.EscapeDataString(format)}{BatchQuery(batchId)}"
                    + Optional("sourceLang", sourceLang) + Optional("targetLang", targetLang) + Optional("signals", signals);
        return SendAsync<DatasetResponse>(HttpMethod.Post, query, content, ct);
    }

    public Task<List<DatasetResponse>> ListDatasetsAsync(CancellationToken ct = default) =>
        SendAsync<List<DatasetResponse>>(HttpMethod.Get, "api/v1/datasets", null, ct);

    public Task<DatasetResponse> GetDatasetAsync(string id, CancellationToken ct = default) =>
        SendAsync<DatasetResponse>(HttpMethod.Get, $"api/v1/datasets/{Uri.EscapeDataString(id)}", null, ct);

    /// <summary>Filters as the server names them: hasLabel, failed, flagged (true/false), flag (a flag code), jobId.</summary>
    public Task<DatasetRowsPage> GetDatasetRowsAsync(string id, string? cursor = null, int? limit = null, bool? hasLabel = null,
        bool? failed = null, bool? flagged = null, string? flag = null, string? jobId = null, CancellationToken ct = default) =>
        SendAsync<DatasetRowsPage>(HttpMethod.Get,
            $"api/v1/datasets/{Uri.EscapeDataString(id)}/rows?" + string.Concat(
                Optional("cursor", cursor), Optional("limit", limit?.ToString()), Optional("hasLabel", Bool(hasLabel)),
                Optional("failed", Bool(failed)), Optional("flagged", Bool(flagged)), Optional("flag", flag), Optional("jobId", jobId)).TrimStart('&'),
            null, ct);

    public Task<JobResponse> StartBackTranslationAsync(string datasetId, StartBackTranslationRequest request, CancellationToken ct = default) =>
        SendAsync<JobResponse>(HttpMethod.Post, $"api/v1/datasets/{Uri.EscapeDataString(datasetId)}/backtranslations",
            JsonContent.Create(request, options: Json), ct);

    public Task<JobResponse> GetJobAsync(string jobId, CancellationToken ct = default) =>
        SendAsync<JobResponse>(HttpMethod.Get, $"api/v1/jobs/{Uri.EscapeDataString(jobId)}", null, ct);

    public Task<JobResponse> CancelJobAsync(string jobId, CancellationToken ct = default) =>
        SendAsync<JobResponse>(HttpMethod.Post, $"api/v1/jobs/{Uri.EscapeDataString(jobId)}/cancel", null, ct);

    static string Optional(string name, string? value) => value is null ? "" : $"&{name}={Uri.EscapeDataString(value)}";
    static string? Bool(bool? value) => value is { } b ? (b ? "true" : "false") : null;
}
