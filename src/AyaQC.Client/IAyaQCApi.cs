using AyaQC.Contracts;
using Refit;

namespace AyaQC.Client;

/// <summary>
/// The whole AyaQC REST API as one Refit interface (source-generated implementation, our JSON context). Every route
/// the server maps has a method here — a test fails otherwise. The bearer token (admin key, assessor token) comes
/// from <see cref="RefitSettings.AuthorizationHeaderValueGetter"/>.
/// </summary>
[Headers("Authorization: Bearer")]
public interface IAyaQCApi
{
    [Get("/health")]
    Task<HealthResponse> GetHealth(CancellationToken ct = default);

    // gold sets (admin)
    /// <summary>Body: the gold set as JSON Lines (<c>application/x-ndjson</c>).</summary>
    [Post("/api/v1/gold-sets")]
    Task<GoldSetResponse> ImportGoldSet([Query] string name, [Body] HttpContent jsonl, [Query] string? batchId = null, CancellationToken ct = default);

    [Get("/api/v1/gold-sets")]
    Task<List<GoldSetResponse>> ListGoldSets(CancellationToken ct = default);

    [Get("/api/v1/gold-sets/{id}")]
    Task<GoldSetResponse> GetGoldSet(string id, CancellationToken ct = default);

    // assessors (admin)
    [Post("/api/v1/assessors")]
    Task<RegisterAssessorsResponse> RegisterAssessors([Body] RegisterAssessorsRequest request, CancellationToken ct = default);

    [Get("/api/v1/assessors")]
    Task<List<AssessorResponse>> ListAssessors(CancellationToken ct = default);

    [Post("/api/v1/assessors/{id}/token")]
    Task<TokenResponse> ReissueToken(string id, CancellationToken ct = default);

    [Get("/api/v1/assessors/{id}")]
    Task<AssessorStatusResponse> GetAssessor(string id, CancellationToken ct = default);

    [Post("/api/v1/assessors/{id}/suspend")]
    Task<AssessorStatusResponse> SuspendAssessor(string id, CancellationToken ct = default);

    [Post("/api/v1/assessors/{id}/reinstate")]
    Task<AssessorStatusResponse> ReinstateAssessor(string id, CancellationToken ct = default);

    [Put("/api/v1/assessors/{id}/skills")]
    Task<AssessorStatusResponse> SetAssessorSkill(string id, [Body] SkillRequest request, CancellationToken ct = default);

    [Post("/api/v1/assessors/{id}/sign-in-links")]
    Task<SignInLinkResponse> CreateSignInLink(string id, CancellationToken ct = default);

    // rounds (admin)
    [Post("/api/v1/rounds")]
    Task<RoundResponse> OpenRound([Body] OpenRoundRequest request, CancellationToken ct = default);

    [Get("/api/v1/rounds")]
    Task<List<RoundResponse>> ListRounds(CancellationToken ct = default);

    [Get("/api/v1/rounds/{id}")]
    Task<RoundResponse> GetRound(string id, CancellationToken ct = default);

    [Post("/api/v1/rounds/{id}/close")]
    Task<RoundResponse> CloseRound(string id, CancellationToken ct = default);

    [Get("/api/v1/rounds/{id}/results")]
    Task<RoundResultsResponse> GetResults(string id, [Query] int? topK = null, CancellationToken ct = default);

    // the assessor's own work
    [Get("/api/v1/me")]
    Task<MeResponse> GetMe(CancellationToken ct = default);

    [Get("/api/v1/me/rounds")]
    Task<List<MyRoundResponse>> GetMyRounds(CancellationToken ct = default);

    [Get("/api/v1/rounds/{roundId}/next")]
    Task<NextItemResponse> GetNextItem(string roundId, CancellationToken ct = default);

    [Post("/api/v1/rounds/{roundId}/answers")]
    Task<AnswerResponse> PostAnswer(string roundId, [Body] AnswerRequest answer, CancellationToken ct = default);

