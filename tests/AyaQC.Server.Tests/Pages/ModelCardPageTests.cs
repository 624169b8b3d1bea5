using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Datasets;
using AyaQC.Server.Tests.Filtering;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Pages;

public class ModelCardPageTests
{
    /// <summary>A dataset of 240 rows (3/4 labelled) with imported votes, and a finished filter job over it (the server
    /// needs <see cref="FilterJobTests.Settings"/>).</summary>
    internal static async Task<(DatasetResponse Dataset, JobResponse Job)> TrainedJobAsync(ApiServer api)
    {
        var (rows, votes, _) = FilterJobTests.Data(240);
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(rows)), signals: "mt_score");
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("imported votes", null, Task: "import"));
        await api.Admin.ImportAnswersAsync(project.Id, votes);
        var started = await api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest(ProjectId: project.Id, Folds: 3, Iterations: 20));
        var job = await BackTranslationJobTests.WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(180));
        Assert.True(job.State == "succeeded", $"job {job.State}: {job.Error}");
        return (ds, job);
    }

    [Fact]
    public async Task The_model_card_page_shows_the_verdict_metrics_and_charts_of_the_apis_card()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite, settings: FilterJobTests.Settings());
        var (ds, job) = await TrainedJobAsync(api);
        using var lead = new PageClient(api.Server.BaseAddress);
        await lead.SignInAsync(api.AdminKey);

        Assert.Contains($"/lead/filter-jobs/{job.Id}", await lead.GetHtmlAsync($"/lead/datasets/{ds.Id}"));
        var page = await lead.GetHtmlAsync($"/lead/filter-jobs/{job.Id}");
        var card = await api.Admin.GetModelCardAsync(job.Id);
        Assert.Contains(WebUtility.HtmlEncode(card.GetProperty("verdict").GetString()!), page);
        Assert.Contains(WebUtility.HtmlEncode(card.GetProperty("signature").GetString()!), page);
        Assert.Contains(card.GetProperty("heldOut").GetProperty("auc").GetDouble().ToString("0.000", CultureInfo.InvariantCulture), page);
        foreach (var g in card.GetProperty("groups").EnumerateArray()) Assert.Contains(g.GetProperty("group").GetString()!, page);

        // Every chart inline and as a PNG: ROC (kept model and baseline, AUC in the legend), calibration (rows per bin),
        // decisions (integer counts), importance as plain bars, the column sets.
        Assert.Equal(6, Regex.Matches(page, "<svg").Count);
        foreach (var chart in new[] { "roc", "calibration", "decisions", "importance", "auc-by-columns", "bad-caught" })
        {
            Assert.Contains($"/lead/filter-jobs/{job.Id}/charts/{chart}.png", page);
            var png = await lead.GetAsync($"/lead/filter-jobs/{job.Id}/charts/{chart}.png");
            Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        }
        var roc = card.GetProperty("roc").EnumerateArray().ToList();
        Assert.Equal(2, roc.Count);
        foreach (var curve in roc)
        {
            var name = curve.GetProperty("model").GetString()! + (curve.GetProperty("kept").GetBoolean() ? " (kept)" : "");
            Assert.Contains($">{name}, AUC {curve.GetProperty("auc").GetDouble().ToString("0.000", CultureInfo.InvariantCulture)}<", page);
        }
        var bins = card.GetProperty("calibration").EnumerateArray().ToList();
        Assert.Equal(card.GetProperty("labelledRows").GetInt32(), bins.Sum(b => b.GetProperty("rows").GetInt32()));
        foreach (var b in bins) Assert.Contains($">n={b.GetProperty("rows").GetInt32().ToString("N0", CultureInfo.InvariantCulture)}<", page);

        // The decisions the job made, as the API counts them, in the table and on the chart.
        var decisions = card.GetProperty("decisions");
        Assert.Equal(240, decisions.GetProperty("rows").GetInt32());
        int keep = decisions.GetProperty("keep").GetInt32(), drop = decisions.GetProperty("drop").GetInt32(), review = decisions.GetProperty("review").GetInt32();
        Assert.Equal(240, keep + drop + review);
        Assert.Equal(0, decisions.GetProperty("overridden").GetInt32());
        Assert.Contains($"<td>model</td><td class=\"num\">240</td><td class=\"num\">{keep}</td><td class=\"num\">{drop}</td><td class=\"num\">{review}</td><td class=\"num\">0</td>", page);
        Assert.Contains("Decisions of this job (240 rows)", page);
        Assert.DoesNotContain("Leaderboard", page);

        // A lead's override shows up in the counts.
        var first = (await api.Admin.ListDecisionsAsync(ds.Id, limit: 1)).Rows[0];
        var to = first.Decision == "drop" ? "keep" : "drop";
        await api.Admin.OverrideDecisionAsync(ds.Id, first.RowId, to, "checked by hand");
        var after = (await api.Admin.GetModelCardAsync(job.Id)).GetProperty("decisions");
        Assert.Equal(1, after.GetProperty("overridden").GetInt32());
        Assert.Equal(keep, after.GetProperty("keep").GetInt32());
        Assert.Equal(keep + (to == "keep" ? 1 : 0) - (first.Decision == "keep" ? 1 : 0), after.GetProperty("keepAfterOverrides").GetInt32());
        Assert.Contains("<td class=\"num\">1</td></tr>", await lead.GetHtmlAsync($"/lead/filter-jobs/{job.Id}"));

        var missing = await lead.GetAsync("/lead/filter-jobs/no-such-job");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
