using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AyaQC.Cli.Assessment;
using AyaQC.Cli.Qualification;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Apis;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Server.Pages;
using AyaQC.Storage;
using AyaQC.Storage.Assessment;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace AyaQC.Cli.Pages;

/// <summary>
/// <c>ayaqc bench pages</c>: server-side time to build the lead dashboards (read the numbers through the API's
/// handlers, draw every chart, write the markup) for a qualification round with 100,000 answers and an assessment
/// project of 100,000 rows. Data is generated at run time into a temporary SQLite database; the first build (cold:
/// labels and agreement computed) and then repeated builds (warm) are timed. Target: under 200 ms.
/// </summary>
public static class PagesBench
{
    public sealed record Timing(string Page, int Size, string SizeUnit, double ColdMs, double WarmP50Ms, double WarmP95Ms, double WarmMaxMs,
        double WarmDataP50Ms, int HtmlBytes, bool MeetsTarget);

    public sealed record Report(string Command, DateTimeOffset MeasuredAt, int Cores, string Build, string? LoadBefore, string? LoadAfter,
        double TargetMs, IReadOnlyList<Timing> Pages);

    public static Command Create()
    {
        var answers = new Option<int>("--round-answers") { Description = "Answers in the qualification round (100 per assessor)", DefaultValueFactory = _ => 100_000 };
        var rows = new Option<int>("--project-rows") { Description = "Rows of the assessment project (3 imported votes each)", DefaultValueFactory = _ => 100_000 };
        var repeat = new Option<int>("--repeat") { Description = "Warm builds timed per page", DefaultValueFactory = _ => 20 };
        var output = new Option<string?>("--out") { Description = "Report file (default: a new reports/bench/pages-<UTC time>.json)" };
        var command = new Command("pages", "Server-side build time of the lead dashboards for a 100k-answer round and a 100k-row project");
        foreach (var o in new Option[] { answers, rows, repeat, output }) command.Options.Add(o);
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            const double target = 200;
            var loadBefore = AssessmentBench.LoadAverage();
            var dir = Directory.CreateTempSubdirectory("ayaqc-bench-pages-");
            var timings = new List<Timing>();
            try
            {
                var key = ApiTokens.NewAdminKey();
                await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
                {
                    Storage = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(dir.FullName, "bench.db")}" },
                    AdminKey = key, LoadShippedSets = false,
                }, ct);
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
                var admin = new AyaQCClient(http, key);
                var services = server.Services;
                var clock = services.GetRequiredService<TimeProvider>();
                var store = services.GetRequiredService<IQualificationStore>();

                var n = pr.GetValue(answers);
                AnsiConsole.MarkupLine($"round: {n} answers through the API …");
                var (roundId, crowd) = await RoundAsync(admin, n, ct);
                timings.Add(await TimeAsync("lead round dashboard", n, "answers", pr.GetValue(repeat), target,
                    async () => ((Ok<RoundResultsResponse>)(await RoundsApi.GetResults(roundId, null, store, services.GetRequiredService<IGrainFactory>(), clock, ct)).Result).Value!,
                    LeadPages.RoundBody));

                var m = pr.GetValue(rows);
                AnsiConsole.MarkupLine($"project: {m} rows, {3 * m} imported votes …");
                var projectId = await ProjectAsync(http, admin, key, Path.Combine(dir.FullName, "rows.jsonl"), m, crowd, ct);
                var projectServices = new ProjectServices(services.GetRequiredService<ProjectStore>(), services.GetRequiredService<IGrainFactory>(), store, clock);
                timings.Add(await TimeAsync("lead project dashboard", m, "rows", pr.GetValue(repeat), target,
                    async () => (await ProjectDashboard.LoadAsync(projectId, projectServices, ProjectDashboard.DefaultPricePerVote, ct))!, ProjectPages.Body));
            }
            finally
            {
                try { dir.Delete(recursive: true); } catch (IOException) { }
            }
            foreach (var t in timings)
                AnsiConsole.MarkupLine($"{t.Page} ({t.Size} {t.SizeUnit}): cold {t.ColdMs:0.0} ms, warm p50 {t.WarmP50Ms:0.0} / p95 {t.WarmP95Ms:0.0} / max {t.WarmMaxMs:0.0} ms, " +
                    $"of which reading the numbers p50 {t.WarmDataP50Ms:0.0} ms, {t.HtmlBytes / 1024} KB — target < {target:0} ms warm: {(t.MeetsTarget ? "[green]met[/]" : "[red]not met[/]")}");
            var report = new Report("ayaqc " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), DateTimeOffset.UtcNow, Environment.ProcessorCount,