    // datasets and back-translation jobs (admin)
    /// <summary>Body: JSON Lines (<c>application/x-ndjson</c>) or CSV (<c>text/csv</c>), streamed.</summary>
    [Post("/api/v1/datasets")]
    Task<DatasetResponse> ImportDataset([Query] string name, [Query] string format, [Body] HttpContent body, [Query] string? batchId = null,
        [Query] string? sourceLang = null, [Query] string? targetLang = null, [Query] string? signals = null, CancellationToken ct = default);

    [Get("/api/v1/datasets")]
    Task<List<DatasetResponse>> ListDatasets(CancellationToken ct = default);

    [Get("/api/v1/datasets/{id}")]
    Task<DatasetResponse> GetDataset(string id, CancellationToken ct = default);

    [Get("/api/v1/datasets/{id}/rows")]
    Task<DatasetRowsPage> GetDatasetRows(string id, [Query] string? cursor = null, [Query] int? limit = null, [Query] string? hasLabel = null,
        [Query] string? failed = null, [Query] string? flagged = null, [Query] string? flag = null, [Query] string? jobId = null, CancellationToken ct = default);

    [Post("/api/v1/datasets/{datasetId}/backtranslations")]
    Task<JobResponse> StartBackTranslation(string datasetId, [Body] StartBackTranslationRequest request, CancellationToken ct = default);

    [Get("/api/v1/datasets/{datasetId}/backtranslations")]
    Task<List<JobResponse>> ListBackTranslations(string datasetId, CancellationToken ct = default);

    [Post("/api/v1/datasets/{datasetId}/filter-jobs")]
    Task<JobResponse> StartFilterJob(string datasetId, [Body] StartFilterJobRequest request, CancellationToken ct = default);

    [Get("/api/v1/datasets/{datasetId}/filter-jobs")]
    Task<List<JobResponse>> ListFilterJobs(string datasetId, CancellationToken ct = default);

    /// <summary>A filter job's model card (JSON as the model stores it).</summary>
    [Get("/api/v1/jobs/{jobId}/card")]
    Task<System.Text.Json.JsonElement> GetModelCard(string jobId, CancellationToken ct = default);

    [Get("/api/v1/jobs/{jobId}")]
    Task<JobResponse> GetJob(string jobId, CancellationToken ct = default);

    [Post("/api/v1/jobs/{jobId}/cancel")]
    Task<JobResponse> CancelJob(string jobId, CancellationToken ct = default);

