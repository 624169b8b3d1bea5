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
    [Fact]
    public async Task The_model_card_page_shows_the_verdict_metrics_and_charts_of_the_apis_card()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite, settings: FilterJobTests.Settings());
        var (rows, votes, _) = FilterJobTests.Data(240);
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(rows)), signals: "mt_score");
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("imported votes", null, Task: "import"));
        await api.Admin.ImportAnswersAsync(project.Id, votes);
        var started = await api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest(ProjectId: project.Id, Folds: 3, Iterations: 20));

        using var lead = new PageClient(api.Server.BaseAddress);
        await lead.SignInAsync(api.AdminKey);
        var job = await BackTranslationJobTests.WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(180));
        Assert.True(job.State == "succeeded", $"job {job.State}: {job.Error}");

        Assert.Contains($"/lead/filter-jobs/{job.Id}", await lead.GetHtmlAsync($"/lead/datasets/{ds.Id}"));
        var page = await lead.GetHtmlAsync($"/lead/filter-jobs/{job.Id}");
        var card = await api.Admin.GetModelCardAsync(job.Id);
        Assert.Contains(WebUtility.HtmlEncode(card.GetProperty("verdict").GetString()!), page);
        Assert.Contains(WebUtility.HtmlEncode(card.GetProperty("signature").GetString()!), page);
        Assert.Contains(card.GetProperty("heldOut").GetProperty("auc").GetDouble().ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), page);
        Assert.Equal(3, Regex.Matches(page, "<svg").Count);
        foreach (var g in card.GetProperty("groups").EnumerateArray()) Assert.Contains(g.GetProperty("group").GetString()!, page);

        var missing = await lead.GetAsync("/lead/filter-jobs/no-such-job");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
