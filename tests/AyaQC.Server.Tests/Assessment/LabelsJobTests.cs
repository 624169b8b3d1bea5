using System.Globalization;
using System.Text;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Api;
using AyaQC.Server.Tests.Datasets;
using AyaQC.Server.Tests.Filtering;
using AyaQC.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static AyaQC.Server.Tests.Assessment.ProjectFlowTests;

namespace AyaQC.Server.Tests.Assessment;

/// <summary>The labels job (a full recomputation stored with its signature) and rows sent back from review for more votes.</summary>
public class LabelsJobTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static List<(string, string, double, int, double)> Comparable(IEnumerable<RowLabelResponse> labels) =>
        labels.Select(l => (l.RowId, l.Label, Math.Round(l.Posterior, 12), l.Votes, Math.Round(l.Entropy, 12))).ToList();

    [Theory, MemberData(nameof(Providers))]
    public async Task The_labels_job_stores_what_the_online_route_computes_on_the_same_votes(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider, settings: FilterJobTests.Settings());
        var w = await ProjectSetup.CreateAsync(api, rows: 24, assessors: 5);
        var project = await OpenProjectAsync(api, w, new OverlapRequest(Fixed: 3), controlRate: 0.2);
        // Assessor i errs on every (i+2)-th item: disagreement that Dawid–Skene and majority vote weigh differently.
        for (var i = 0; i < w.Assessors.Count; i++)
        {
            var n = 0;
            var step = i + 2;
            await WorkAsync(api.As(w.Assessors[i].Token!), project.Id, item => ++n % step == 0 ? Opposite(Truth(w, item)) : Truth(w, item));
        }
        await RoundFlowTests.AssertProblem(409, "no_stored_labels", () => api.Admin.LabelsAsync(project.Id, from: "job"));
        await RoundFlowTests.AssertProblem(400, "invalid", () => api.Admin.LabelsAsync(project.Id, from: "yesterday"));
        await RoundFlowTests.AssertProblem(400, "invalid", () => api.Admin.RecomputeLabelsAsync(project.Id, "median"));
        await RoundFlowTests.AssertProblem(404, "not_found", () => api.Admin.RecomputeLabelsAsync("prj_missing"));

        var votes = (await api.Admin.GetProjectAsync(project.Id)).Votes;
        foreach (var method in new[] { "ds", "mv", "glad" })
        {
            var started = await api.Admin.RecomputeLabelsAsync(project.Id, method);
            Assert.Equal(("labels", w.DatasetId), (started.Kind, started.DatasetId));
            var job = await BackTranslationJobTests.WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(60));
            Assert.True(job.State == "succeeded", $"labels job {job.State}: {job.Error}");
            Assert.Equal((24L, 24L), (job.RowsTotal, job.RowsDone));

            var online = await api.Admin.LabelsAsync(project.Id, method, limit: 1);
            var stored = await api.Admin.LabelsAsync(project.Id, method, limit: 1, from: "job");
            Assert.Equal(("online", votes), (online.Computation, online.AsOfVotes));
            Assert.Equal(("job:" + job.Id, votes), (stored.Computation, stored.AsOfVotes));
            Assert.Equal(online.Signature, stored.Signature);
            Assert.Equal(job.Signature, stored.Signature);
            Assert.Equal(online.KrippendorffAlpha!.Value, stored.KrippendorffAlpha!.Value, 12);
            Assert.Equal(Comparable(await api.Admin.AllLabelsAsync(project.Id, method)), Comparable(await api.Admin.AllLabelsAsync(project.Id, method, from: "job")));
        }
        // Without a method, the latest stored run of any method; the default method's online labels are Dawid–Skene.
        Assert.StartsWith("glad", (await api.Admin.LabelsAsync(project.Id, from: "job")).Method);
        Assert.StartsWith("ds", (await api.Admin.LabelsAsync(project.Id)).Method);
    }

    /// <summary>n rows whose first 3/4 carry a trusted label (2 of 3 good) and distinct texts.</summary>
    internal static (string Jsonl, Dictionary<string, (string Id, bool Good)> BySource) LabelledRows(int n)
    {
        var rng = new Random(11);
        var jsonl = new StringBuilder();
        var bySource = new Dictionary<string, (string, bool)>();
        for (var i = 0; i < n; i++)
        {
            var good = rng.NextDouble() < 0.67;
            var label = i < n * 3 / 4 ? $",\"label\":\"{(good ? "good" : "bad")}\"" : "";
            var source = $"Sentence number {i}.";
            jsonl.Append(CultureInfo.InvariantCulture, $$"""{"id":"r{{i}}","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"{{source}}","translation":"Sentensi {{i}}."{{label}}}""").Append('\n');
            bySource[source] = ($"r{i}", good);
        }
        return (jsonl.ToString(), bySource);
    }

    [Fact]
    public async Task Rows_a_filter_job_left_in_review_go_back_to_the_crowd_for_more_votes_from_new_assessors()
    {
        await using var api = await ApiServer.StartAsync("sqlite", settings: FilterJobTests.Settings());
        var (jsonl, bySource) = LabelledRows(60);
        var ds = await api.Admin.ImportDatasetAsync("labelled", new MemoryStream(Encoding.UTF8.GetBytes(jsonl)));
        var assessors = (await api.Admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
            Enumerable.Range(1, 5).Select(i => new AssessorRegistration($"A{i}", ["swh_Latn"])).ToList()))).Assessors;
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("one vote each", ds.Id, "judge",
            new PoolRequest(Assessors: assessors.Select(a => a.Id).ToList()), new OverlapRequest(Fixed: 1),
            Suspension: new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: 4)); // test clients answer at once
        await api.Admin.SetProjectStateAsync(project.Id, "open");

        var voters = new Dictionary<string, HashSet<string>>(); // row id → assessors served it
        async Task WorkAllAsync()
        {
            foreach (var a in assessors)
            {
                var me = api.As(a.Token!);
                await WorkAsync(me, project.Id, item =>
                {
                    var (id, good) = bySource[item.Source];
                    if (!voters.TryGetValue(id, out var set)) voters[id] = set = [];
                    Assert.True(set.Add(a.Id), $"row {id} served twice to {a.Id}");
                    return good ? "good" : "bad";
                });
            }
        }
        await WorkAllAsync();
        Assert.Equal(60, voters.Count);
        Assert.All(voters.Values, v => Assert.Single(v));

        // Precision targets no model reaches leave most rows in review.
        var started = await api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest(ProjectId: project.Id, Folds: 3, Iterations: 20,
            KeepPrecision: 0.999, DropPrecision: 0.999));
        var filter = await BackTranslationJobTests.WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(180));
        Assert.True(filter.State == "succeeded", $"filter job {filter.State}: {filter.Error}");
        var review = (await api.Admin.ListDecisionsAsync(ds.Id, decision: "review", limit: 1000)).Rows.Select(r => r.RowId).ToHashSet();
        Assert.NotEmpty(review);

        await RoundFlowTests.AssertProblem(400, "invalid", () => api.Admin.SendBackAsync(project.Id, filter.Id, votes: 0));
        await RoundFlowTests.AssertProblem(400, "invalid", () => api.Admin.SendBackAsync(project.Id, "fjob_missing"));
        var sent = await api.Admin.SendBackAsync(project.Id, filter.Id, votes: 2);
        Assert.Equal((review.Count, 2), (sent.Rows, sent.VotesPerRow));

        var before = voters.ToDictionary(v => v.Key, v => v.Value.Single());
        await WorkAllAsync();
        foreach (var (row, set) in voters)
            if (review.Contains(row))
            {
                Assert.Equal(3, set.Count); // the first voter and two new ones, never the same assessor twice
                Assert.Contains(before[row], set);
            }
            else Assert.Single(set);
        var labels = await api.Admin.AllLabelsAsync(project.Id);
        Assert.All(labels, l => Assert.Equal(review.Contains(l.RowId) ? 3 : 1, l.Votes));

        // The raised need survives a rebuild of the project from the database: nothing more is served.
        await api.Server.Services.GetRequiredService<IGrainFactory>().GetGrain<AyaQC.Grains.IProjectGrain>(project.Id).ReloadAsync();
        Assert.Equal("no_work", (await api.As(assessors[0].Token!).NextInProjectAsync(project.Id)).Status);
        Assert.Equal(60, (await api.Admin.GetProjectAsync(project.Id)).FinishedRows);
    }
}
