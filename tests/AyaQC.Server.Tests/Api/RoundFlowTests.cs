using System.Net;
using System.Net.Http.Json;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Api;

/// <summary>A round end to end over real HTTP, on SQLite and PostgreSQL.</summary>
public class RoundFlowTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static readonly Dictionary<string, GoldItem> Gold = SyntheticGoldSet.Items().ToDictionary(i => i.Id);

    static AnswerRequest Right(ItemToAssess item) => new(item.ItemId, Gold[item.ItemId].Label == Verdict.Good ? "good" : "bad", Gold[item.ItemId].ErrorType);
    static AnswerRequest Wrong(ItemToAssess item) => new(item.ItemId, Gold[item.ItemId].Label == Verdict.Good ? "bad" : "good");

    [Theory, MemberData(nameof(Providers))]
    public async Task A_round_runs_from_import_to_results(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var (_, assessors, round) = await api.OpenRoundAsync(assessors: 3, itemsPerAssessor: 24,
            policy: new RoundPolicy(MinItemsBeforeEarlyStop: 8));
        Assert.Equal("open", round.Status);
        Assert.Equal(3, round.Participants);
        Assert.Equal(new QualificationPolicy(MinItemsBeforeEarlyStop: 8).Signature, round.Signature);

        // assessor 0 always right, 1 always wrong, 2 answers 5 items then stops
        var answers = new[] { int.MaxValue, int.MaxValue, 5 };
        for (var k = 0; k < 3; k++)
        {
            var me = api.As(assessors[k].Token!);
            Assert.Equal(assessors[k].Id, (await me.MeAsync()).AssessorId);
            var next = await me.NextItemAsync(round.Id);
            var item = next.Item;
            for (var n = 0; item is not null && n < answers[k]; n++)
            {
                var reply = await me.AnswerAsync(round.Id, k == 1 ? Wrong(item) : Right(item));
                Assert.Equal(n + 1, reply.Answered);
                item = reply.Next;
            }
        }

        var closed = await api.Admin.CloseRoundAsync(round.Id);
        Assert.Equal("closed", closed.Status);
        var results = await api.Admin.GetResultsAsync(round.Id, topK: 1);
        Assert.Equal(round.Signature + "|topk-asked:1", results.Signature);
        var byId = results.Assessors.ToDictionary(a => a.AssessorId);
        var good = byId[assessors[0].Id];
        var bad = byId[assessors[1].Id];
        var idle = byId[assessors[2].Id];
        Assert.Equal("pass", good.Decision);
        Assert.Equal("fail", bad.Decision);
        Assert.Equal("undecided", idle.Decision);
        Assert.True(good.DecidedEarly);
        Assert.True(good.ItemsSaved > 0);
        Assert.Equal(24, good.Answered + good.ItemsSaved);
        Assert.Equal(1.0, good.Accuracy);
        Assert.Equal(0.0, bad.Accuracy);
        Assert.Equal(5, idle.Answered);
        Assert.NotEmpty(good.PerErrorType);
        Assert.True(good.WilsonLow < good.WilsonHigh);
        Assert.Equal([assessors[0].Id], results.TopK);
        Assert.True(good.Selected);
        Assert.Equal(1, results.Summary.Passed);
        Assert.Equal(1, results.Summary.Failed);
        Assert.Equal(1, results.Summary.Undecided);
        Assert.Equal(good.Answered + bad.Answered + 5, results.Summary.Answers);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Repeated_late_and_out_of_round_answers_are_refused_with_problem_details(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var (_, assessors, round) = await api.OpenRoundAsync(assessors: 2, itemsPerAssessor: 6, expiresInMinutes: 30);
        var me = api.As(assessors[0].Token!);
        var first = (await me.NextItemAsync(round.Id)).Item!;
        var second = (await me.AnswerAsync(round.Id, Right(first))).Next!;

        await AssertProblem(409, "already_answered", () => me.AnswerAsync(round.Id, Right(first)));
        var notServed = Gold.Keys.First(id => id != first.ItemId && id != second.ItemId);
        var e = await Assert.ThrowsAsync<AyaQCApiException>(() => me.AnswerAsync(round.Id, new AnswerRequest(notServed, "good")));
        Assert.True(e.Status is 409 or 422, e.Message); // later in the draw, or not drawn for this assessor at all
        await AssertProblem(422, "item_not_in_round", () => me.AnswerAsync(round.Id, new AnswerRequest("no-such-item", "good")));
        await AssertProblem(404, "not_in_round", () => me.AnswerAsync("rnd_unknown", new AnswerRequest(second.ItemId, "good")));
        await AssertProblem(400, "invalid_request", () => me.AnswerAsync(round.Id, new AnswerRequest(second.ItemId, "maybe")));
        await AssertProblem(400, "invalid_request", () => me.AnswerAsync(round.Id, new AnswerRequest(second.ItemId, "bad", "typo_kind")));
        await AssertProblem(400, "invalid_request", () => me.AnswerAsync(round.Id, new AnswerRequest(second.ItemId, "good", "omission")));

        api.Clock.Advance(TimeSpan.FromMinutes(31));
        await AssertProblem(409, "round_expired", () => me.AnswerAsync(round.Id, Right(second)));
        await AssertProblem(409, "round_expired", () => me.NextItemAsync(round.Id));
        Assert.Equal("expired", (await api.Admin.GetRoundAsync(round.Id)).Status);

        await api.Admin.CloseRoundAsync(round.Id);
        await AssertProblem(409, "round_closed", () => me.AnswerAsync(round.Id, Right(second)));
        await AssertProblem(409, "round_closed", () => api.Admin.CloseRoundAsync(round.Id));
        Assert.Equal(1, (await api.Admin.GetResultsAsync(round.Id)).Summary.Answers);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Unreadable_json_bodies_get_a_problem_naming_the_field(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/assessors")
        {
            Content = new StringContent("""{"assessors":[{"name":12}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", api.AdminKey);
        var response = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"field\":\"assessors[0].name\"", body);
        AssertNoDotNetNames(body);
        Assert.Empty(await api.Admin.ListAssessorsAsync());

        // a query value the binder cannot read, a required property missing, a body that is not JSON
        foreach (var (method, path, json, field) in new (string, string, string?, string)[]
        {
            ("GET", "api/v1/rounds/rnd_x/results?topK=abc", null, "topK"),
            ("POST", "api/v1/rounds", """{"goldSetId":"s"}""", "name"),
            ("POST", "api/v1/assessors", "{not json", "body"),
        })
        {
            var r = new HttpRequestMessage(new HttpMethod(method), path) { Content = json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            r.Headers.Authorization = new("Bearer", api.AdminKey);
            var res = await api.Http.SendAsync(r);
            var text = await res.Content.ReadAsStringAsync();
            Assert.True(res.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)res.StatusCode} {text}");
            Assert.Contains($"\"field\":\"{field}\"", text);
            AssertNoDotNetNames(text);
        }
    }

    static void AssertNoDotNetNames(string body)
    {
        foreach (var leak in new[] { "AyaQC.", "System.", "Nullable", "Int32", "String" })
            Assert.DoesNotContain(leak, body);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Opening_a_round_checks_its_inputs(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var set = await api.Admin.ImportGoldSetAsync("s", SyntheticGoldSet.Jsonl(SyntheticGoldSet.Items()));
        await AssertProblem(400, "invalid_request", () => api.Admin.OpenRoundAsync(new OpenRoundRequest("r", set.Id))); // nobody registered
        await api.Admin.RegisterAssessorsAsync(new RegisterAssessorsRequest([new AssessorRegistration("A")]));
        var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.OpenRoundAsync(
            new OpenRoundRequest("r", set.Id, ItemsPerAssessor: 999, AssessorIds: ["asr_ghost"], Policy: new RoundPolicy(SprtP0: 0.9, SprtP1: 0.8))));
        Assert.Contains(e.Errors, p => p.Field == "itemsPerAssessor");
        Assert.Contains(e.Errors, p => p.Field == "assessorIds[0]");
        Assert.Contains(e.Errors, p => p.Field == "policy.sprtP1");
        await AssertProblem(404, "not_found", () => api.Admin.GetResultsAsync("rnd_nope"));
        Assert.Empty(await api.Admin.ListRoundsAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Draws_are_balanced_and_differ_between_assessors(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var (_, assessors, round) = await api.OpenRoundAsync(assessors: 4, itemsPerAssessor: 12,
            policy: new RoundPolicy(MinItemsBeforeEarlyStop: 100));
        var orders = new List<List<string>>();
        foreach (var a in assessors)
        {
            var me = api.As(a.Token!);
            var ids = new List<string>();
            var item = (await me.NextItemAsync(round.Id)).Item;
            while (item is not null)
            {
                ids.Add(item.ItemId);
                item = (await me.AnswerAsync(round.Id, Right(item))).Next;
            }
            Assert.Equal(12, ids.Count);
            Assert.Equal(12, ids.Distinct().Count());
            Assert.InRange(ids.Count(id => Gold[id].Label == Verdict.Good), 4, 8);
            Assert.Equal("complete", (await me.NextItemAsync(round.Id)).Status);
            orders.Add(ids);
        }
        Assert.True(orders.Select(o => string.Join(",", o)).Distinct().Count() > 1);
    }

    internal static async Task AssertProblem<T>(int status, string code, Func<Task<T>> call)
    {
        var e = await Assert.ThrowsAsync<AyaQCApiException>(call);
        Assert.Equal(status, e.Status);
        Assert.False(string.IsNullOrEmpty(e.Detail), "problem details must explain the refusal");
        _ = code; // the code extension is checked in the raw-HTTP tests
    }
}
