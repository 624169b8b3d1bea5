using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AyaQC.Cli.Qualification;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using Spectre.Console;

namespace AyaQC.Cli.Assessment;

/// <summary>
/// <c>ayaqc bench assessment</c>: votes/s through the HTTP API with online aggregation (dynamic overlap: every vote
/// updates the row's posterior), 1,000 assessors on SQLite and PostgreSQL, saturated and paced, plus the rows/s of
/// a crowd-kit answer import. Inputs are generated into a temporary folder; a new timestamped JSON report goes
/// under reports/bench/.
/// </summary>
public static class AssessmentBench
{
    public sealed record Run(string Load, double ThinkMs, int Votes, int Failures, double Seconds, double VotesPerSecond, double P50Ms, double P99Ms, double MaxMs,
        double CpuMsPerVote);

    public sealed record ProviderResult(string Provider, int Assessors, int Rows, Run? Saturated, Run? Paced, double? ImportRowsPerSecond,
        int ImportRows, double? LabelsSeconds, double TargetVotesPerSecond, double TargetP99Ms, bool MeetsTarget, string? Skipped);

    public sealed record Report(string Command, DateTimeOffset MeasuredAt, int Cores, string Build, string? LoadBefore, string? LoadAfter,
        IReadOnlyList<ProviderResult> Providers);