#if DEBUG
                "Debug (use -c Release for figures you quote)",
#else
                "Release",
#endif
                loadBefore, AssessmentBench.LoadAverage(), target, timings);
            var path = Path.GetFullPath(pr.GetValue(output) ?? $"reports/bench/pages-{report.MeasuredAt:yyyyMMdd-HHmmss}.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), ct);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(path)}");
        }));
        return command;
    }

    /// <summary>Times reading the page's numbers (<paramref name="load"/>) plus drawing its charts and markup (<paramref name="render"/>).</summary>
    static async Task<Timing> TimeAsync<T>(string page, int size, string unit, int repeat, double target, Func<Task<T>> load, Func<T, string> render)
    {
        var clock = Stopwatch.StartNew();
        var html = render(await load());
        var cold = clock.Elapsed.TotalMilliseconds;
        var (total, data) = (new List<double>(), new List<double>());
        for (var i = 0; i < repeat; i++)
        {
            clock.Restart();
            var loaded = await load();
            data.Add(clock.Elapsed.TotalMilliseconds);
            render(loaded);
            total.Add(clock.Elapsed.TotalMilliseconds);
        }
        return new Timing(page, size, unit, Math.Round(cold, 1), P(total, 0.5), P(total, 0.95), Math.Round(total.DefaultIfEmpty(double.NaN).Max(), 1),
            P(data, 0.5), Encoding.UTF8.GetByteCount(html), P(total, 0.5) < target);
    }

    static double P(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)], 1);
    }

    /// <summary>A round of answers/100 assessors × 100 items, early stopping off, answered through the API (closed at the end).</summary>
    static async Task<(string RoundId, List<string> Crowd)> RoundAsync(AyaQCClient admin, int answers, CancellationToken ct)
    {
        var (_, gold) = GoldSetSource.Load(null);
        var set = await admin.ImportGoldSetAsync("bench-pages-gold", gold, ct: ct);
        const int items = 100;
        var crowd = (await admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
            Enumerable.Range(1, Math.Max(1, answers / items)).Select(i => new AssessorRegistration($"bench-{i:D5}")).ToList()), ct)).Assessors;
        var round = await admin.OpenRoundAsync(new OpenRoundRequest("bench pages", set.Id, items, crowd.Select(a => a.Id).ToList(),
            Policy: new RoundPolicy(MinItemsBeforeEarlyStop: items + 1), Seed: 11), ct);
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(crowd.Select(async (a, k) =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var me = admin.WithToken(a.Token!);
                var random = new Random(k);
                var item = (await me.NextItemAsync(round.Id, ct)).Item;
                while (item is not null)
                    item = (await me.AnswerAsync(round.Id, new AnswerRequest(item.ItemId, random.Next(3) == 0 ? "bad" : "good"), ct)).Next;
            }
            finally { gate.Release(); }
        }));
        await admin.CloseRoundAsync(round.Id, ct);
        return (round.Id, crowd.Select(a => a.Id).ToList());
    }

    /// <summary>A judge project over a generated dataset with 3 votes per row imported in crowd-kit's shape (1,000 workers).</summary>
    static async Task<string> ProjectAsync(HttpClient http, AyaQCClient admin, string key, string rowsPath, int rows, List<string> pool, CancellationToken ct)
    {
        var datasetId = await AssessmentBench.ImportDatasetAsync(http, key, rowsPath, rows, ct);
        var project = await admin.CreateProjectAsync(new CreateProjectRequest("bench pages", datasetId, "judge", new PoolRequest(Assessors: pool),
            new OverlapRequest(Fixed: 3), Seed: 5), ct);
        var random = new Random(3);
        const int chunk = 60_000;
        var tsv = new StringBuilder();
        for (var start = 0; start < 3 * rows; start += chunk)
        {
            tsv.Clear().Append("task\tworker\tlabel\n");
            for (var i = start; i < Math.Min(3 * rows, start + chunk); i++)
            {
                var row = i / 3;
                var good = row % 5 != 0;
                var right = random.NextDouble() < 0.85;
                tsv.Append("r").Append(row.ToString("D7")).Append("\tworker-").Append((row * 3 + i % 3) % 1000).Append('\t').Append(good == right ? "good" : "bad").Append('\n');
            }
            await admin.ImportAnswersAsync(project.Id, tsv.ToString(), ct);
        }
        return project.Id;
    }
}
