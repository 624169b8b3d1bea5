using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Grains;
using AyaQC.Server.Tests.Api;
using AyaQC.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Assessment;

public class ProjectFlowTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static readonly Dictionary<string, GoldItem> GoldBySource = SyntheticGoldSet.Items().ToDictionary(i => i.Source);

    /// <summary>The planted truth of what an assessor sees (the test knows it; the assessor's response does not carry it).</summary>
    internal static string Truth(ProjectWorld w, ProjectItem item) =>
        GoldBySource.TryGetValue(item.Source, out var g) ? g.Label.ToCode()
        : w.Rows.Single(r => r.Source == item.Source).Good ? "good" : "bad";

    internal static string Opposite(string verdict) => verdict == "good" ? "bad" : "good";

    /// <summary>One assessor works until the project has nothing more for them; returns answers given.</summary>
    internal static async Task<int> WorkAsync(AyaQCClient me, string projectId, Func<ProjectItem, string> verdict, int max = 1000)
    {
        var next = await me.NextInProjectAsync(projectId);
        var n = 0;
        while (next.Item is { } item && n < max)
        {
            var v = verdict(item);
            next = (await me.AnswerInProjectAsync(projectId, new ProjectAnswerRequest(item.ItemId, v, v == "bad" ? "mistranslation" : null))).Next;
            n++;
        }
        return n;
    }

    internal static async Task<ProjectResponse> OpenProjectAsync(ApiServer api, ProjectWorld w, OverlapRequest overlap, double controlRate = 0.25,
        SuspensionRequest? suspension = null, string task = "judge", int? quota = null)
    {
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("assessment", w.DatasetId, task,
            new PoolRequest(Assessors: w.Assessors.Select(a => a.Id).ToList()), overlap, w.GoldSetId, controlRate, quota,
            Suspension: suspension ?? new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: 3));
        Assert.Equal("draft", project.State);
        return await api.Admin.SetProjectStateAsync(project.Id, "open");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Assessors_fill_every_row_to_its_overlap_and_the_labels_page_and_survive_a_reload(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var w = await ProjectSetup.CreateAsync(api, rows: 20, assessors: 4);
        var project = await OpenProjectAsync(api, w, new OverlapRequest(Fixed: 2));
        foreach (var a in w.Assessors) await WorkAsync(api.As(a.Token!), project.Id, item => Truth(w, item));

        var labels = await api.Admin.AllLabelsAsync(project.Id);
        Assert.Equal(20, labels.Count);
        Assert.All(labels, l => Assert.Equal(2, l.Votes));
        Assert.All(labels, l => Assert.Equal(w.Rows.Single(r => r.Id == l.RowId).Good ? "good" : "bad", l.Label));
        var first = await api.Admin.LabelsAsync(project.Id, limit: 7);
        Assert.Equal(7, first.Rows.Count);
        Assert.Equal(20, first.TotalRows);
        Assert.StartsWith("ds|", first.Signature);
        Assert.Contains("known:", first.Signature);
        var state = await api.Admin.GetProjectAsync(project.Id);
        Assert.Equal(20, state.FinishedRows);
        Assert.Contains("overlap|fixed:2", state.Signature);

        // The board rebuilt from the database gives the same labels.
        await api.Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(project.Id).ReloadAsync();
        Assert.Equal(labels, await api.Admin.AllLabelsAsync(project.Id));
        Assert.Equal(state.Votes, (await api.Admin.GetProjectAsync(project.Id)).Votes);
        foreach (var m in new[] { "mv", "wawa", "onecoin", "glad", "mace" })
            Assert.Equal(20, (await api.Admin.AllLabelsAsync(project.Id, m)).Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_spammer_is_suspended_refused_excluded_and_can_be_reinstated(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var w = await ProjectSetup.CreateAsync(api, rows: 24, assessors: 4);
        var project = await OpenProjectAsync(api, w, new OverlapRequest(Fixed: 2), controlRate: 0.5,
            new SuspensionRequest(Controls: new SignalRequest(true, 3, 0.9), Speed: new SignalRequest(false, 1, 0)));
        var spammer = w.Assessors[0];
        var spam = api.As(spammer.Token!);
        var spamAnswers = await WorkAsync(spam, project.Id, item => Opposite(Truth(w, item)));
        Assert.True(spamAnswers < 24, $"the spammer answered {spamAnswers} items");
        await RoundFlowTests.AssertProblem(403, "suspended", () => spam.NextInProjectAsync(project.Id));

        var events = await api.Admin.SuspensionsAsync(project.Id);
        var e = Assert.Single(events);
        Assert.Equal((spammer.Id, "suspend", "controls"), (e.AssessorId, e.Kind, e.Signal));
        Assert.Equal(0, e.Successes);
        Assert.True(e.Count >= 3 && e.WilsonUpper < 0.9, e.Reason);

        foreach (var a in w.Assessors.Skip(1)) await WorkAsync(api.As(a.Token!), project.Id, item => Truth(w, item));
        var standing = (await api.Admin.ProjectAssessorsAsync(project.Id)).ToDictionary(a => a.AssessorId);
        Assert.True(standing[spammer.Id].Suspended);
        Assert.All(w.Assessors.Skip(1), a => Assert.False(standing[a.Id].Suspended));
        // The spammer's earlier row votes are excluded: every row's two valid votes are honest, so labels are right.
        var labels = await api.Admin.AllLabelsAsync(project.Id);
        Assert.All(labels, l => Assert.Equal(w.Rows.Single(r => r.Id == l.RowId).Good ? "good" : "bad", l.Label));
        Assert.All(labels, l => Assert.Equal(2, l.Votes));

        await api.Admin.ReinstateAsync(project.Id, spammer.Id);
        Assert.Equal(["suspend", "reinstate"], (await api.Admin.SuspensionsAsync(project.Id)).Select(x => x.Kind));
        Assert.NotEqual("item_suspended", (await spam.NextInProjectAsync(project.Id)).Status);
        await RoundFlowTests.AssertProblem(409, "not_suspended", () => api.Admin.ReinstateAsync(project.Id, spammer.Id));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Past_its_deadline_a_project_expires_refuses_work_and_keeps_its_labels(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var w = await ProjectSetup.CreateAsync(api, rows: 10, assessors: 2);
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("deadline", w.DatasetId, "judge",
            new PoolRequest(Assessors: w.Assessors.Select(a => a.Id).ToList()), new OverlapRequest(Fixed: 1), w.GoldSetId, 0.0,
            DeadlineMinutes: 30, Suspension: new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: 3));
        await api.Admin.SetProjectStateAsync(project.Id, "open");
        var me = api.As(w.Assessors[0].Token!);
        Assert.Equal(3, await WorkAsync(me, project.Id, item => Truth(w, item), max: 3));

        api.Clock.Advance(TimeSpan.FromMinutes(29));
        var held = await me.NextInProjectAsync(project.Id);
        Assert.NotNull(held.Item); // one minute before the deadline work goes on

        api.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("expired", (await api.Admin.GetProjectAsync(project.Id)).State);
        await RoundFlowTests.AssertProblem(409, "project_not_open", () => me.NextInProjectAsync(project.Id));
        await RoundFlowTests.AssertProblem(409, "project_not_open",
            () => me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(held.Item!.ItemId, Truth(w, held.Item))));
        await RoundFlowTests.AssertProblem(409, "project_expired", () => api.Admin.SetProjectStateAsync(project.Id, "open"));
        var labels = await api.Admin.AllLabelsAsync(project.Id);
        Assert.Equal(3, labels.Count(l => l.Votes == 1)); // the votes given before the deadline stay, nothing more was stored
        Assert.Equal(3, (await api.Admin.GetProjectAsync(project.Id)).Votes);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Refusals_name_the_field_or_the_reason(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var w = await ProjectSetup.CreateAsync(api, rows: 6, assessors: 3);
        var pool = new PoolRequest(Assessors: [w.Assessors[0].Id, w.Assessors[1].Id]);
        async Task Invalid(CreateProjectRequest r, string field)
        {
            var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.CreateProjectAsync(r));
            Assert.Equal(400, e.Status);
            Assert.Contains(e.Errors, p => p.Field == field);
            Assert.DoesNotContain("System.", e.Message);
        }
        await Invalid(new CreateProjectRequest("p", null, Pool: pool), "datasetId");
        await Invalid(new CreateProjectRequest("p", "ds_missing", Pool: pool), "datasetId");
        await Invalid(new CreateProjectRequest("p", w.DatasetId, Pool: pool, Overlap: new OverlapRequest(MinVotes: 4, MaxVotes: 2)), "overlap");
        await Invalid(new CreateProjectRequest("p", w.DatasetId, Pool: pool, ControlRate: 0.2), "goldSetId");
        await Invalid(new CreateProjectRequest("p", w.DatasetId, Pool: new PoolRequest(Assessors: ["asr_nobody"])), "pool.assessors[0]");
        await Invalid(new CreateProjectRequest("p", w.DatasetId, Pool: pool, Method: "magic"), "method");
        await Invalid(new CreateProjectRequest("p", w.DatasetId, "translate", Pool: pool), "task");
        Assert.Empty(await api.Admin.ListProjectsAsync()); // nothing half stored

        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("p", w.DatasetId, Pool: pool, Overlap: new OverlapRequest(Fixed: 1), Seed: 1));
        var me = api.As(w.Assessors[0].Token!);
        await RoundFlowTests.AssertProblem(409, "project_not_open", () => me.NextInProjectAsync(project.Id));
        await api.Admin.SetProjectStateAsync(project.Id, "open");
        var item = (await me.NextInProjectAsync(project.Id)).Item!;
        await RoundFlowTests.AssertProblem(404, "not_in_project", () => api.As(w.Assessors[2].Token!).NextInProjectAsync(project.Id));
        await RoundFlowTests.AssertProblem(404, "not_in_project", () => me.NextInProjectAsync("prj_unknown"));
        await RoundFlowTests.AssertProblem(400, "invalid_request", () => me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, "maybe")));
        await RoundFlowTests.AssertProblem(400, "invalid_request", () => me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, "good", "omission")));
        await RoundFlowTests.AssertProblem(400, "invalid_request", () => me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, "good", PostEdit: "x")));
        await RoundFlowTests.AssertProblem(422, "item_not_served", () => me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest("abcdefghijabcdefghij", "good")));
        await me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, "good"));
        await RoundFlowTests.AssertProblem(409, "already_answered", () => me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, "good")));
        // The other assessor cannot answer an item they were not served.
        await RoundFlowTests.AssertProblem(422, "item_not_served", () => api.As(w.Assessors[1].Token!).AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, "good")));

        await api.Admin.SetProjectStateAsync(project.Id, "pause");
        await RoundFlowTests.AssertProblem(409, "project_not_open", () => me.NextInProjectAsync(project.Id));
        await api.Admin.SetProjectStateAsync(project.Id, "close");
        await RoundFlowTests.AssertProblem(409, "project_closed", () => api.Admin.SetProjectStateAsync(project.Id, "open"));
        Assert.Equal(1, (await api.Admin.GetProjectAsync(project.Id)).Votes);

        // Imports are checked whole: one bad line and nothing is stored.
        var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.ImportAnswersAsync(project.Id,
            $"task\tworker\tlabel\n{w.Rows[0].Id}\text-1\tgood\nrow-none\text-1\tgood\n{w.Rows[1].Id}\text-1\tmaybe\n"));
        Assert.Equal(400, e.Status);
        Assert.Contains(e.Errors, p => p is { Line: 3, Field: "task" });
        Assert.Contains(e.Errors, p => p is { Line: 4, Field: "label" });
        e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.ImportAnswersAsync(project.Id, "task\tlabel\n1\tgood\n"));
        Assert.Contains(e.Errors, p => p is { Line: 1, Field: "worker" });
        Assert.Equal(1, (await api.Admin.GetProjectAsync(project.Id)).Votes);
        var imported = await api.Admin.ImportAnswersAsync(project.Id, $"task\tworker\tlabel\n{w.Rows[0].Id}\text-1\tgood\n{w.Rows[1].Id}\text-1\tbad\n");
        Assert.Equal((2, 2, 1), (imported.Votes, imported.Tasks, imported.Workers));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Post_edits_carry_hter_and_an_accepted_one_becomes_the_rows_reference(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var w = await ProjectSetup.CreateAsync(api, rows: 3, assessors: 2);
        var project = await OpenProjectAsync(api, w, new OverlapRequest(Fixed: 1), controlRate: 0, task: "judge+post-edit");
        var author = w.Assessors[0];
        var me = api.As(author.Token!);
        var next = await me.NextInProjectAsync(project.Id);
        Assert.True(next.PostEdit);
        var item = next.Item!;
        var edit = item.Translation.Replace("Soko", "Soko kuu");
        await me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, "bad", "omission", edit));

        var own = await api.Admin.AddReviewerAsync(new AddReviewerRequest("Author as reviewer", author.Id));
        var other = await api.Admin.AddReviewerAsync(new AddReviewerRequest("Reviewer"));
        Assert.Empty(await api.As(own.Token).PendingReviewsAsync(project.Id)); // never their own
        var pending = Assert.Single(await api.As(other.Token).PendingReviewsAsync(project.Id));
        Assert.Null(pending.AssessorId); // reviewers judge blind
        Assert.Equal(edit, pending.PostEdit);
        Assert.True(pending.Hter > 0 && pending.Hter < 100, $"HTER {pending.Hter}");
        Assert.StartsWith("hter|nrefs:1|case:lc|tok:tercom", pending.Signature);
        await RoundFlowTests.AssertProblem(403, "own_post_edit", () => api.As(own.Token).ReviewAsync(project.Id, pending.Id, true));
        var reviewed = await api.As(other.Token).ReviewAsync(project.Id, pending.Id, true);
        Assert.Equal("accepted", reviewed.State);
        await RoundFlowTests.AssertProblem(409, "already_reviewed", () => api.As(other.Token).ReviewAsync(project.Id, pending.Id, false));
        var label = (await api.Admin.AllLabelsAsync(project.Id)).Single(l => l.RowId == pending.RowId);
        Assert.Equal(edit, label.Reference);
        Assert.Equal("omission", label.ErrorType);
        Assert.Equal(other.Id, Assert.Single(await api.Admin.PostEditsAsync(project.Id, "accepted")).ReviewerId);
    }
}