    public static Command Create()
    {
        var assessors = new Option<int>("--assessors") { Description = "Simulated assessors answering concurrently", DefaultValueFactory = _ => 1000 };
        var rows = new Option<int>("--rows") { Description = "Generated dataset rows per project", DefaultValueFactory = _ => 10_000 };
        var importRows = new Option<int>("--import-rows") { Description = "Generated answers in the import measurement", DefaultValueFactory = _ => 200_000 };
        var providers = new Option<string>("--providers") { Description = "sqlite,postgres", DefaultValueFactory = _ => "sqlite,postgres" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string for the postgres run (scripts/throwaway-postgres.sh starts a private server and prints one)" };
        var output = new Option<string?>("--out") { Description = "Report file (default: a new reports/bench/assessment-<UTC time>.json)" };
        var command = new Command("assessment", "Assessment votes/s and p50/p99 over HTTP with online aggregation; answer-import rows/s");
        foreach (var o in new Option[] { assessors, rows, importRows, providers, postgres, output }) command.Options.Add(o);
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var loadBefore = LoadAverage();
            var results = new List<ProviderResult>();
            foreach (var provider in pr.GetValue(providers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                AnsiConsole.MarkupLine($"[bold]{provider}[/]: {pr.GetValue(assessors)} assessors, {pr.GetValue(rows)} rows …");
                var r = await MeasureAsync(provider, pr.GetValue(postgres), pr.GetValue(assessors), pr.GetValue(rows), pr.GetValue(importRows), ct);
                results.Add(r);
                if (r.Skipped is not null) { AnsiConsole.MarkupLine($"  skipped: {Markup.Escape(r.Skipped)}"); continue; }
                foreach (var run in new[] { r.Saturated, r.Paced }.OfType<Run>())
                    AnsiConsole.MarkupLine($"  {run.Load}: {run.VotesPerSecond:0} votes/s, p50 {run.P50Ms:0.0} ms, p99 {run.P99Ms:0.0} ms ({run.Votes} votes in {run.Seconds:0.0} s, {run.Failures} failures; {run.CpuMsPerVote:0.000} ms CPU per vote, server and client)");
                AnsiConsole.MarkupLine($"  import: {r.ImportRowsPerSecond:0} answer rows/s ({r.ImportRows} rows); labels (Dawid–Skene, full) {r.LabelsSeconds:0.00} s");
                AnsiConsole.MarkupLine($"  target ≥ {r.TargetVotesPerSecond:0} votes/s saturated and p99 < {r.TargetP99Ms:0} ms paced: {(r.MeetsTarget ? "[green]met[/]" : "[red]not met[/]")}");
            }
            var report = new Report("ayaqc " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), DateTimeOffset.UtcNow, Environment.ProcessorCount,
#if DEBUG
                "Debug (use -c Release for figures you quote)",
#else
                "Release",
#endif
                loadBefore, LoadAverage(), results);
            var path = Path.GetFullPath(pr.GetValue(output) ?? $"reports/bench/assessment-{report.MeasuredAt:yyyyMMdd-HHmmss}.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), ct);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(path)}");
        }));
        return command;
    }

    internal static string? LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;

    static async Task<ProviderResult> MeasureAsync(string provider, string? postgres, int assessors, int rows, int importRows, CancellationToken ct)
    {
        var (targetRate, targetP99) = (10_000.0, 50.0);
        var dir = Directory.CreateTempSubdirectory("ayaqc-bench-assessment-");
        try
        {
            StorageOptions storage;
            if (provider == "postgres")
            {
                if (postgres is null)
                    return new(provider, assessors, rows, null, null, null, 0, null, targetRate, targetP99, false,
                        "no --postgres connection string (scripts/throwaway-postgres.sh starts a private server and prints one)");
                storage = new StorageOptions { Provider = "postgres", ConnectionString = postgres };
            }
            else storage = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(dir.FullName, "bench.db")}" };
            var key = ApiTokens.NewAdminKey();
            await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options { Storage = storage, AdminKey = key, LoadShippedSets = false }, ct);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = assessors, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = server.BaseAddress,
                Timeout = TimeSpan.FromMinutes(5),
            };
            var admin = new AyaQCClient(http, key);
            var (_, gold) = GoldSetSource.Load(null);
            var set = await admin.ImportGoldSetAsync("bench-gold", gold, ct: ct);
            var crowd = (await admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
                Enumerable.Range(1, assessors).Select(i => new AssessorRegistration($"bench-{i:D4}")).ToList()), ct)).Assessors;
            var datasetId = await ImportDatasetAsync(http, key, Path.Combine(dir.FullName, "rows.jsonl"), rows, ct);

            async Task<Run> RunProject(string name, TimeSpan think, int seed)
            {
                var project = await admin.CreateProjectAsync(new CreateProjectRequest(name, datasetId, "judge", new PoolRequest(Assessors: crowd.Select(a => a.Id).ToList()),
                    new OverlapRequest(MinVotes: 2, MaxVotes: 4, TargetPosterior: 0.95), set.Id, 0.1,
                    Suspension: new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: seed), ct);
                await admin.SetProjectStateAsync(project.Id, "open", ct);
                return await VoteAsync(admin, project.Id, crowd, think, seed, ct);
            }

            // Warm-up: tiered compilation settles on the hot path before anything is measured.
            await RunProject("warm-up", TimeSpan.Zero, 1);
            var saturated = await RunProject("saturated", TimeSpan.Zero, 2);
            var paced = await RunProject("paced", TimeSpan.FromMilliseconds(assessors * 1000.0 / targetRate), 3);

            var labelsClock = Stopwatch.StartNew();
            var projects = await admin.ListProjectsAsync(ct);
            await admin.LabelsAsync(projects.Single(p => p.Name == "saturated").Id, "ds", limit: 1, ct: ct);
            var labelsSeconds = labelsClock.Elapsed.TotalSeconds;

            var import = await admin.CreateProjectAsync(new CreateProjectRequest("import", null, "import"), ct);
            var tsv = new StringBuilder("task\tworker\tlabel\n");
            var random = new Random(5);
            for (var i = 0; i < importRows; i++) tsv.Append("task-").Append(i / 5).Append("\tworker-").Append(i % 5 + (i / 5 % 200) * 5).Append('\t').Append(random.Next(2) == 0 ? "good" : "bad").Append('\n');
            var importClock = Stopwatch.StartNew();
            var imported = await admin.ImportAnswersAsync(import.Id, tsv.ToString(), ct);
            var importRate = imported.Votes / importClock.Elapsed.TotalSeconds;

            var meets = saturated.VotesPerSecond >= targetRate && paced.P99Ms < targetP99 && saturated.Failures + paced.Failures == 0;
            return new(provider, assessors, rows, saturated, paced, Math.Round(importRate, 1), imported.Votes, Math.Round(labelsSeconds, 3), targetRate, targetP99, meets, null);
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Every assessor asks and answers until the project has no more work for them; latency is per answer request.</summary>
    static async Task<Run> VoteAsync(AyaQCClient admin, string projectId, IReadOnlyList<RegisteredAssessor> crowd, TimeSpan think, int seed, CancellationToken ct)
    {
        var latencies = new List<long>[crowd.Count];
        var failures = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(crowd.Select(async (a, k) =>
        {
            var me = admin.WithToken(a.Token!);
            var mine = latencies[k] = [];
            var random = new Random(seed * 7919 + k);
            try
            {
                if (think > TimeSpan.Zero) await Task.Delay(think * random.NextDouble(), ct); // spread the starts
                var next = await me.NextInProjectAsync(projectId, ct);
                while (next.Item is { } item)
                {
                    if (think > TimeSpan.Zero) await Task.Delay(think * (0.5 + random.NextDouble()), ct);
                    var start = Stopwatch.GetTimestamp();
                    next = (await me.AnswerInProjectAsync(projectId, new ProjectAnswerRequest(item.ItemId, random.Next(5) == 0 ? "bad" : "good"), ct)).Next;
                    mine.Add(Stopwatch.GetTimestamp() - start);
                }
            }
            catch (Exception e) when (e is AyaQCApiException or HttpRequestException)
            {
                Interlocked.Increment(ref failures);
            }
        }));
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu; // the whole process: server, silo, store and this client
        var ms = latencies.SelectMany(l => l).Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        double Pct(double p) => ms.Length == 0 ? 0 : ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(p * ms.Length) - 1)];
        return new(think > TimeSpan.Zero ? "paced" : "saturated", think.TotalMilliseconds, ms.Length, failures, Math.Round(clock.Elapsed.TotalSeconds, 3),
            Math.Round(ms.Length / clock.Elapsed.TotalSeconds, 1), Math.Round(Pct(0.5), 2), Math.Round(Pct(0.99), 2), Math.Round(ms.LastOrDefault(), 2),
            Math.Round(ms.Length == 0 ? 0 : cpu.TotalMilliseconds / ms.Length, 4));
    }

    /// <summary>Generates rows into a temporary file (never committed) and imports them through the datasets API.</summary>
    internal static async Task<string> ImportDatasetAsync(HttpClient http, string key, string path, int rows, CancellationToken ct)
    {
        await using (var writer = new StreamWriter(path))
            for (var i = 0; i < rows; i++)
                await writer.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["id"] = $"r{i:D7}", ["source_lang"] = "eng_Latn", ["target_lang"] = "swh_Latn",
                    ["source"] = $"The delivery number {i} arrives tomorrow morning.", ["translation"] = $"Mzigo namba {i} utafika kesho asubuhi.",
                }));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/datasets?name=bench-{Guid.NewGuid():N}&format=jsonl")
        {
            Content = new StreamContent(File.OpenRead(path)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"dataset import failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }
}
