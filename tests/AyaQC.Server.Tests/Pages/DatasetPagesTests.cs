using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Datasets;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Pages;

public class DatasetPagesTests
{
    [Fact]
    public async Task The_dataset_page_shows_jobs_the_chrf_histogram_and_flagged_rows_side_by_side()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite, settings: BackTranslationJobTests.JobSettings());
        var ds = await api.Admin.ImportDatasetAsync("flag-me", new MemoryStream(Encoding.UTF8.GetBytes(BackTranslationJobTests.Rows(30))));
        var started = await api.Admin.StartBackTranslationAsync(ds.Id, new StartBackTranslationRequest(BatchSize: 16, Queue: "default"));
        var job = await BackTranslationJobTests.WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", job.State);

        using var lead = new PageClient(api.Server.BaseAddress);
        await lead.SignInAsync(api.AdminKey);
        Assert.Contains($"/lead/datasets/{ds.Id}", await lead.GetHtmlAsync("/lead/datasets"));
        var page = await lead.GetHtmlAsync($"/lead/datasets/{ds.Id}");

        Assert.Contains($"<code>{job.Id}</code>", page);
        Assert.Contains($"{job.RowsDone} / {job.RowsTotal}", page);
        Assert.Equal(2, Regex.Matches(page, "<svg").Count);
        Assert.Contains("chrF++ of source vs back-translation", page);
        Assert.Contains("Flagged rows by reason", page);

        // Every flagged row the API lists is on the page with its back-translation and reasons (30 rows: fewer than the page shows).
        var flagged = (await api.Admin.GetDatasetRowsAsync(ds.Id, limit: 1000, flagged: true, jobId: job.Id)).Rows;
        Assert.NotEmpty(flagged);
        foreach (var row in flagged)
        {
            Assert.Contains($"<code>{WebUtility.HtmlEncode(row.Id)}</code>", page);
            Assert.Contains(WebUtility.HtmlEncode(row.Result!.BackTranslation ?? ""), page);
            foreach (var f in row.Result.Flags) Assert.Contains(WebUtility.HtmlEncode(f.Reason), page);
        }
        Assert.Contains($"{flagged.Count} flagged", page);
        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync("/lead/datasets/no-such-dataset")).StatusCode);
    }
}
