using System.Globalization;
using System.Text;
using System.Text.Json;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Datasets;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Filtering;

/// <summary>
/// A dataset with no label column: the filter job trains on what people in the service judged — accepted post-edits
/// (untouched = good, heavily edited = bad, a light edit gives no label) and a lead's overrides, which win over the
/// post-edit of the same row. On SQLite and PostgreSQL.
/// </summary>
public class TrainingLabelsTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    const int Rows = 48;

    static string Translation(int i) => $"Soko linafunguliwa saa {i} asubuhi leo";

    [Theory, MemberData(nameof(Providers))]
    public async Task A_filter_job_trains_on_accepted_post_edits_and_leads_overrides_without_a_label_column(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider, settings: FilterJobTests.Settings());
        var rng = new Random(11);
        var truth = Enumerable.Range(0, Rows).Select(i => i % 3 != 0).ToArray(); // 2 of 3 good
        var jsonl = new StringBuilder();
        for (var i = 0; i < Rows; i++)
        {
            var score = Math.Clamp((truth[i] ? 0.7 : 0.4) + (rng.NextDouble() - 0.5) * 0.4, 0, 1);
            jsonl.Append(CultureInfo.InvariantCulture, $$"""{"id":"r{{i:D2}}","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"The market opens at {{i}} in the morning today.","translation":"{{Translation(i)}}","mt_score":{{score:0.###}}}""").Append('\n');
        }
        var ds = await api.Admin.ImportDatasetAsync("no-labels", new MemoryStream(Encoding.UTF8.GetBytes(jsonl.ToString())), signals: "mt_score");
        Assert.Equal(0, ds.LabelledRows);

        // Nothing trusted yet: refused, saying where labels can come from.
        var none = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest(Folds: 3)));
        Assert.Equal(409, none.Status);
        Assert.Contains("accepted post-edits", none.Detail);
        var badHter = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest(PostEditBadHter: 0)));
        Assert.Equal((400, "postEditBadHter"), (badHter.Status, badHter.Errors.Single().Field));

        // Two post-editors: a good translation is left as it is (every seventh gets one word changed), a bad one is rewritten.
        var assessors = (await api.Admin.RegisterAssessorsAsync(new RegisterAssessorsRequest([
            new AssessorRegistration("Amina", ["eng_Latn", "swh_Latn"]), new AssessorRegistration("Baraka", ["eng_Latn", "swh_Latn"])]))).Assessors;
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("post-edits", ds.Id, "judge+post-edit",
            new PoolRequest(Assessors: assessors.Select(a => a.Id).ToList()), new OverlapRequest(Fixed: 1), ControlRate: 0,
            Suspension: new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: 5));
        await api.Admin.SetProjectStateAsync(project.Id, "open");
        foreach (var (a, max) in new[] { (0, Rows / 2), (1, Rows), (0, Rows) }) // Amina comes back for the row she held when she paused
        {
            var me = api.As(assessors[a].Token!);
            var next = await me.NextInProjectAsync(project.Id);
            for (var n = 0; next.Item is { } item && n < max; n++)
            {
                var i = int.Parse(item.Translation.Split(' ')[3], CultureInfo.InvariantCulture);
                var edit = !truth[i] ? "Duka hufungwa mapema sana kila jioni"
                    : i % 7 == 1 ? item.Translation.Replace("leo", "kesho") : item.Translation;
                next = (await me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, truth[i] ? "good" : "bad",
                    truth[i] ? null : "mistranslation", edit))).Next;
            }
        }
        var reviewer = api.As((await api.Admin.AddReviewerAsync(new AddReviewerRequest("Reviewer"))).Token);
        var pending = await reviewer.PendingReviewsAsync(project.Id);
        Assert.Equal(Rows, pending.Count);
        foreach (var p in pending) await reviewer.ReviewAsync(project.Id, p.Id, accept: p.RowId != "r05"); // one rejected: no label from it

        // The lead: drops two rows whose post-edit left them untouched (the expert wins), marks one for review (no label from it).
        var overrides = new Dictionary<string, string> { ["r02"] = "drop", ["r04"] = "drop", ["r07"] = "review" };
        foreach (var (row, decision) in overrides) await api.Admin.OverrideDecisionAsync(ds.Id, row, decision, "checked by the lead");

        // What the rule should give, from the stored HTER of each accepted post-edit and the overrides.
        var expected = new Dictionary<string, (int Good, int Bad)> { ["expert"] = (0, 0), ["dataset"] = (0, 0), ["post-edit"] = (0, 0), ["control"] = (0, 0) };
        var accepted = (await api.Admin.PostEditsAsync(project.Id, "accepted")).ToDictionary(e => e.RowId, e => e.Hter / 100);
        Assert.Equal(Rows - 1, accepted.Count);
        for (var i = 0; i < Rows; i++)
        {
            var id = $"r{i:D2}";
            if (overrides.GetValueOrDefault(id) is "drop") expected["expert"] = (expected["expert"].Good, expected["expert"].Bad + 1);
            else if (accepted.TryGetValue(id, out var h) && h == 0) expected["post-edit"] = (expected["post-edit"].Good + 1, expected["post-edit"].Bad);
            else if (accepted.TryGetValue(id, out h) && h > 0.3) expected["post-edit"] = (expected["post-edit"].Good, expected["post-edit"].Bad + 1);
        }
        Assert.True(expected["post-edit"].Good >= 20 && expected["post-edit"].Bad >= 10, $"post-edit labels {expected["post-edit"]}");
        Assert.Contains(accepted.Values, h => h is > 0 and <= 0.3); // a light edit exists and gives no label

        var started = await api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest(ProjectId: project.Id, Folds: 3, Iterations: 20, ChunkSize: 20));
        var job = await BackTranslationJobTests.WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(180));
        Assert.True(job.State == "succeeded", $"job {job.State}: {job.Error}");
        Assert.Contains("labels:expert>dataset>post-edit(hter=0:good,hter>0.3:bad)+control(gold,answered,train-only)", job.Signature);
        Assert.Contains("features-without:pe_hter", job.Signature);

        var card = await api.Admin.GetModelCardAsync(job.Id);
        var sources = card.GetProperty("labelSources").EnumerateArray()
            .ToDictionary(s => s.GetProperty("source").GetString()!, s => (s.GetProperty("good").GetInt32(), s.GetProperty("bad").GetInt32()));
        Assert.Equal(expected, sources);
        Assert.Equal(expected.Values.Sum(v => v.Good + v.Bad), card.GetProperty("labelledRows").GetInt32());
        var features = card.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("feature").GetString()).ToList();
        Assert.DoesNotContain("pe_hter", features); // on these rows it is the label itself
        Assert.Contains("mt_score", features);

        // Rows only a light edit or the rejected post-edit touched still get a decision from the model.
        var r05 = await api.Admin.GetDecisionAsync(ds.Id, "r05");
        Assert.True(r05.PGood is >= 0 and <= 1 && r05.Decision is "keep" or "drop" or "review", JsonSerializer.Serialize(r05));
        Assert.Equal("drop", (await api.Admin.GetDecisionAsync(ds.Id, "r02")).Decision); // the override still stands
    }
}
