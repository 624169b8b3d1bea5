using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using AyaQC.Translation;
using AyaQC.Translation.Decoding;
using AyaQC.Translation.Runtime;
using Microsoft.Extensions.Logging;

namespace AyaQC.Cli.Datasets;

/// <summary>
/// <c>ayaqc bench backtranslate-job</c>: the same generated rows back-translated by the engine alone and by a server
/// job (import, Hangfire, chunks with checkpoints, flags, results in the database), rows/s compared at one batch size.
/// <c>ayaqc bench datasets-import</c>: a generated dataset (1,000,000 rows by default) streamed into a server: rows/s
/// and the process's peak memory against the file's size. Inputs are generated at run time into a temp folder.
/// </summary>
public static class DatasetBenchmarks
{
    // Our own Swahili sentences; rows vary them with a number so no two rows are the same.
    static readonly string[] Swahili =
    [
        "Wageni wanatoka wapi?",
        "Habari za asubuhi, rafiki yangu.",
        "Watoto wanacheza mpira uwanjani kila jioni baada ya shule.",
        "Tafadhali nisaidie kubeba mzigo huu mzito kutoka sokoni hadi nyumbani.",
        "Serikali imejenga barabara mpya inayounganisha vijiji vitatu vya pwani.",
        "Daktari alimpa mgonjwa dawa mpya na kumshauri apumzike kwa siku tatu.",
        "Eleza kwa maneno rahisi kwa nini anga lina rangi ya buluu.",
        "Andika shairi fupi kuhusu bahari na mawimbi yake.",
    ];

    static readonly string[] English =
    [
        "Where do the visitors come from?",
        "Good morning, my friend.",
        "The children play football on the field every evening after school.",
        "Please help me carry this heavy load from the market to home.",
        "The government has built a new road linking three coastal villages.",
        "The doctor gave the patient a new medicine and advised three days of rest.",
        "Explain in simple words why the sky is blue.",
        "Write a short poem about the sea and its waves.",
    ];

    static (string Source, string Translation) Row(int i) =>
        ($"{English[i % English.Length]} ({i})", $"{Swahili[i % Swahili.Length]} ({i})");

