using System.CommandLine;
using System.Text;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using Microsoft.Extensions.Logging;

namespace AyaQC.Cli.Datasets;

/// <summary>
/// <c>ayaqc bench idle</c>: the CPU an embedded server (silo, job server, API) uses while nobody calls it, as
/// <c>ayaqc serve</c> runs it on a temporary SQLite file, by thread. Every per-CPU figure and every job on a small
/// machine pays it.
/// </summary>
public static class IdleBenchmark
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "How long to sample the idle server", DefaultValueFactory = _ => 30 };
        var settle = new Option<double>("--settle") { Description = "Seconds to wait after start (or after the job) before sampling", DefaultValueFactory = _ => 10 };
        var model = new Option<DirectoryInfo?>("--model") { Description = "NLLB model folder: run one small back-translation job first, then sample" };
        var set = new Option<string[]>("--set") { Description = "Extra server settings KEY=VALUE, e.g. Jobs:PollIntervalSeconds=0.1", AllowMultipleArgumentsPerToken = true };
        var report = new Option<FileInfo?>("--report") { Description = "JSON report path (default reports/bench/idle-<time>.json)" };
        var cmd = new Command("idle", "CPU an idle embedded server uses (silo, job server, API), by thread");
        foreach (var o in new Option[] { seconds, settle, model, set, report }) cmd.Options.Add(o);
        cmd.SetAction(async (pr, ct) =>
        {
            var dir = Directory.CreateTempSubdirectory("ayaqc-bench-idle-");
            try
            {
                var settings = new Dictionary<string, string?>();
                if (pr.GetValue(model) is { } m) (settings["BackTranslation:ModelPath"], settings["BackTranslation:Device"]) = (m.FullName, "cpu");
                foreach (var kv in pr.GetValue(set) ?? [])
                {
                    var eq = kv.IndexOf('=');
                    if (eq < 1) { Console.Error.WriteLine($"error: --set {kv}: expected KEY=VALUE"); return 2; }
                    settings[kv[..eq]] = kv[(eq + 1)..];
                }
                var key = ApiTokens.NewAdminKey();
                var loadBefore = BenchReports.LoadAverage;
                await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
                {
                    Storage = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(dir.FullName, "idle.db")}" },
                    AdminKey = key, LoadShippedSets = false, MinimumLogLevel = LogLevel.Warning, Settings = settings,
                }, ct);
                if (pr.GetValue(model) is not null)
                {
                    using var http = new HttpClient { BaseAddress = server.BaseAddress };
                    var admin = new AyaQCClient(http, key);
                    var rows = string.Concat(Enumerable.Range(1, 64).Select(i =>
                        $"{{\"id\":\"r{i}\",\"source_lang\":\"eng_Latn\",\"target_lang\":\"swh_Latn\",\"source\":\"Good morning ({i})\",\"translation\":\"Habari za asubuhi ({i})\"}}\n"));
                    var dataset = await admin.ImportDatasetAsync("idle", new MemoryStream(Encoding.UTF8.GetBytes(rows)), ct: ct);
                    var job = await admin.StartBackTranslationAsync(dataset.Id, new StartBackTranslationRequest(BatchSize: 32, Queue: "default"), ct);
                    while (job.State is not ("succeeded" or "failed" or "cancelled")) { await Task.Delay(200, ct); job = await admin.GetJobAsync(job.Id, ct); }
                }
                await Task.Delay(TimeSpan.FromSeconds(pr.GetValue(settle)), ct);
                var before = ThreadCpu.Now();
                await Task.Delay(TimeSpan.FromSeconds(pr.GetValue(seconds)), ct);
                var usage = ThreadCpu.Now().Since(before);
                var path = BenchReports.Write(pr.GetValue(report), "idle", new Dictionary<string, object?>
                {
                    ["benchmark"] = "idle",
                    ["command"] = BenchReports.Command(),
                    ["server"] = "embedded, SQLite, default settings" + (settings.Count > 0 ? " plus " + string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}")) : ""),
                    ["after_job"] = pr.GetValue(model) is not null,
                    ["seconds"] = usage.Seconds,
                    ["cpu_seconds"] = usage.CpuSeconds,
                    ["percent_of_one_core"] = usage.PercentOfCore,
                    ["threads"] = usage.Threads,
                    ["load_average_before"] = loadBefore,
                    ["load_average_after"] = BenchReports.LoadAverage,
                    ["machine"] = BenchReports.Machine,
                    ["measured_at"] = DateTime.UtcNow.ToString("O"),
                });
                Console.WriteLine($"idle server: {usage.PercentOfCore:0.00} % of one core ({usage.CpuSeconds:0.00} CPU s in {usage.Seconds:0.0} s); " +
                                  $"by thread: {usage.Top(8)}; report: {path}");
                return 0;
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { dir.Delete(recursive: true); } catch (IOException) { }
            }
        });
        return cmd;
    }
}
