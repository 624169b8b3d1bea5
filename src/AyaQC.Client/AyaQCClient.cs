using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AyaQC.Contracts;

namespace AyaQC.Client;

/// <summary>
/// Typed client for the AyaQC REST API. One <see cref="HttpClient"/> can serve many clients:
/// the bearer token (admin key or assessor token) travels on each request, not on the HttpClient.
/// </summary>
public sealed partial class AyaQCClient(HttpClient http, string? token = null)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(QualificationJsonContext.Default, ProjectJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    public AyaQCClient WithToken(string newToken) => new(http, newToken);

    // ---------- admin ----------

    public Task<GoldSetResponse> ImportGoldSetAsync(string name, string jsonl, string? batchId = null, CancellationToken ct = default) =>
        SendAsync<GoldSetResponse>(HttpMethod.Post, $"api/v1/gold-sets?name={Uri.EscapeDataString(name)}{BatchQuery(batchId)}",
            new StringContent(jsonl, Encoding.UTF8, "application/x-ndjson"), ct);

    public Task<GoldSetResponse> ImportGoldSetAsync(string name, byte[] jsonlBytes, string? batchId = null, CancellationToken ct = default)
    {
        var content = new ByteArrayContent(jsonlBytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        return SendAsync<GoldSetResponse>(HttpMethod.Post, $"api/v1/gold-sets?name={Uri.EscapeDataString(name)}{BatchQuery(batchId)}", content, ct);
    }

    public Task<List<GoldSetResponse>> ListGoldSetsAsync(CancellationToken ct = default) =>
        SendAsync<List<GoldSetResponse>>(HttpMethod.Get, "api/v1/gold-sets", null, ct);

    public Task<RegisterAssessorsResponse> RegisterAssessorsAsync(RegisterAssessorsRequest request, CancellationToken ct = default) =>
        SendAsync<RegisterAssessorsResponse>(HttpMethod.Post, "api/v1/assessors", JsonContent.Create(request, options: Json), ct);

    public Task<List<AssessorResponse>> ListAssessorsAsync(CancellationToken ct = default) =>
        SendAsync<List<AssessorResponse>>(HttpMethod.Get, "api/v1/assessors", null, ct);

    public Task<TokenResponse> ReissueTokenAsync(string assessorId, CancellationToken ct = default) =>
        SendAsync<TokenResponse>(HttpMethod.Post, $"api/v1/assessors/{Uri.EscapeDataString(assessorId)}/token", null, ct);

    public Task<RoundResponse> OpenRoundAsync(OpenRoundRequest request, CancellationToken ct = default) =>
        SendAsync<RoundResponse>(HttpMethod.Post, "api/v1/rounds", JsonContent.Create(request, options: Json), ct);

    public Task<List<RoundResponse>> ListRoundsAsync(CancellationToken ct = default) =>
        SendAsync<List<RoundResponse>>(HttpMethod.Get, "api/v1/rounds", null, ct);

    public Task<RoundResponse> GetRoundAsync(string roundId, CancellationToken ct = default) =>
        SendAsync<RoundResponse>(HttpMethod.Get, $"api/v1/rounds/{Uri.EscapeDataString(roundId)}", null, ct);

    public Task<RoundResponse> CloseRoundAsync(string roundId, CancellationToken ct = default) =>
        SendAsync<RoundResponse>(HttpMethod.Post, $"api/v1/rounds/{Uri.EscapeDataString(roundId)}/close", null, ct);

    public Task<RoundResultsResponse> GetResultsAsync(string roundId, int? topK = null, CancellationToken ct = default) =>
        SendAsync<RoundResultsResponse>(HttpMethod.Get,
            $"api/v1/rounds/{Uri.EscapeDataString(roundId)}/results{(topK is { } k ? $"?topK={k}" : "")}", null, ct);

    // ---------- assessor ----------

    public Task<MeResponse> MeAsync(CancellationToken ct = default) =>
        SendAsync<MeResponse>(HttpMethod.Get, "api/v1/me", null, ct);

    public Task<List<MyRoundResponse>> MyRoundsAsync(CancellationToken ct = default) =>
        SendAsync<List<MyRoundResponse>>(HttpMethod.Get, "api/v1/me/rounds", null, ct);

    public Task<NextItemResponse> NextItemAsync(string roundId, CancellationToken ct = default) =>
        SendAsync<NextItemResponse>(HttpMethod.Get, $"api/v1/rounds/{Uri.EscapeDataString(roundId)}/next", null, ct);

    public Task<AnswerResponse> AnswerAsync(string roundId, AnswerRequest answer, CancellationToken ct = default) =>
        SendAsync<AnswerResponse>(HttpMethod.Post, $"api/v1/rounds/{Uri.EscapeDataString(roundId)}/answers",
            JsonContent.Create(answer, options: Json), ct);

    // ---------- plumbing ----------

    static string BatchQuery(string? batchId) => batchId is null ? "" : $"&batchId={Uri.EscapeDataString(batchId)}";

    async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<T>(Json, ct)
            ?? throw new AyaQCApiException((int)response.StatusCode, "empty response", null, []);
    }

    static async Task<AyaQCApiException> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            var problem = JsonSerializer.Deserialize<ProblemBody>(body, Json);
            if (problem is not null)
                return new((int)response.StatusCode, problem.Title, problem.Detail, problem.Errors ?? []);
        }
        catch (JsonException) { }
        return new((int)response.StatusCode, response.ReasonPhrase, body.Length > 500 ? body[..500] : body, []);
    }

    sealed record ProblemBody(string? Title, string? Detail, List<FieldProblem>? Errors);
}
