using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Server.Apis;
using AyaQC.Server.Pages;
using AyaQC.Server.Tests.Assessment;
using AyaQC.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Pages;

public class ProjectPagesTests
{
    /// <summary>A judge project over a fresh 16-row dataset, pool = the given assessors, controls from the gold set, open.</summary>
    internal static async Task<ProjectResponse> OpenProjectAsync(ApiServer api, IReadOnlyList<RegisteredAssessor> pool, string goldSetId,
        double controlRate = 0.25, SuspensionRequest? suspension = null, string task = "judge")
    {
        var datasetId = await ProjectSetup.ImportDatasetAsync(api, ProjectSetup.Rows(16));
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("pages project", datasetId, task,
            new PoolRequest(Assessors: pool.Select(a => a.Id).ToList()), new OverlapRequest(Fixed: 2), goldSetId, controlRate,
            Suspension: suspension ?? new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: 5));
        return await api.Admin.SetProjectStateAsync(project.Id, "open");
    }

    [Fact]
    public async Task The_project_dashboard_shows_the_apis_numbers_suspensions_and_charts_with_text()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite);
        var (set, assessors, _) = await api.OpenRoundAsync(assessors: 3, itemsPerAssessor: 4);
        var project = await OpenProjectAsync(api, assessors, set.Id, controlRate: 0.5,
            new SuspensionRequest(Controls: new SignalRequest(true, 3, 0.9), Speed: new SignalRequest(false, 1, 0)));
        var gold = SyntheticGoldSet.Items().ToDictionary(i => i.Source);
        // Assessor 1 answers every control wrongly and is suspended; the others answer controls right and every row "good".
        for (var i = 0; i < assessors.Count; i++)
        {
            var me = api.As(assessors[i].Token!);
            try
            {
                for (var next = await me.NextInProjectAsync(project.Id); next.Item is { } item;)
                {
                    var right = gold.TryGetValue(item.Source, out var g) ? g.Label.ToCode() : "good";
                    var verdict = i == 0 && g is not null ? (right == "good" ? "bad" : "good") : right;
                    next = (await me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, verdict))).Next;
                }
            }
            catch (Client.AyaQCApiException e) when (e.Status == 403) { }
        }

        using var lead = new PageClient(api.Server.BaseAddress);
        await lead.SignInAsync(api.AdminKey);
        Assert.Contains($"/lead/projects/{project.Id}", await lead.GetHtmlAsync("/lead/projects"));
        var page = await lead.GetHtmlAsync($"/lead/projects/{project.Id}");

        var state = await api.Admin.GetProjectAsync(project.Id);
        var labels = await api.Admin.LabelsAsync(project.Id, limit: 1);
        var agreement = await api.Admin.AgreementAsync(project.Id);
        Assert.Contains($"<td class=\"num\">{state.Votes}</td>", page);
        Assert.Contains($"<td class=\"num\">{state.FinishedRows}</td>", page);
        if (labels.KrippendorffAlpha is { } alpha) Assert.Contains($"<td class=\"num\">{alpha.ToString("0.000", CultureInfo.InvariantCulture)}</td>", page);
        Assert.NotEmpty(agreement.Points);
        Assert.Equal(labels.KrippendorffAlpha!.Value, agreement.Points[^1].Alpha, 9);

        // The suspension and its evidence, as the API lists it.
        var suspension = Assert.Single(await api.Admin.SuspensionsAsync(project.Id));
        Assert.Contains(WebUtility.HtmlEncode(suspension.Reason), page);
        Assert.Contains(assessors[0].Id, page);

        // Every chart inline with its title as text, and as a PNG.
        Assert.Equal(ProjectDashboard.ChartNames.Count, Regex.Matches(page, "<svg").Count);
        foreach (var title in new[] { "Valid votes per row", "Krippendorff", "Control accuracy" }) Assert.Contains(title, page);
        // A PNG download reads only its chart's numbers, and draws the same chart as the whole dashboard would.
        var services = api.Server.Services;
        var s = new ProjectServices(services.GetRequiredService<AyaQC.Storage.Assessment.ProjectStore>(), services.GetRequiredService<Orleans.IGrainFactory>(),
            services.GetRequiredService<AyaQC.Storage.IQualificationStore>(), services.GetRequiredService<TimeProvider>());
        var whole = (await ProjectDashboard.LoadAsync(project.Id, s, ProjectDashboard.DefaultPricePerVote, default))!;
        foreach (var chart in ProjectDashboard.ChartNames)
        {
            var png = await lead.GetAsync($"/lead/projects/{project.Id}/charts/{chart}.png");
            Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
            Assert.Equal(whole.Chart(chart)!.Png(), await png.Content.ReadAsByteArrayAsync());
        }

        // Cost per accepted row follows the price asked for; a bad price is named.
        var accepted = (await api.Admin.AllLabelsAsync(project.Id)).Count(l => l.Label == "good");
        var priced = await lead.GetHtmlAsync($"/lead/projects/{project.Id}?price=0.1");
        Assert.Contains($"<td class=\"num\">{(state.Votes * 0.1 / accepted).ToString("0.000", CultureInfo.InvariantCulture)}</td>", priced);
        var bad = await lead.GetAsync($"/lead/projects/{project.Id}?price=cheap");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("price: must be a number", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync("/lead/projects/no-such-project")).StatusCode);
    }

    static string NextItemId(string html) => Regex.Match(html, "name=\"itemId\" value=\"([^\"]+)\"").Groups[1].Value;

    static string Between(string html, string id) => WebUtility.HtmlDecode(Regex.Match(html, $"id=\"{id}\"[^>]*>([^<]*)<").Groups[1].Value);

    [Fact]
    public async Task An_assessor_judges_and_post_edits_rows_in_the_page_and_controls_look_like_rows()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite);
        var (set, assessors, _) = await api.OpenRoundAsync(assessors: 2, itemsPerAssessor: 4);
        var project = await OpenProjectAsync(api, assessors, set.Id, controlRate: 0.3, task: "judge+post-edit");
        var gold = SyntheticGoldSet.Items().ToDictionary(i => i.Source);
        using var page = new PageClient(api.Server.BaseAddress);
        await page.SignInAsync(assessors[0].Token!);

        var start = await page.GetHtmlAsync("/work?lang=en");
        Assert.Contains($"/work/projects/{project.Id}", start);
        Assert.Contains("with post-editing", start);

        var skeletons = new Dictionary<bool, string>(); // control? → page without its texts, ids and numbers
        var edits = 0;
        for (var k = 0; k < 40; k++)
        {
            var html = await page.GetHtmlAsync($"/work/projects/{project.Id}");
            if (!html.Contains("name=\"itemId\"")) break;
            var item = NextItemId(html);
            var (source, translation) = (Between(html, "source"), Between(html, "translation"));
            Assert.Equal(translation, Between(html, "post-edit")); // the text area starts as the machine translation
            var isControl = gold.TryGetValue(source, out var g);
            if (isControl) Assert.DoesNotContain(g!.Explanation ?? "\u0000", html);
            var skeleton = html.Replace(WebUtility.HtmlEncode(source), "").Replace(WebUtility.HtmlEncode(translation), "").Replace(item, "");
            skeleton = Regex.Replace(Regex.Replace(skeleton, "name=\"__af\" value=\"[^\"]+\"", ""), "[0-9]+", "#");
            skeletons.TryAdd(isControl, skeleton);

            var verdict = isControl ? g!.Label.ToCode() : "bad";
            (string, string)[] fields = isControl || k % 2 == 0
                ? [("itemId", item), ("verdict", verdict), ("postEdit", translation)]                       // left as it is: no post-edit
                : [("itemId", item), ("verdict", "bad"), ("errorType", "mistranslation"), ("postEdit", translation + " sasa")];
            if (fields.Length == 4) edits++;
            var answered = await page.PostFormAsync($"/work/projects/{project.Id}", $"/work/projects/{project.Id}/answers", fields);
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
            Assert.DoesNotContain("refused", answered.Headers.Location!.OriginalString);
        }
        Assert.Equal(2, skeletons.Count);
        Assert.Equal(skeletons[true], skeletons[false]);
        var stored = await api.Admin.PostEditsAsync(project.Id);
        Assert.Equal(edits, stored.Count);
        Assert.True(edits > 0);
        Assert.All(stored, e => { Assert.EndsWith(" sasa", e.PostEdit); Assert.True(e.Hter > 0, e.Signature); });

        // Refusals in words: an empty verdict, then a paused project (in Swahili).
        var current = NextItemId(await page.GetHtmlAsync($"/work/projects/{project.Id}"));
        if (current.Length > 0)
        {
            var noVerdict = await page.PostFormAsync($"/work/projects/{project.Id}", $"/work/projects/{project.Id}/answers", ("itemId", current));
            Assert.Contains("Choose Good or Bad", await page.GetHtmlAsync(noVerdict.Headers.Location!.OriginalString));
        }
        await api.Admin.SetProjectStateAsync(project.Id, "pause");
        var paused = await page.GetAsync($"/work/projects/{project.Id}?lang=sw");
        Assert.Equal(HttpStatusCode.Conflict, paused.StatusCode);
        Assert.Contains("Mradi huu haujafunguliwa", await paused.Content.ReadAsStringAsync());
    }
}
