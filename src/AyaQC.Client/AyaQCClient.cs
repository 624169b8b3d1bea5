using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AyaQC.Contracts;
using Refit;

namespace AyaQC.Client;

/// <summary>
/// Typed client for the AyaQC REST API. One <see cref="HttpClient"/> can serve many clients:
/// the bearer token (admin key or assessor token) travels on each request, not on the HttpClient.
/// </summary>
public sealed partial class AyaQCClient(HttpClient http, string? token = null)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(QualificationJsonContext.Default, DatasetJsonContext.Default, ProjectJsonContext.Default, FilteringJsonContext.Default, HterJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    readonly IAyaQCApi _api = RestService.ForGenerated<IAyaQCApi>(http, new RefitSettings(new SystemTextJsonContentSerializer(Json))
    {
        AuthorizationHeaderValueGetter = (_, _) => ValueTask.FromResult(token ?? ""),
    });

    /// <summary>The Refit interface itself, for callers that want every route as declared.</summary>
    public IAyaQCApi Api => _api;

    public AyaQCClient WithToken(string newToken) => new(http, newToken);

    public Task<HealthResponse> HealthAsync(CancellationToken ct = default) => Call(() => _api.GetHealth(ct));

    // ---------- admin ----------

    public Task<GoldSetResponse> ImportGoldSetAsync(string name, string jsonl, string? batchId = null, CancellationToken ct = default) =>
        Call(() => _api.ImportGoldSet(name, new StringContent(jsonl, Encoding.UTF8, "application/x-ndjson"), batchId, ct));

    public Task<GoldSetResponse> ImportGoldSetAsync(string name, byte[] jsonlBytes, string? batchId = null, CancellationToken ct = default)
    {
        var content = new ByteArrayContent(jsonlBytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        return Call(() => _api.ImportGoldSet(name, content, batchId, ct));
    }

    public Task<List<GoldSetResponse>> ListGoldSetsAsync(CancellationToken ct = default) => Call(() => _api.ListGoldSets(ct));

    public Task<GoldSetResponse> GetGoldSetAsync(string id, CancellationToken ct = default) => Call(() => _api.GetGoldSet(id, ct));

    public Task<RegisterAssessorsResponse> RegisterAssessorsAsync(RegisterAssessorsRequest request, CancellationToken ct = default) =>
        Call(() => _api.RegisterAssessors(request, ct));

    public Task<List<AssessorResponse>> ListAssessorsAsync(CancellationToken ct = default) => Call(() => _api.ListAssessors(ct));

    public Task<TokenResponse> ReissueTokenAsync(string assessorId, CancellationToken ct = default) => Call(() => _api.ReissueToken(assessorId, ct));

    public Task<AssessorStatusResponse> GetAssessorAsync(string assessorId, CancellationToken ct = default) => Call(() => _api.GetAssessor(assessorId, ct));

    public Task<AssessorStatusResponse> SuspendAssessorAsync(string assessorId, CancellationToken ct = default) => Call(() => _api.SuspendAssessor(assessorId, ct));

    public Task<AssessorStatusResponse> ReinstateAssessorAsync(string assessorId, CancellationToken ct = default) => Call(() => _api.ReinstateAssessor(assessorId, ct));

    public Task<AssessorStatusResponse> SetAssessorSkillAsync(string assessorId, SkillRequest request, CancellationToken ct = default) =>
        Call(() => _api.SetAssessorSkill(assessorId, request, ct));

    public Task<RoundResponse> OpenRoundAsync(OpenRoundRequest request, CancellationToken ct = default) => Call(() => _api.OpenRound(request, ct));

    public Task<List<RoundResponse>> ListRoundsAsync(CancellationToken ct = default) => Call(() => _api.ListRounds(ct));

    public Task<RoundResponse> GetRoundAsync(string roundId, CancellationToken ct = default) => Call(() => _api.GetRound(roundId, ct));

    public Task<RoundResponse> CloseRoundAsync(string roundId, CancellationToken ct = default) => Call(() => _api.CloseRound(roundId, ct));

    public Task<RoundResultsResponse> GetResultsAsync(string roundId, int? topK = null, CancellationToken ct = default) =>
        Call(() => _api.GetResults(roundId, topK, ct));

    // ---------- assessor ----------

    public Task<MeResponse> MeAsync(CancellationToken ct = default) => Call(() => _api.GetMe(ct));

    public Task<List<MyRoundResponse>> MyRoundsAsync(CancellationToken ct = default) => Call(() => _api.GetMyRounds(ct));

    public Task<NextItemResponse> NextItemAsync(string roundId, CancellationToken ct = default) => Call(() => _api.GetNextItem(roundId, ct));

    public Task<AnswerResponse> AnswerAsync(string roundId, AnswerRequest answer, CancellationToken ct = default) =>
        Call(() => _api.PostAnswer(roundId, answer, ct));

    // ---------- plumbing ----------


    /// <summary>
    /// Runs one Refit call; a non-success status becomes an <see cref="AyaQCApiException"/> with the problem's fields,
    /// and a server that cannot be reached stays an <see cref="HttpRequestException"/> (Refit wraps it).
    /// </summary>
    static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ApiException e)
        {
            throw Problem((int)e.StatusCode, e.ReasonPhrase, e.Content ?? "");
        }
        catch (ApiRequestException e) when (e.InnerException is HttpRequestException transport)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(transport);
            throw;
        }
    }

    static AyaQCApiException Problem(int status, string? reason, string body)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<ProblemBody>(body, Json);
            if (problem is not null)
                return new(status, problem.Title, problem.Detail, problem.Errors ?? []);
        }
        catch (JsonException) { }
        return new(status, reason, body.Length > 500 ? body[..500] : body, []);
    }

    sealed record ProblemBody(string? Title, string? Detail, List<FieldProblem>? Errors);
}
