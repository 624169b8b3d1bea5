using System.Runtime.CompilerServices;
using AyaQC.Contracts;

namespace AyaQC.Client;

/// <summary>Decisions, overrides, pipeline tokens and the export.</summary>
public sealed partial class AyaQCClient
{
    public Task<JobResponse> StartFilterJobAsync(string datasetId, StartFilterJobRequest request, CancellationToken ct = default) =>
        Call(() => _api.StartFilterJob(datasetId, request, ct));

    public Task<List<JobResponse>> ListFilterJobsAsync(string datasetId, CancellationToken ct = default) => Call(() => _api.ListFilterJobs(datasetId, ct));

    public Task<System.Text.Json.JsonElement> GetModelCardAsync(string jobId, CancellationToken ct = default) => Call(() => _api.GetModelCard(jobId, ct));

    public Task<DecisionsPage> ListDecisionsAsync(string datasetId, string? decision = null, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        Call(() => _api.ListDecisions(datasetId, decision, cursor, limit, ct));

    public Task<DecisionCountsResponse> CountDecisionsAsync(string datasetId, CancellationToken ct = default) => Call(() => _api.CountDecisions(datasetId, ct));

    public Task<RowDecisionResponse> GetDecisionAsync(string datasetId, string rowId, CancellationToken ct = default) =>
        Call(() => _api.GetDecision(datasetId, rowId, ct));

    public Task<RowDecisionResponse> OverrideDecisionAsync(string datasetId, string rowId, string decision, string reason, CancellationToken ct = default) =>
        Call(() => _api.OverrideDecision(datasetId, rowId, new OverrideRequest(decision, reason), ct));

    public Task<PipelineTokenResponse> CreatePipelineTokenAsync(string name, CancellationToken ct = default) =>
        Call(() => _api.CreatePipelineToken(new CreatePipelineTokenRequest(name), ct));

    public Task<List<PipelineTokenResponse>> ListPipelineTokensAsync(CancellationToken ct = default) => Call(() => _api.ListPipelineTokens(ct));

    public Task<PipelineTokenResponse> RevokePipelineTokenAsync(string id, CancellationToken ct = default) => Call(() => _api.RevokePipelineToken(id, ct));

    /// <summary>Streams the export's records (JSON Lines) as they arrive; a refused request throws <see cref="AyaQCApiException"/>.</summary>
    public async IAsyncEnumerable<ExportRecord> ExportAsync(string datasetId, string decision = "keep", string? cursor = null, long? limit = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var e = _api.Export(datasetId, decision, cursor, limit, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            bool more;
            try { more = await e.MoveNextAsync(); }
            catch (Refit.ApiException x) { throw Problem((int)x.StatusCode, x.ReasonPhrase, x.Content ?? ""); }
            if (!more) yield break;
            yield return e.Current;
        }
    }

    /// <summary>Copies the export (ndjson or csv) into <paramref name="output"/> as it arrives; returns the bytes and lines written
    /// (a CSV's header is one of the lines).</summary>
    public async Task<(long Bytes, long Lines)> ExportToAsync(string datasetId, Stream output, string format = "ndjson", string decision = "keep",
        string? cursor = null, long? limit = null, CancellationToken ct = default)
    {
        using var response = await _api.ExportRaw(datasetId, format, decision, cursor, limit, ct);
        if (!response.IsSuccessStatusCode)
            throw Problem((int)response.StatusCode, response.ReasonPhrase, await response.Content.ReadAsStringAsync(ct));
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[128 * 1024];
        long bytes = 0, lines = 0;
        int n;
        while ((n = await body.ReadAsync(buffer, ct)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, n), ct);
            bytes += n;
            lines += buffer.AsSpan(0, n).Count((byte)'\n');
        }
        return (bytes, lines);
    }
}