    static void WriteDataset(string path, int rows)
    {
        using var file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        for (var i = 1; i <= rows; i++)
        {
            var (source, translation) = Row(i);
            file.Write(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["id"] = $"r{i}", ["source_lang"] = "eng_Latn", ["target_lang"] = "swh_Latn", ["source"] = source, ["translation"] = translation,
                ["domain"] = (i % 3) switch { 0 => "health", 1 => "education", _ => "transport" },
                ["mt_score"] = Math.Round(0.5 + (i % 50) / 100.0, 2),
            }));
            file.Write('\n');
        }
    }

    static StorageOptions Storage(string? postgres, string dir) => postgres is not null
        ? new StorageOptions { Provider = "postgres", ConnectionString = postgres }
        : new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(dir, "bench.db")}" };

    public static Command BackTranslateJob()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "NLLB model folder", Required = true };
        var rows = new Option<int>("--rows") { Description = "Rows in the generated dataset", DefaultValueFactory = _ => 10_000 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per model batch, for the engine and the job alike", DefaultValueFactory = _ => 32 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime CPU threads, the same for both", DefaultValueFactory = _ => 1 };
        var repeats = new Option<int>("--repeats") { Description = "Engine and job runs, alternated; the fastest of each is compared", DefaultValueFactory = _ => 2 };
        var postgres = new Option<string?>("--postgres") { Description = "Run the job on this PostgreSQL database instead of a temporary SQLite file" };
        var report = new Option<FileInfo?>("--report") { Description = "JSON report path (default reports/bench/backtranslate-job-<time>.json)" };
        var cmd = new Command("backtranslate-job", "Back-translation rows/s through a server job (Hangfire, checkpoints, results in the database) vs the engine alone");
        foreach (var o in new Option[] { model, rows, batchSize, threads, repeats, postgres, report }) cmd.Options.Add(o);
        cmd.SetAction(async (pr, ct) =>
        {
            var (n, batch, repeatCount) = (pr.GetValue(rows), pr.GetValue(batchSize), pr.GetValue(repeats));
            if (n < batch || batch < 1 || repeatCount < 1) { Console.Error.WriteLine("error: --rows must be at least --batch-size, both and --repeats at least 1"); return 2; }
            var modelPath = pr.GetValue(model)!.FullName;
            var dir = Directory.CreateTempSubdirectory("ayaqc-bench-job-");
            try
            {
                var file = Path.Combine(dir.FullName, "rows.jsonl");
                WriteDataset(file, n);
                var loadBefore = BenchReports.LoadAverage;
                var decoding = new DecodingOptions { MaxSourceLength = 512 }; // what a job decodes with (model's beams, BackTranslation:MaxSourceTokens)
                var texts = Enumerable.Range(1, n).Select(i => Row(i).Translation).ToArray();
                using var translator = NllbTranslator.Load(modelPath, new OrtSessionSettings(ExecutionDevice.Cpu, 0, pr.GetValue(threads)));
                translator.Translate(texts[..batch], "swh_Latn", "eng_Latn", decoding, ct); // warm-up

                var key = ApiTokens.NewAdminKey();
                await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
                {
                    Storage = Storage(pr.GetValue(postgres), dir.FullName), AdminKey = key, LoadShippedSets = false, MinimumLogLevel = LogLevel.Warning,
                    Settings = new Dictionary<string, string?>
                    {
                        ["BackTranslation:ModelPath"] = modelPath, ["BackTranslation:Device"] = "cpu",
                        ["BackTranslation:Threads"] = pr.GetValue(threads).ToString(CultureInfo.InvariantCulture),
                        ["Jobs:Queues"] = "default", // default poll intervals: a job started through the API wakes a worker at once
                    },
                }, ct);
                using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                var admin = new AyaQCClient(http, key);
                DatasetResponse dataset;
                await using (var body = File.OpenRead(file)) dataset = await admin.ImportDatasetAsync("bench", body, ct: ct);
                var warm = await admin.ImportDatasetAsync("warm-up", new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(File.ReadLines(file).Take(batch * 2).Select(l => l + "\n")))), ct: ct);
                await RunJobAsync(admin, warm.Id, batch, ct); // loads the model in the server, JIT-compiles the job path

                // Compared: the engine from its first batch to its last, texts already in memory; the job as a user times
                // it, from the POST that starts it to the server's finish stamp, written after its last chunk was stored
                // (same process, same clock). That includes the pickup, reading the rows, the checks and every commit.
                var engineRuns = new List<(double Seconds, ThreadCpu.Usage Cpu)>();
                var jobRuns = new List<JobRun>();
                for (var r = 0; r < repeatCount; r++)
                {
                    var before = ThreadCpu.Now();
                    var clock = Stopwatch.StartNew();
                    for (var i = 0; i < n; i += batch) translator.Translate(texts[i..Math.Min(n, i + batch)], "swh_Latn", "eng_Latn", decoding, ct);
                    engineRuns.Add((clock.Elapsed.TotalSeconds, ThreadCpu.Now().Since(before)));
                    Console.WriteLine($"engine alone: {n / engineRuns[^1].Seconds:0.0} rows/s ({engineRuns[^1].Seconds:0.00} s)");
                    jobRuns.Add(await RunJobAsync(admin, dataset.Id, batch, ct));
                    var run = jobRuns[^1];
                    Console.WriteLine($"job:          {n / run.PostToFinished:0.0} rows/s ({run.PostToFinished:0.00} s from POST to finished: picked up after " +
                                      $"{run.PostToStarted:0.00} s, running {run.Running:0.00} s); process CPU {run.Cpu.CpuSeconds:0.00} s: {run.Cpu.Top(6)}");
                }
                var engine = engineRuns.MinBy(e => e.Seconds);
                var job = jobRuns.MinBy(j => j.PostToFinished)!;
                var ratio = engine.Seconds / job.PostToFinished;
                var path = BenchReports.Write(pr.GetValue(report), "backtranslate-job", new Dictionary<string, object?>
                {
                    ["benchmark"] = "backtranslate-job",
                    ["command"] = BenchReports.Command(),
                    ["model"] = Path.GetRelativePath(Environment.CurrentDirectory, modelPath) is var rel && !rel.StartsWith("..") ? rel : modelPath,
                    ["config"] = new { translator.Config.DModel, translator.Config.DecoderLayers, translator.Config.VocabSize },
                    ["device"] = translator.Device.Provider,
                    ["onnxruntime"] = OrtRuntime.Version,
                    ["storage"] = pr.GetValue(postgres) is null ? "sqlite" : "postgres",
                    ["rows"] = n,
                    ["batch_size"] = batch,
                    ["threads"] = pr.GetValue(threads),
                    ["decoding"] = "model defaults (greedy unless the model's config says beams), max length from the model config",
                    ["compared"] = "engine: first batch to last batch, texts in memory; job: POST to the server's finish stamp (after the last chunk was stored); fastest run of each",
                    ["engine_rows_per_s"] = Math.Round(n / engine.Seconds, 1),
                    ["job_rows_per_s"] = Math.Round(n / job.PostToFinished, 1),
                    ["job_over_engine"] = Math.Round(ratio, 4),
                    ["within_10_percent"] = ratio >= 0.9,
                    ["job_rows_per_s_reported"] = job.Job.RowsPerSecond,
                    ["job_seconds_post_to_started"] = Math.Round(job.PostToStarted, 3),
                    ["job_seconds_running"] = Math.Round(job.Running, 3),
                    ["job_rows_failed"] = job.Job.RowsFailed,
                    ["job_signature"] = job.Job.Signature,
                    ["engine_seconds"] = engineRuns.Select(e => Math.Round(e.Seconds, 3)).ToArray(),
                    ["job_seconds"] = jobRuns.Select(j => Math.Round(j.PostToFinished, 3)).ToArray(),
                    ["engine_cpu"] = engine.Cpu,
                    ["job_cpu"] = job.Cpu,
                    ["load_average_before"] = loadBefore,
                    ["load_average_after"] = BenchReports.LoadAverage,
                    ["machine"] = BenchReports.Machine,
                    ["measured_at"] = DateTime.UtcNow.ToString("O"),
                });
                Console.WriteLine($"job {n / job.PostToFinished:0.0} rows/s vs engine {n / engine.Seconds:0.0} rows/s: {100 * ratio:0.0} % (batch {batch}, {n} rows); report: {path}");
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

    sealed record JobRun(double PostToFinished, double PostToStarted, double Running, ThreadCpu.Usage Cpu, JobResponse Job);

    /// <summary>Starts a job and follows it as a user's progress bar would; its times are from the POST (this clock) to the
    /// server's start and finish stamps (the same clock: the server runs in this process).</summary>
    static async Task<JobRun> RunJobAsync(AyaQCClient admin, string datasetId, int batch, CancellationToken ct)
    {
        var before = ThreadCpu.Now();
        var posted = DateTimeOffset.UtcNow;
        var job = await admin.StartBackTranslationAsync(datasetId, new StartBackTranslationRequest(BatchSize: batch, Queue: "default"), ct);
        while (job.State is not ("succeeded" or "failed" or "cancelled"))
        {
            await Task.Delay(250, ct);
            job = await admin.GetJobAsync(job.Id, ct);
        }
        var cpu = ThreadCpu.Now().Since(before);
        if (job.State != "succeeded") throw new InvalidOperationException($"job {job.Id} {job.State}: {job.Error}");
        return new JobRun((job.FinishedAt!.Value - posted).TotalSeconds, (job.StartedAt!.Value - posted).TotalSeconds,
            (job.FinishedAt!.Value - job.StartedAt!.Value).TotalSeconds, cpu, job);
    }

    public static Command DatasetsImport()
    {
        var rows = new Option<int>("--rows") { Description = "Rows in the generated dataset", DefaultValueFactory = _ => 1_000_000 };
        var postgres = new Option<string?>("--postgres") { Description = "Import into this PostgreSQL database instead of a temporary SQLite file" };
        var report = new Option<FileInfo?>("--report") { Description = "JSON report path (default reports/bench/datasets-import-<time>.json)" };
        var cmd = new Command("datasets-import", "Stream a generated dataset (1,000,000 rows by default) into a server: rows/s and peak memory");
        foreach (var o in new Option[] { rows, postgres, report }) cmd.Options.Add(o);
        cmd.SetAction(async (pr, ct) =>
        {
            var n = pr.GetValue(rows);
            if (n < 1) { Console.Error.WriteLine("error: --rows must be at least 1"); return 2; }
            var dir = Directory.CreateTempSubdirectory("ayaqc-bench-import-");
            try
            {
                var file = Path.Combine(dir.FullName, "rows.jsonl");
                var generate = Stopwatch.StartNew();
                WriteDataset(file, n);
                var bytes = new FileInfo(file).Length;
                Console.WriteLine($"generated {n:N0} rows ({bytes / 1048576.0:0.0} MiB) in {generate.Elapsed.TotalSeconds:0.0} s");
                var key = ApiTokens.NewAdminKey();
                await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
                {
                    Storage = Storage(pr.GetValue(postgres), dir.FullName), AdminKey = key, LoadShippedSets = false, MinimumLogLevel = LogLevel.Warning,
                    Settings = new Dictionary<string, string?> { ["Jobs:Queues"] = "none" },
                }, ct);
                using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                var admin = new AyaQCClient(http, key);
                await admin.ImportDatasetAsync("warm-up", new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(File.ReadLines(file).Take(1000).Select(l => l + "\n")))), ct: ct);

                GC.Collect();
                var rssBefore = Status("VmRSS");
                var peakReset = ResetPeak(); // the peak from here on, not the generation's or start-up's
                var loadBefore = BenchReports.LoadAverage;
                var clock = Stopwatch.StartNew();
                DatasetResponse dataset;
                await using (var body = File.OpenRead(file)) dataset = await admin.ImportDatasetAsync("bench", body, ct: ct);
                var seconds = clock.Elapsed.TotalSeconds;
                var peak = Status("VmHWM");
                if (dataset.Rows != n) throw new InvalidOperationException($"imported {dataset.Rows} rows, expected {n}");
                var path = BenchReports.Write(pr.GetValue(report), "datasets-import", new Dictionary<string, object?>
                {
                    ["benchmark"] = "datasets-import",
                    ["command"] = BenchReports.Command(),
                    ["storage"] = pr.GetValue(postgres) is null ? "sqlite" : "postgres",
                    ["durability"] = server.Services.GetService(typeof(SqlDatabase)) is SqlDatabase db ? db.DurabilitySettings : null,
                    ["rows"] = n,
                    ["file_mib"] = Math.Round(bytes / 1048576.0, 1),
                    ["format"] = "jsonl (id, languages, source, translation, 1 metadata column, 1 signal)",
                    ["seconds"] = Math.Round(seconds, 2),
                    ["rows_per_s"] = Math.Round(n / seconds, 0),
                    ["rss_before_mib"] = rssBefore is { } b ? Math.Round(b / 1024.0, 1) : null,
                    ["peak_rss_mib"] = peak is { } p ? Math.Round(p / 1024.0, 1) : null,
                    ["peak_is_since_import_start"] = peakReset,
                    ["note"] = "client and server in one process: the peak covers both (file streamed from disk, rows inserted 500 per statement in one transaction)",
                    ["load_average_before"] = loadBefore,
                    ["load_average_after"] = BenchReports.LoadAverage,
                    ["machine"] = BenchReports.Machine,
                    ["measured_at"] = DateTime.UtcNow.ToString("O"),
                });
                Console.WriteLine($"imported {n:N0} rows in {seconds:0.0} s: {n / seconds:0} rows/s; peak RSS {peak / 1024.0:0} MiB " +
                                  $"(before {rssBefore / 1024.0:0} MiB, file {bytes / 1048576.0:0} MiB); report: {path}");
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

    /// <summary>A /proc/self/status field in KiB (VmRSS now, VmHWM the peak), null off Linux.</summary>
    static long? Status(string field)
    {
        if (!File.Exists("/proc/self/status")) return null;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Linux resets the peak RSS (VmHWM) to the current RSS when "5" is written to clear_refs.</summary>
    static bool ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}
