using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AyaQC.Cli.Report;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using AyaQC.Tests.Shared.Browser;

namespace AyaQC.Cli.Tests.Report;

/// <summary>
/// A real server on loopback with a finished round, an assessment project (imported votes) and a dataset with a
/// filter job; <c>ayaqc report</c> writes one file for each through the typed client, and the server is stopped
/// before anyone reads them (they must work offline).
/// </summary>
public sealed class ReportFixture : IAsyncLifetime
{
    public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("ayaqc-report-");
    public string RoundReport => Path.Combine(Dir.FullName, "round.html");
    public string ProjectReport => Path.Combine(Dir.FullName, "project.html");
    public string DatasetReport => Path.Combine(Dir.FullName, "dataset.html");
    public RoundResultsResponse Round { get; private set; } = null!;
    public ProjectResponse Project { get; private set; } = null!;
    public LabelsPage Labels { get; private set; } = null!;
    public JsonElement Card { get; private set; }
    public string ServerUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var key = ApiTokens.NewAdminKey();
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
        {
            Storage = new StorageOptions { ConnectionString = $"Data Source={Path.Combine(Dir.FullName, "t.db")}" },
            AdminKey = key,
            SetsPath = RepoPaths.InRepo("qualification-sets"),
            Settings = new Dictionary<string, string?> { ["Jobs:PollIntervalSeconds"] = "0.2", ["Jobs:SchedulePollIntervalSeconds"] = "0.2", ["Jobs:Queues"] = "default" },
        });
        ServerUrl = server.BaseAddress.ToString().TrimEnd('/');
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var admin = new AyaQCClient(http, key);

        // A round: four assessors answer every item, each right with their own chance.
        var set = (await admin.ListGoldSetsAsync())[0];
        var registered = await admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
            Enumerable.Range(1, 4).Select(i => new AssessorRegistration($"Assessor {i}", ["swh_Latn", "eng_Latn"])).ToList()));
        var round = await admin.OpenRoundAsync(new OpenRoundRequest("report round", set.Id, 10, registered.Assessors.Select(a => a.Id).ToList(), Seed: 3));
        var rng = new Random(4);
        foreach (var a in registered.Assessors)
        {
            var me = admin.WithToken(a.Token!);
            for (var next = await me.NextItemAsync(round.Id); next.Item is { } item; next = await me.NextItemAsync(round.Id))
                await me.AnswerAsync(round.Id, new AnswerRequest(item.ItemId, rng.NextDouble() < 0.6 ? "good" : "bad"));
        }

        // A dataset with trusted labels on 3/4 of its rows, five workers' votes imported into a project, a filter job.
        var (rows, votes) = Data(200);
        var dataset = await admin.ImportDatasetAsync("report rows", new MemoryStream(Encoding.UTF8.GetBytes(rows)), signals: "mt_score");
        var project = await admin.CreateProjectAsync(new CreateProjectRequest("report votes", null, Task: "import"));
        await admin.ImportAnswersAsync(project.Id, votes);
        var job = await admin.StartFilterJobAsync(dataset.Id, new StartFilterJobRequest(ProjectId: project.Id, Folds: 3, Iterations: 20));
        var until = DateTime.UtcNow.AddMinutes(3);
        while ((job = await admin.GetJobAsync(job.Id)).State is "queued" or "running")
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"filter job still {job.State}");
            await Task.Delay(200);
        }
        Assert.True(job.State == "succeeded", $"filter job {job.State}: {job.Error}");

        foreach (var (kind, id, file) in new[] { ("--round", round.Id, RoundReport), ("--project", project.Id, ProjectReport), ("--dataset", dataset.Id, DatasetReport) })
        {
            var root = new RootCommand();
            root.Subcommands.Add(ReportCommand.Create());
            Assert.Equal(0, await root.Parse(["report", "--server", ServerUrl, "--key", key, kind, id, "--output", file]).InvokeAsync());
        }
        Round = await admin.GetResultsAsync(round.Id);
        Project = await admin.GetProjectAsync(project.Id);
        Labels = await admin.LabelsAsync(project.Id);
        Card = await admin.GetModelCardAsync(job.Id);
    }

    /// <summary>n rows, 2 of 3 good; mt_score a weak signal; five workers of accuracy 0.9 down to 0.6 vote on each.</summary>
    static (string Rows, string Votes) Data(int n)
    {
        var rng = new Random(5);
        var rows = new StringBuilder();
        var votes = new StringBuilder("task\tworker\tlabel\n");
        double[] accuracy = [0.9, 0.85, 0.8, 0.7, 0.6];
        for (var i = 0; i < n; i++)
        {
            var good = rng.NextDouble() < 0.67;
            var score = Math.Clamp((good ? 0.65 : 0.45) + (rng.NextDouble() - 0.5) * 0.5, 0, 1);
            var label = i < n * 3 / 4 ? $",\"label\":\"{(good ? "good" : "bad")}\"" : "";
            rows.Append(CultureInfo.InvariantCulture, $$"""{"id":"r{{i + 1}}","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"Sentence {{i}}.","translation":"Sentensi {{i}}.","mt_score":{{score:0.###}}{{label}}}""").Append('\n');
            for (var w = 0; w < accuracy.Length; w++)
                votes.Append(CultureInfo.InvariantCulture, $"r{i + 1}\tw{w}\t{((rng.NextDouble() < accuracy[w]) == good ? "good" : "bad")}\n");
        }
        return (rows.ToString(), votes.ToString());
    }

    public Task DisposeAsync()
    {
        try { Dir.Delete(recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

public class ReportCommandTests(ReportFixture f) : IClassFixture<ReportFixture>
{
    static string Cells(params object[] values) =>
        string.Concat(values.Select(v => "<td class=\"num\">" + WebUtility.HtmlEncode(Convert.ToString(v, CultureInfo.InvariantCulture)) + "</td>"));

    [Fact]
    public void Each_report_is_one_self_contained_file_with_the_apis_numbers()
    {
        foreach (var file in new[] { f.RoundReport, f.ProjectReport, f.DatasetReport })
        {
            var html = File.ReadAllText(file);
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("<link", html);
            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain("url(", html[html.IndexOf("<style>")..html.IndexOf("</style>")]);
            Assert.All(Regex.Matches(html, @"url\(([^)]*)\)"), m => Assert.StartsWith("#", m.Groups[1].Value.Trim('\'', '"'))); // in-document references only
            Assert.DoesNotContain("src=", html);
            Assert.DoesNotContain("href=\"/", html); // no link into pages a static file cannot reach
            Assert.DoesNotContain(".png\" download", html);
            Assert.Contains("<style>", html);
            Assert.Contains($"href=\"{f.ServerUrl}/api/v1/", html); // the API call that gives the same numbers
        }

        var round = File.ReadAllText(f.RoundReport);
        var s = f.Round.Summary;
        Assert.Contains(Cells(s.Passed, s.Failed, s.Undecided, s.DecidedEarly, s.ItemsSaved, s.Answers), round);
        Assert.Equal(4, Regex.Matches(round, "<svg").Count);
        Assert.Contains(WebUtility.HtmlEncode(f.Round.Signature), round);

        var project = File.ReadAllText(f.ProjectReport);
        Assert.Contains(Cells(f.Project.Rows, f.Project.FinishedRows, f.Project.Votes), project);
        Assert.Contains(f.Labels.KrippendorffAlpha!.Value.ToString("0.000", CultureInfo.InvariantCulture), project);
        Assert.Equal(4, Regex.Matches(project, "<svg").Count);

        var dataset = File.ReadAllText(f.DatasetReport);
        var d = f.Card.GetProperty("decisions");
        Assert.Contains("<td>model</td>" + Cells(d.GetProperty("rows").GetInt32(), d.GetProperty("keep").GetInt32(), d.GetProperty("drop").GetInt32(),
            d.GetProperty("review").GetInt32(), d.GetProperty("overridden").GetInt32()), dataset);
        Assert.Contains(WebUtility.HtmlEncode(f.Card.GetProperty("verdict").GetString()!), dataset);
        Assert.Equal(6, Regex.Matches(dataset, "<svg").Count); // the model card's charts (no back-translation here)
    }

    [ChromiumFact]
    public void Each_report_opens_offline_in_chromium_with_every_chart_text_drawn_and_readable()
    {
        using var browser = new HeadlessChromium();
        browser.Viewport(1280, 900, mobile: false);
        foreach (var (file, charts) in new[] { (f.RoundReport, 4), (f.ProjectReport, 4), (f.DatasetReport, 6) })
        {
            browser.Web.Navigate().GoToUrl(new Uri(file).AbsoluteUri); // the server is stopped: nothing to fetch
            var drawn = (IReadOnlyCollection<object>)browser.Js("""
                return Array.from(document.querySelectorAll('figure svg')).map(svg => {
                  const texts = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim().length > 0);
                  return [svg.getAttribute('aria-label'), texts.filter(t => { const b = t.getBBox(); return b.width > 0 && b.height > 0; }).length, texts.length];
                });
                """)!;
            Assert.Equal(charts, drawn.Count);
            foreach (IReadOnlyList<object> c in drawn)
                Assert.True(Convert.ToInt64(c[1]) >= 3 && Convert.ToInt64(c[1]) == Convert.ToInt64(c[2]), $"{file} chart '{c[0]}': {c[1]} of {c[2]} texts drawn");
            // Numbers as the reader sees them: the ROC legend carries the card's AUCs.
            if (file == f.DatasetReport)
                foreach (var curve in f.Card.GetProperty("roc").EnumerateArray())
                    Assert.Contains($"AUC {curve.GetProperty("auc").GetDouble().ToString("0.000", CultureInfo.InvariantCulture)}", (string)browser.Js("return document.body.innerHTML;")!);
            if (file == f.RoundReport)
                Assert.Contains(f.Round.Summary.Answers.ToString(CultureInfo.InvariantCulture), (string)browser.Js("return document.querySelector('table').innerText;")!);
            Contrast.AssertReadable(browser);
            AxeBasics.AssertPasses(browser);
            browser.Screenshot("report-" + Path.GetFileNameWithoutExtension(file));
        }
    }
}
