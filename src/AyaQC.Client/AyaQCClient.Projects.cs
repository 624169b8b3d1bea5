using System.Net.Http.Json;
using System.Text;
using AyaQC.Contracts;

namespace AyaQC.Client;

// Assessment projects (issue 11): admin, assessor and reviewer calls.
public sealed partial class AyaQCClient
{
    static string P(string id) => $"api/v1/projects/{Uri.EscapeDataString(id)}";

    public Task<ProjectResponse> CreateProjectAsync(CreateProjectRequest request, CancellationToken ct = default) =>
        SendAsync<ProjectResponse>(HttpMethod.Post, "api/v1/projects", JsonContent.Create(request, options: Json), ct);

    public Task<List<ProjectResponse>> ListProjectsAsync(CancellationToken ct = default) =>
        SendAsync<List<ProjectResponse>>(HttpMethod.Get, "api/v1/projects", null, ct);

    public Task<ProjectResponse> GetProjectAsync(string id, CancellationToken ct = default) =>
        SendAsync<ProjectResponse>(HttpMethod.Get, P(id), null, ct);

    /// <summary>action: open | pause | close.</summary>
    public Task<ProjectResponse> SetProjectStateAsync(string id, string action, CancellationToken ct = default) =>
        SendAsync<ProjectResponse>(HttpMethod.Post, $"{P(id)}/{action}", null, ct);

    public Task<List<ProjectAssessorResponse>> ProjectAssessorsAsync(string id, CancellationToken ct = default) =>
        SendAsync<List<ProjectAssessorResponse>>(HttpMethod.Get, $"{P(id)}/assessors", null, ct);

    public Task<List<SuspensionEventResponse>> SuspensionsAsync(string id, CancellationToken ct = default) =>
        SendAsync<List<SuspensionEventResponse>>(HttpMethod.Get, $"{P(id)}/suspensions", null, ct);

    public Task<ProjectAssessorResponse> ReinstateAsync(string id, string assessorId, CancellationToken ct = default) =>
        SendAsync<ProjectAssessorResponse>(HttpMethod.Post, $"{P(id)}/assessors/{Uri.EscapeDataString(assessorId)}/reinstate", null, ct);

    public Task<LabelsPage> LabelsAsync(string id, string? method = null, string? cursor = null, int? limit = null, CancellationToken ct = default)
    {
        var query = new List<string>();
        if (method is not null) query.Add("method=" + Uri.EscapeDataString(method));
        if (cursor is not null) query.Add("cursor=" + Uri.EscapeDataString(cursor));
        if (limit is not null) query.Add($"limit={limit}");
        return SendAsync<LabelsPage>(HttpMethod.Get, $"{P(id)}/labels{(query.Count > 0 ? "?" + string.Join("&", query) : "")}", null, ct);
    }

    /// <summary>Every label of the project, following the cursor.</summary>
    public async Task<List<RowLabelResponse>> AllLabelsAsync(string id, string? method = null, CancellationToken ct = default)
    {
        var all = new List<RowLabelResponse>();
        string? cursor = null;
        do
        {
            var page = await LabelsAsync(id, method, cursor, 1000, ct);
            all.AddRange(page.Rows);
            cursor = page.NextCursor;
        } while (cursor is not null);
        return all;
    }

    public Task<ImportAnswersResponse> ImportAnswersAsync(string id, string tsv, CancellationToken ct = default) =>
        SendAsync<ImportAnswersResponse>(HttpMethod.Post, $"{P(id)}/answers/import", new StringContent(tsv, Encoding.UTF8, "text/tab-separated-values"), ct);

    public Task<List<PostEditResponse>> PostEditsAsync(string id, string? state = null, CancellationToken ct = default) =>
        SendAsync<List<PostEditResponse>>(HttpMethod.Get, $"{P(id)}/post-edits{(state is null ? "" : "?state=" + state)}", null, ct);

    public Task<ReviewerResponse> AddReviewerAsync(AddReviewerRequest request, CancellationToken ct = default) =>
        SendAsync<ReviewerResponse>(HttpMethod.Post, "api/v1/reviewers", JsonContent.Create(request, options: Json), ct);

    // ---------- assessor ----------

    public Task<List<MyProjectResponse>> MyProjectsAsync(CancellationToken ct = default) =>
        SendAsync<List<MyProjectResponse>>(HttpMethod.Get, "api/v1/me/projects", null, ct);

    public Task<ProjectNextResponse> NextInProjectAsync(string id, CancellationToken ct = default) =>
        SendAsync<ProjectNextResponse>(HttpMethod.Get, $"{P(id)}/next", null, ct);

    public Task<ProjectAnswerResponse> AnswerInProjectAsync(string id, ProjectAnswerRequest answer, CancellationToken ct = default) =>
        SendAsync<ProjectAnswerResponse>(HttpMethod.Post, $"{P(id)}/answers", JsonContent.Create(answer, options: Json), ct);

    // ---------- reviewer ----------

    public Task<List<PostEditResponse>> PendingReviewsAsync(string id, CancellationToken ct = default) =>
        SendAsync<List<PostEditResponse>>(HttpMethod.Get, $"{P(id)}/reviews", null, ct);

    public Task<PostEditResponse> ReviewAsync(string id, string postEditId, bool accept, CancellationToken ct = default) =>
        SendAsync<PostEditResponse>(HttpMethod.Post, $"{P(id)}/reviews/{Uri.EscapeDataString(postEditId)}", JsonContent.Create(new ReviewRequest(accept), options: Json), ct);
}
