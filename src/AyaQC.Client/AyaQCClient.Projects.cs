using System.Text;
using AyaQC.Contracts;

namespace AyaQC.Client;

// Assessment projects (issue 11): admin, assessor and reviewer calls.
public sealed partial class AyaQCClient
{
    public Task<ProjectResponse> CreateProjectAsync(CreateProjectRequest request, CancellationToken ct = default) =>
        Call(() => _api.CreateProject(request, ct));

    public Task<List<ProjectResponse>> ListProjectsAsync(CancellationToken ct = default) =>
        Call(() => _api.ListProjects(ct));

    public Task<ProjectResponse> GetProjectAsync(string id, CancellationToken ct = default) =>
        Call(() => _api.GetProject(id, ct));

    /// <summary>action: open | pause | close.</summary>
    public Task<ProjectResponse> SetProjectStateAsync(string id, string action, CancellationToken ct = default) =>
        Call(() => action switch { "open" => _api.OpenProject(id, ct), "pause" => _api.PauseProject(id, ct), "close" => _api.CloseProject(id, ct), _ => throw new ArgumentException($"action '{action}': use open, pause or close", nameof(action)) });

    public Task<List<ProjectAssessorResponse>> ProjectAssessorsAsync(string id, CancellationToken ct = default) =>
        Call(() => _api.ProjectAssessors(id, ct));

    public Task<List<SuspensionEventResponse>> SuspensionsAsync(string id, CancellationToken ct = default) =>
        Call(() => _api.Suspensions(id, ct));

    public Task<ProjectAssessorResponse> ReinstateAsync(string id, string assessorId, CancellationToken ct = default) =>
        Call(() => _api.Reinstate(id, assessorId, ct));

    /// <summary>from: online (default, kept current as votes arrive) or job (the latest stored full recomputation).</summary>
    public Task<LabelsPage> LabelsAsync(string id, string? method = null, string? cursor = null, int? limit = null, string? from = null, CancellationToken ct = default) =>
        Call(() => _api.Labels(id, method, cursor, limit, from, ct));

    /// <summary>Starts a labels job (202 with the job; follow it with GetJobAsync).</summary>
    public Task<JobResponse> RecomputeLabelsAsync(string id, string? method = null, CancellationToken ct = default) =>
        Call(() => _api.RecomputeLabels(id, new RecomputeLabelsRequest(method), ct));

    /// <summary>Sends the rows a filter job put in review back to the crowd for <paramref name="votes"/> more votes each.</summary>
    public Task<SendBackResponse> SendBackAsync(string id, string filterJobId, int? votes = null, CancellationToken ct = default) =>
        Call(() => _api.SendBack(id, new SendBackRequest(filterJobId, votes), ct));

    /// <summary>Krippendorff's α as the votes came in (up to <paramref name="points"/> points, default 20).</summary>
    public Task<AgreementResponse> AgreementAsync(string id, int? points = null, CancellationToken ct = default) =>
        Call(() => _api.Agreement(id, points, ct));

    /// <summary>Every label of the project, following the cursor.</summary>
    public async Task<List<RowLabelResponse>> AllLabelsAsync(string id, string? method = null, string? from = null, CancellationToken ct = default)
    {
        var all = new List<RowLabelResponse>();
        string? cursor = null;
        do
        {
            var page = await LabelsAsync(id, method, cursor, 1000, from, ct);
            all.AddRange(page.Rows);
            cursor = page.NextCursor;
        } while (cursor is not null);
        return all;
    }

    public Task<ImportAnswersResponse> ImportAnswersAsync(string id, string tsv, CancellationToken ct = default) =>
        Call(() => _api.ImportAnswers(id, new StringContent(tsv, Encoding.UTF8, "text/tab-separated-values"), ct));

    public Task<List<PostEditResponse>> PostEditsAsync(string id, string? state = null, CancellationToken ct = default) =>
        Call(() => _api.PostEdits(id, state, ct));

    /// <summary>HTER of the project's accepted post-edits, all rows and kept rows (TER options as sacreBLEU's; <paramref name="top"/> highest rows per group).</summary>
    public Task<ProjectHterResponse> ProjectHterAsync(string id, bool caseSensitive = false, bool normalized = false, bool noPunct = false, int? top = null,
        CancellationToken ct = default) => Call(() => _api.ProjectHter(id, caseSensitive, normalized, noPunct, top, ct));

    public Task<ReviewerResponse> AddReviewerAsync(AddReviewerRequest request, CancellationToken ct = default) =>
        Call(() => _api.AddReviewer(request, ct));

    // ---------- assessor ----------

    public Task<List<MyProjectResponse>> MyProjectsAsync(CancellationToken ct = default) =>
        Call(() => _api.MyProjects(ct));

    public Task<ProjectNextResponse> NextInProjectAsync(string id, CancellationToken ct = default) =>
        Call(() => _api.NextInProject(id, ct));

    public Task<ProjectAnswerResponse> AnswerInProjectAsync(string id, ProjectAnswerRequest answer, CancellationToken ct = default) =>
        Call(() => _api.AnswerInProject(id, answer, ct));

    // ---------- reviewer ----------

    public Task<List<PostEditResponse>> PendingReviewsAsync(string id, CancellationToken ct = default) =>
        Call(() => _api.PendingReviews(id, ct));

    public Task<PostEditResponse> ReviewAsync(string id, string postEditId, bool accept, CancellationToken ct = default) =>
        Call(() => _api.Review(id, postEditId, new ReviewRequest(accept), ct));
}