    // assessment projects (admin)
    [Post("/api/v1/projects")] Task<ProjectResponse> CreateProject([Body] CreateProjectRequest request, CancellationToken ct = default);
    [Get("/api/v1/projects")] Task<List<ProjectResponse>> ListProjects(CancellationToken ct = default);
    [Get("/api/v1/projects/{id}")] Task<ProjectResponse> GetProject(string id, CancellationToken ct = default);
    [Post("/api/v1/projects/{id}/open")] Task<ProjectResponse> OpenProject(string id, CancellationToken ct = default);
    [Post("/api/v1/projects/{id}/pause")] Task<ProjectResponse> PauseProject(string id, CancellationToken ct = default);
    [Post("/api/v1/projects/{id}/close")] Task<ProjectResponse> CloseProject(string id, CancellationToken ct = default);
    [Get("/api/v1/projects/{id}/assessors")] Task<List<ProjectAssessorResponse>> ProjectAssessors(string id, CancellationToken ct = default);
    [Get("/api/v1/projects/{id}/suspensions")] Task<List<SuspensionEventResponse>> Suspensions(string id, CancellationToken ct = default);
    [Post("/api/v1/projects/{id}/assessors/{assessorId}/reinstate")] Task<ProjectAssessorResponse> Reinstate(string id, string assessorId, CancellationToken ct = default);
    [Get("/api/v1/projects/{id}/labels")] Task<LabelsPage> Labels(string id, [Query] string? method = null, [Query] string? cursor = null, [Query] int? limit = null, [Query] string? from = null, CancellationToken ct = default);
    [Post("/api/v1/projects/{id}/labels/recompute")] Task<JobResponse> RecomputeLabels(string id, [Body] RecomputeLabelsRequest request, CancellationToken ct = default);
    [Post("/api/v1/projects/{id}/send-back")] Task<SendBackResponse> SendBack(string id, [Body] SendBackRequest request, CancellationToken ct = default);
    [Get("/api/v1/projects/{id}/agreement")] Task<AgreementResponse> Agreement(string id, [Query] int? points = null, CancellationToken ct = default);
    /// <summary>Body: crowd answers as TSV (task, worker, label).</summary>
    [Post("/api/v1/projects/{id}/answers/import")] Task<ImportAnswersResponse> ImportAnswers(string id, [Body] HttpContent tsv, CancellationToken ct = default);
    [Get("/api/v1/projects/{id}/post-edits")] Task<List<PostEditResponse>> PostEdits(string id, [Query] string? state = null, CancellationToken ct = default);
    [Get("/api/v1/projects/{id}/hter")] Task<ProjectHterResponse> ProjectHter(string id, [Query] bool? caseSensitive = null, [Query] bool? normalized = null, [Query] bool? noPunct = null, [Query] int? top = null, CancellationToken ct = default);
    [Post("/api/v1/reviewers")] Task<ReviewerResponse> AddReviewer([Body] AddReviewerRequest request, CancellationToken ct = default);
    [Get("/api/v1/me/projects")] Task<List<MyProjectResponse>> MyProjects(CancellationToken ct = default);
    [Get("/api/v1/projects/{id}/next")] Task<ProjectNextResponse> NextInProject(string id, CancellationToken ct = default);
    [Post("/api/v1/projects/{id}/answers")] Task<ProjectAnswerResponse> AnswerInProject(string id, [Body] ProjectAnswerRequest answer, CancellationToken ct = default);
    [Get("/api/v1/projects/{id}/reviews")] Task<List<PostEditResponse>> PendingReviews(string id, CancellationToken ct = default);
    [Post("/api/v1/projects/{id}/reviews/{postEditId}")] Task<PostEditResponse> Review(string id, string postEditId, [Body] ReviewRequest request, CancellationToken ct = default);

    // decisions and overrides (admin)
    [Get("/api/v1/datasets/{id}/decision-counts")] Task<DecisionCountsResponse> CountDecisions(string id, CancellationToken ct = default);
    [Get("/api/v1/datasets/{id}/decisions")] Task<DecisionsPage> ListDecisions(string id, [Query] string? decision = null, [Query] string? cursor = null, [Query] int? limit = null, CancellationToken ct = default);
    [Get("/api/v1/datasets/{id}/decisions/{rowId}")] Task<RowDecisionResponse> GetDecision(string id, string rowId, CancellationToken ct = default);
    [Post("/api/v1/datasets/{id}/decisions/{rowId}/override")] Task<RowDecisionResponse> OverrideDecision(string id, string rowId, [Body] OverrideRequest request, CancellationToken ct = default);

    // pipeline tokens (admin) and the export (admin or pipeline token)
    [Post("/api/v1/pipeline-tokens")] Task<PipelineTokenResponse> CreatePipelineToken([Body] CreatePipelineTokenRequest request, CancellationToken ct = default);
    [Get("/api/v1/pipeline-tokens")] Task<List<PipelineTokenResponse>> ListPipelineTokens(CancellationToken ct = default);
    [Post("/api/v1/pipeline-tokens/{id}/revoke")] Task<PipelineTokenResponse> RevokePipelineToken(string id, CancellationToken ct = default);

    /// <summary>The export as JSON Lines, one record at a time as it arrives (the request is sent when enumeration starts).</summary>
    [Get("/api/v1/datasets/{id}/export?format=ndjson")]
    IAsyncEnumerable<ExportRecord> Export(string id, [Query] string? decision = null, [Query] string? cursor = null, [Query] long? limit = null, CancellationToken ct = default);

    /// <summary>The export's raw body (format ndjson or csv), for writing it to a file as it arrives.</summary>
    [Get("/api/v1/datasets/{id}/export")]
    Task<HttpResponseMessage> ExportRaw(string id, [Query] string format, [Query] string? decision = null, [Query] string? cursor = null, [Query] long? limit = null, CancellationToken ct = default);
}
