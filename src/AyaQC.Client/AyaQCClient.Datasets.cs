using System.Net.Http.Headers;
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
        return Call(() => _api.ImportDataset(name, format, content, batchId, sourceLang, targetLang, signals, ct));
    }

    public Task<List<DatasetResponse>> ListDatasetsAsync(CancellationToken ct = default) => Call(() => _api.ListDatasets(ct));

    public Task<DatasetResponse> GetDatasetAsync(string id, CancellationToken ct = default) => Call(() => _api.GetDataset(id, ct));

    /// <summary>Filters as the server names them: hasLabel, failed, flagged (true/false), flag (a flag code), jobId.</summary>
    public Task<DatasetRowsPage> GetDatasetRowsAsync(string id, string? cursor = null, int? limit = null, bool? hasLabel = null,
        bool? failed = null, bool? flagged = null, string? flag = null, string? jobId = null, CancellationToken ct = default) =>
        Call(() => _api.GetDatasetRows(id, cursor, limit, Bool(hasLabel), Bool(failed), Bool(flagged), flag, jobId, ct));

    public Task<JobResponse> StartBackTranslationAsync(string datasetId, StartBackTranslationRequest request, CancellationToken ct = default) =>
        Call(() => _api.StartBackTranslation(datasetId, request, ct));

    public Task<List<JobResponse>> ListBackTranslationsAsync(string datasetId, CancellationToken ct = default) =>
        Call(() => _api.ListBackTranslations(datasetId, ct));

    public Task<JobResponse> GetJobAsync(string jobId, CancellationToken ct = default) => Call(() => _api.GetJob(jobId, ct));

    public Task<JobResponse> CancelJobAsync(string jobId, CancellationToken ct = default) => Call(() => _api.CancelJob(jobId, ct));

    static string? Bool(bool? value) => value is { } b ? (b ? "true" : "false") : null;
}
