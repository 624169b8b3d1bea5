using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Api;
using AyaQC.Server.Tests.Assessment;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Pages;

/// <summary>The lead's HTER page of a project shows the numbers of <c>GET /api/v1/projects/{id}/hter</c>, all rows beside kept rows.</summary>
public class ProjectHterPageTests
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_hter_page_shows_the_apis_numbers_for_all_and_kept_rows_with_charts(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var w = await ProjectSetup.CreateAsync(api, rows: 6, assessors: 2);
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("post-edit project", w.DatasetId, "judge+post-edit",
            new PoolRequest(Assessors: w.Assessors.Select(a => a.Id).ToList()), new OverlapRequest(Fixed: 1), ControlRate: 0,
            Suspension: new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: 2));
        await api.Admin.SetProjectStateAsync(project.Id, "open");
        var me = api.As(w.Assessors[0].Token!);
        var next = await me.NextInProjectAsync(project.Id);
        while (next.Item is { } item)
            next = (await me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, "bad", "omission", item.Translation + " kabisa"))).Next;
        var reviewer = await api.Admin.AddReviewerAsync(new AddReviewerRequest("Reviewer"));
        foreach (var e in await api.As(reviewer.Token).PendingReviewsAsync(project.Id)) await api.As(reviewer.Token).ReviewAsync(project.Id, e.Id, true);
        foreach (var row in w.Rows.Take(2)) await api.Admin.OverrideDecisionAsync(w.DatasetId, row.Id, "keep", "checked by the lead");

        var report = await api.Admin.ProjectHterAsync(project.Id);
        Assert.Equal(6, report.All.Overall.Rows);
        Assert.Equal(2, report.Kept.Overall.Rows);
        Assert.Equal(w.Assessors[0].Id, Assert.Single(report.All.ByPostEditor).Name);

        using var lead = new PageClient(api.Server.BaseAddress);
        await lead.SignInAsync(api.AdminKey);
        Assert.Contains($"/lead/projects/{project.Id}/hter", await lead.GetHtmlAsync($"/lead/projects/{project.Id}"));
        var page = await lead.GetHtmlAsync($"/lead/projects/{project.Id}/hter");
        Assert.Contains($"/api/v1/projects/{project.Id}/hter", page);
        Assert.Contains("<td class=\"num\">6</td><td class=\"num\">2</td>", page); // post-edits, kept
        Assert.Contains($"<td class=\"num\">{report.All.Overall.MeanHter.ToString("0.000", CultureInfo.InvariantCulture)}</td>", page);
        Assert.Contains($"<td class=\"num\">{report.Kept.Overall.MeanHter.ToString("0.000", CultureInfo.InvariantCulture)}</td>", page);
        Assert.Contains(WebUtility.HtmlEncode(report.Signature), page);
        Assert.Equal(5, Regex.Matches(page, "<svg").Count);
        Assert.Contains("Accepted post-edits per post-editor", page);

        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync("/lead/projects/prj_missing/hter")).StatusCode);
        await RoundFlowTests.AssertProblem(404, "not_found", () => api.Admin.ProjectHterAsync("prj_missing"));
        await RoundFlowTests.AssertProblem(400, "invalid_request", () => api.Admin.ProjectHterAsync(project.Id, top: 1000));
    }
}
