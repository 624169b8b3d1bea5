using System.Globalization;
using System.Text;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Datasets;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Filtering;

/// <summary>The filter job on Hangfire: trains on the dataset's labelled rows with a project's imported votes, decides
/// every row with a signature naming model and thresholds, keeps a lead's override across reruns; on SQLite and PostgreSQL.</summary>
public class FilterJobTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    internal static Dictionary<string, string?> Settings() => new() { ["Jobs:PollIntervalSeconds"] = "0.2", ["Jobs:SchedulePollIntervalSeconds"] = "0.2", ["Jobs:Queues"] = "default" };

    /// <summary>
    /// n rows with a hidden truth (2 of 3 good); the first 3/4 carry it as their label. mt_score is a weak machine
    /// signal; five crowd workers (accuracy 0.9, 0.85, 0.8, 0.7, 0.6) vote on every row.
    /// </summary>
    internal static (string Rows, string Votes, bool[] Truth) Data(int n, int seed = 5)
    {
        var rng = new Random(seed);
        var truth = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.67).ToArray();
        var rows = new StringBuilder();
        var votes = new StringBuilder("task\tworker\tlabel\n");
        double[] accuracy = [0.9, 0.85, 0.8, 0.7, 0.6];
        for (var i = 0; i < n; i++)
        {
            var score = Math.Clamp((truth[i] ? 0.65 : 0.45) + (rng.NextDouble() - 0.5) * 0.5, 0, 1);
            var label = i < n * 3 / 4 ? $",\"label\":\"{(truth[i] ? "good" : "bad")}\"" : "";
            rows.Append(CultureInfo.InvariantCulture, $$"""{"id":"r{{i + 1}}","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"Sentence {{i}}.","translation":"Sentensi {{i}}.","mt_score":{{score:0.###}}{{label}}}""").Append('\n');
            for (var w = 0; w < accuracy.Length; w++)
                votes.Append(CultureInfo.InvariantCulture, $"r{i + 1}\tw{w}\t{((rng.NextDouble() < accuracy[w]) == truth[i] ? "good" : "bad")}\n");
        }
        return (rows.ToString(), votes.ToString(), truth);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_filter_job_decides_every_row_and_a_leads_override_outlives_a_rerun(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider, settings: Settings());
        var (rows, votes, truth) = Data(400);
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(rows)), signals: "mt_score");
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("imported votes", null, Task: "import"));
        await api.Admin.ImportAnswersAsync(project.Id, votes);

        var started = await api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest(ProjectId: project.Id, Folds: 3, Iterations: 30, ChunkSize: 150));
        Assert.Equal(("filter", "train"), (started.Kind, started.Stage));
        var job = await BackTranslationJobTests.WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(180));
        Assert.True(job.State == "succeeded", $"job {job.State}: {job.Error}");
        Assert.Equal((400L, 400L, "apply"), (job.RowsTotal, job.RowsDone, job.Stage));
        Assert.Contains("model:", job.Signature);
        Assert.Contains("folds:3", job.Signature);
        Assert.Contains("keep_at:", job.Signature);
        Assert.Contains("drop_below:", job.Signature);
        Assert.Contains("crowd_p_good", job.Signature);

        var card = await api.Admin.GetModelCardAsync(job.Id);
        Assert.Equal(300, card.GetProperty("labelledRows").GetInt32());
        Assert.Equal(3, card.GetProperty("groups").GetArrayLength());

        var decided = new List<RowDecisionResponse>();
        for (string? cursor = null; ;)
        {
            var page = await api.Admin.ListDecisionsAsync(ds.Id, cursor: cursor, limit: 170);
            decided.AddRange(page.Rows);
            if ((cursor = page.NextCursor) is null) break;
        }
        Assert.Equal(Enumerable.Range(1, 400).Select(i => $"r{i}"), decided.Select(d => d.RowId));
        Assert.All(decided, d => Assert.Equal(job.Signature, d.Signature));
        Assert.All(decided, d => Assert.True(d.PGood is >= 0 and <= 1 && d.Decision is "keep" or "drop" or "review"));
        // On the unlabelled quarter, kept rows are mostly good and dropped rows mostly bad.
        var unseen = decided.Skip(300).ToList();
        var kept = unseen.Where(d => d.Decision == "keep").ToList();
        var dropped = unseen.Where(d => d.Decision == "drop").ToList();
        Assert.True(kept.Count >= 20 && dropped.Count >= 5, $"kept {kept.Count}, dropped {dropped.Count}");
        Assert.True(kept.Count(d => truth[int.Parse(d.RowId[1..]) - 1]) >= 0.85 * kept.Count, "kept rows are not mostly good");
        Assert.True(dropped.Count(d => !truth[int.Parse(d.RowId[1..]) - 1]) >= 0.7 * dropped.Count, "dropped rows are not mostly bad");
        Assert.Contains(dropped, d => d.Reasons.Count > 0);

        // The lead overrides a dropped row; a second job refreshes the model's decision but not the override.
        var row = dropped[0].RowId;
        await api.Admin.OverrideDecisionAsync(ds.Id, row, "keep", "a native speaker checked it");
        var again = await api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest(ProjectId: project.Id, Folds: 3, Iterations: 30, Seed: 2));
        Assert.Equal("succeeded", (await BackTranslationJobTests.WaitAsync(api.Admin, again.Id, TimeSpan.FromSeconds(180))).State);
        var after = await api.Admin.GetDecisionAsync(ds.Id, row);
        Assert.Equal(("keep", again.Id, true), (after.Decision, after.JobId, after.Overridden));
        Assert.NotNull(after.ModelDecision);
        Assert.Single(after.Overrides!);
        Assert.Contains(row, await ExportIdsAsync(api.Admin, ds.Id));
        Assert.Equal(2, (await api.Admin.ListFilterJobsAsync(ds.Id)).Count);
    }

    static async Task<List<string>> ExportIdsAsync(AyaQCClient client, string datasetId) =>
        (await ExportTests.ToListAsync(client.ExportAsync(datasetId))).Select(r => r.Id).ToList();

    [Fact]
    public async Task Bad_filter_requests_are_refused_naming_the_field()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite, settings: Settings());
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(ExportTests.Rows(5))));
        foreach (var (request, field) in new (StartFilterJobRequest, string)[]
                 {
                     (new(Trainer: "xgboost"), "trainer"), (new(Folds: 1), "folds"), (new(KeepPrecision: 1.5), "keepPrecision"),
                     (new(ChunkSize: 0), "chunkSize"), (new(ProjectId: "prj_missing"), "projectId"),
                 })
        {
            var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.StartFilterJobAsync(ds.Id, request));
            Assert.Equal((400, field), (e.Status, e.Errors.Single().Field));
        }
        var none = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest()));
        Assert.Equal(409, none.Status);
        Assert.Contains("label", none.Detail);
        Assert.Equal(404, (await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.GetModelCardAsync("fjob_missing"))).Status);
    }
}
