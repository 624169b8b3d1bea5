using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Server.Auth;
using AyaQC.Server.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Api;

public class RolesAndLeakTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static IReadOnlyList<RouteEndpoint> ApiEndpoints(ApiServer api) =>
        api.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal)).ToList();

    static string? RequiredRole(RouteEndpoint e) =>
        e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is Roles.Admin or Roles.Assessor or Roles.Reviewer or Roles.Export);

    /// <summary>Roles a policy admits: the export policy admits admins and pipeline tokens.</summary>
    static string[] Admitted(string policy) => policy == Roles.Export ? [Roles.Admin, Roles.Pipeline] : [policy];

    static string Concrete(RouteEndpoint e, string roundId) =>
        e.RoutePattern.RawText!.Replace("{roundId}", roundId).Replace("{id}", roundId).Replace("{assessorId}", "asr_x").Replace("{postEditId}", "pe_x").Replace("{rowId}", "r_x");

    static async Task<HttpResponseMessage> CallAsync(ApiServer api, RouteEndpoint e, string path, string? token, HttpContent? body = null)
    {
        var method = e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0];
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : body ?? JsonContent.Create(new { }) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await api.Http.SendAsync(request);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_api_route_demands_its_role(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var (_, assessors, round) = await api.OpenRoundAsync(assessors: 1);
        var assessorToken = assessors[0].Token!;
        var reviewerToken = (await api.Admin.AddReviewerAsync(new AddReviewerRequest("Reviewer", assessors[0].Id))).Token;
        var pipelineToken = (await api.Admin.CreatePipelineTokenAsync("pipeline")).Token!;
        var endpoints = ApiEndpoints(api);
        Assert.True(endpoints.Count >= 12, $"found only {endpoints.Count} API routes");
        foreach (var e in endpoints)
        {
            var role = RequiredRole(e);
            Assert.True(role is not null, $"{e.DisplayName} has no role requirement");
            var path = Concrete(e, round.Id);
            Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(api, e, path, null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(api, e, path, ApiTokens.NewAdminKey())).StatusCode);
            foreach (var wrongRole in new[] { api.AdminKey, assessorToken, reviewerToken, pipelineToken }.Where(t => !Admitted(role!).Contains(TokenRole(t))))
            {
                var forbidden = await CallAsync(api, e, path, wrongRole);
                Assert.True(forbidden.StatusCode == HttpStatusCode.Forbidden, $"{e.DisplayName} with a {TokenRole(wrongRole)} token gave {forbidden.StatusCode}");
            }
        }
    }

    static string TokenRole(string token) =>
        token.StartsWith(ApiTokens.AdminPrefix, StringComparison.Ordinal) ? Roles.Admin
        : token.StartsWith(ApiTokens.ReviewerPrefix, StringComparison.Ordinal) ? Roles.Reviewer
        : token.StartsWith(ApiTokens.PipelinePrefix, StringComparison.Ordinal) ? Roles.Pipeline : Roles.Assessor;

    [Theory, MemberData(nameof(Providers))]
    public async Task Reissuing_a_token_retires_the_old_one(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var (_, assessors, _) = await api.OpenRoundAsync(assessors: 1);
        await api.As(assessors[0].Token!).MeAsync();
        var fresh = await api.Admin.ReissueTokenAsync(assessors[0].Id);
        await RoundFlowTests.AssertProblem(401, "", () => api.As(assessors[0].Token!).MeAsync());
        Assert.Equal(assessors[0].Id, (await api.As(fresh.Token).MeAsync()).AssessorId);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_suspended_assessor_is_refused_until_reinstated_and_skills_are_kept(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var (_, assessors, round) = await api.OpenRoundAsync(assessors: 2);
        var (amina, other) = (assessors[0], assessors[1]);
        var me = api.As(amina.Token!);
        await me.NextItemAsync(round.Id);

        var before = api.Clock.GetUtcNow();
        var suspended = await api.Admin.SuspendAssessorAsync(amina.Id);
        Assert.False(suspended.Active);
        Assert.InRange(suspended.SuspendedAt!.Value, before, api.Clock.GetUtcNow());
        await RoundFlowTests.AssertProblem(401, "", () => me.MeAsync());
        await RoundFlowTests.AssertProblem(401, "", () => me.NextItemAsync(round.Id));
        Assert.Equal(other.Id, (await api.As(other.Token!).MeAsync()).AssessorId); // only Amina
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(suspended.SuspendedAt, (await api.Admin.SuspendAssessorAsync(amina.Id)).SuspendedAt); // again: since the first time

        var reinstated = await api.Admin.ReinstateAssessorAsync(amina.Id);
        Assert.True(reinstated.Active);
        Assert.Null(reinstated.SuspendedAt);
        Assert.Equal(amina.Id, (await me.MeAsync()).AssessorId);

        await api.Admin.SetAssessorSkillAsync(amina.Id, new SkillRequest("swh_Latn", 0.8));
        var skilled = await api.Admin.SetAssessorSkillAsync(amina.Id, new SkillRequest("swh_Latn", 0.9));
        await api.Admin.SetAssessorSkillAsync(amina.Id, new SkillRequest("yor_Latn", 0.4));
        Assert.Equal(0.9, skilled.Skills["swh_Latn"]);
        var read = await api.Admin.GetAssessorAsync(amina.Id);
        Assert.Equal(new Dictionary<string, double> { ["swh_Latn"] = 0.9, ["yor_Latn"] = 0.4 }, read.Skills);

        var bad = await Assert.ThrowsAsync<AyaQC.Client.AyaQCApiException>(() => api.Admin.SetAssessorSkillAsync(amina.Id, new SkillRequest(" ", 1.5)));
        Assert.Equal(400, bad.Status);
        Assert.Equal(["skill", "estimate"], bad.Errors.Select(e => e.Field));
        foreach (var call in new Func<Task<AssessorStatusResponse>>[]
                 {
                     () => api.Admin.GetAssessorAsync("asr_missing"), () => api.Admin.SuspendAssessorAsync("asr_missing"),
                     () => api.Admin.ReinstateAssessorAsync("asr_missing"), () => api.Admin.SetAssessorSkillAsync("asr_missing", new("swh_Latn", 0.5)),
                 })
            await RoundFlowTests.AssertProblem(404, "not_found", call);
    }

    /// <summary>
    /// Walks every assessor route — successes and refusals, good and bad items, after early stop and after
    /// close — and checks that no gold label, explanation or gold error type ever reaches the assessor.
    /// </summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task No_assessor_response_reveals_the_gold(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var (_, assessors, round) = await api.OpenRoundAsync(assessors: 2, itemsPerAssessor: 30, policy: new RoundPolicy(MinItemsBeforeEarlyStop: 6));
        var gold = SyntheticGoldSet.Items().ToDictionary(i => i.Id);
        var assessorRoutes = ApiEndpoints(api).Where(e => RequiredRole(e) == Roles.Assessor).Select(e => e.RoutePattern.RawText!.TrimEnd('/')).ToHashSet();
        var visited = new HashSet<string>();
        var projectId = "";
        var bodies = new List<string>();

        async Task<JsonElement?> Visit(string route, HttpMethod method, string token, object? body = null)
        {
            visited.Add(route);
            var request = new HttpRequestMessage(method, route.Replace("{roundId}", round.Id).Replace("{id}", projectId)) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await api.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            bodies.Add(text);
            return response.IsSuccessStatusCode && text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : null;
        }

        foreach (var (a, k) in assessors.Select((a, k) => (a, k)))
        {
            await Visit("/api/v1/me", HttpMethod.Get, a.Token!);
            await Visit("/api/v1/me/rounds", HttpMethod.Get, a.Token!);
            var item = (await Visit("/api/v1/rounds/{roundId}/next", HttpMethod.Get, a.Token!))!.Value.GetProperty("item");
            while (item.ValueKind == JsonValueKind.Object)
            {
                var id = item.GetProperty("itemId").GetString()!;
                var label = gold[id].Label == Verdict.Good ? "good" : "bad";
                var verdict = k == 0 ? label : (label == "good" ? "bad" : "good"); // one right, one wrong
                var reply = await Visit("/api/v1/rounds/{roundId}/answers", HttpMethod.Post, a.Token!,
                    new AnswerRequest(id, verdict, verdict == "bad" ? "grammar" : null));
                await Visit("/api/v1/rounds/{roundId}/answers", HttpMethod.Post, a.Token!, new AnswerRequest(id, verdict)); // repeat: refused
                item = reply!.Value.GetProperty("next");
            }
            await Visit("/api/v1/rounds/{roundId}/next", HttpMethod.Get, a.Token!);
            await Visit("/api/v1/rounds/{roundId}/answers", HttpMethod.Post, a.Token!, new AnswerRequest("t000", "good")); // complete: refused
        }
        await api.Admin.CloseRoundAsync(round.Id);
        await Visit("/api/v1/rounds/{roundId}/next", HttpMethod.Get, assessors[0].Token!);
        await Visit("/api/v1/me/rounds", HttpMethod.Get, assessors[0].Token!);

        // Assessment projects: control items from the same gold set at a high rate; one assessor answers every
        // item right, the other wrong until the control rule suspends them; then refusals, pause and close.
        var datasetId = await AyaQC.Server.Tests.Assessment.ProjectSetup.ImportDatasetAsync(api, AyaQC.Server.Tests.Assessment.ProjectSetup.Rows(12));
        var goldSet = (await api.Admin.ListGoldSetsAsync())[0];
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("leak walk", datasetId, "judge+post-edit",
            new PoolRequest(Assessors: assessors.Select(a => a.Id).ToList()), new OverlapRequest(Fixed: 2), goldSet.Id, 0.5,
            Suspension: new SuspensionRequest(Controls: new SignalRequest(true, 3, 0.9), Speed: new SignalRequest(false, 1, 0)), Seed: 5));
        projectId = project.Id;
        await Visit("/api/v1/projects/{id}/next", HttpMethod.Get, assessors[0].Token!); // not open yet: refused
        await api.Admin.SetProjectStateAsync(project.Id, "open");
        var bySource = gold.Values.ToDictionary(g => g.Source);
        foreach (var (a, k) in assessors.Select((a, k) => (a, k)))
        {
            await Visit("/api/v1/me/projects", HttpMethod.Get, a.Token!);
            var next = (await Visit("/api/v1/projects/{id}/next", HttpMethod.Get, a.Token!))!.Value;
            while (next.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object)
            {
                var id = item.GetProperty("itemId").GetString()!;
                var truth = bySource.TryGetValue(item.GetProperty("source").GetString()!, out var g) ? (g.Label == Verdict.Good ? "good" : "bad") : "good";
                var verdict = k == 0 ? truth : (truth == "good" ? "bad" : "good");
                var reply = await Visit("/api/v1/projects/{id}/answers", HttpMethod.Post, a.Token!,
                    new ProjectAnswerRequest(id, verdict, verdict == "bad" ? "grammar" : null, verdict == "bad" ? "Sentensi iliyorekebishwa." : null));
                await Visit("/api/v1/projects/{id}/answers", HttpMethod.Post, a.Token!, new ProjectAnswerRequest(id, verdict)); // repeat: refused
                if (reply is null) break; // suspended
                next = reply.Value.GetProperty("next");
            }
            await Visit("/api/v1/projects/{id}/next", HttpMethod.Get, a.Token!);
        }
        Assert.Contains((await api.Admin.ProjectAssessorsAsync(project.Id)), s => s.Suspended);
        await api.Admin.SetProjectStateAsync(project.Id, "pause");
        await Visit("/api/v1/projects/{id}/next", HttpMethod.Get, assessors[0].Token!);
        await api.Admin.SetProjectStateAsync(project.Id, "close");
        await Visit("/api/v1/projects/{id}/answers", HttpMethod.Post, assessors[0].Token!, new ProjectAnswerRequest("abcdefghijabcdefghij", "good"));
        await Visit("/api/v1/me/projects", HttpMethod.Get, assessors[0].Token!);

        Assert.Subset(visited, assessorRoutes);
        var forbiddenTexts = gold.Values.Select(g => g.Explanation).OfType<string>().Concat(ErrorTypes.All.Where(t => t != "grammar")).ToList();
        foreach (var body in bodies)
        {
            foreach (var text in forbiddenTexts) Assert.DoesNotContain(text, body);
            if (body.Length == 0 || body[0] != '{' && body[0] != '[') continue;
            foreach (var name in PropertyNames(JsonDocument.Parse(body).RootElement))
                Assert.DoesNotContain(name.ToLowerInvariant(), new[] { "label", "explanation", "errortype", "gold", "correct", "decision", "accuracy" });
        }
    }

    static IEnumerable<string> PropertyNames(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };

    [Theory, MemberData(nameof(Providers))]
    public async Task The_openapi_document_and_health_are_public(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var doc = JsonDocument.Parse(await api.Http.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/rounds/{roundId}/answers", paths);
        Assert.Contains("/api/v1/gold-sets", paths);
        var health = JsonDocument.Parse(await api.Http.GetStringAsync("/health")).RootElement;
        Assert.Equal(provider, health.GetProperty("storage").GetString());
    }
}
