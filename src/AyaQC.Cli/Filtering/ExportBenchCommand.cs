using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AyaQC.Cli.Qualification;
using AyaQC.Client;
using AyaQC.Server.Apis;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using AyaQC.Storage.Filtering;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Cli.Filtering;

/// <summary>
/// <c>ayaqc bench export</c>: generates a dataset (1,000,000 rows by default) into a temporary SQLite database, gives
/// every row a decision, then streams the export over loopback HTTP as a pipeline would and counts rows per second
/// (target ≥ 200,000) and the process's memory growth. Nothing generated is kept; the report goes under reports/bench/.
/// </summary>
internal static class ExportBenchCommand
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Generated rows", DefaultValueFactory = _ => 1_000_000 };
        var format = new Option<string>("--format") { Description = "ndjson or csv", DefaultValueFactory = _ => "ndjson" };
        format.AcceptOnlyFromAmong("ndjson", "csv");
        var db = new Option<FileInfo?>("--db")
        {
            Description = "Keep the generated SQLite database in this file and reuse it when it already holds the rows (repeated runs skip the import; never commit it)",
        };
        var outDir = new Option<DirectoryInfo>("--out-dir") { Description = "Report folder", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("reports", "bench")) };
        var command = new Command("export", "Stream a filtered dataset export over loopback HTTP from SQLite (target ≥ 200,000 rows/s)");
        foreach (var o in new Option[] { rows, format, db, outDir }) command.Options.Add(o);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var n = parse.GetValue(rows);
            var fmt = parse.GetValue(format)!;
            var keptDb = parse.GetValue(db);
            var dir = Directory.CreateTempSubdirectory("ayaqc-bench-export-");
            try
            {
                var key = ApiTokens.NewAdminKey();
                var dbPath = keptDb?.FullName ?? Path.Combine(dir.FullName, "bench.db");
                var storage = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={dbPath}" };
                await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
                {
                    Storage = storage, AdminKey = key, LoadShippedSets = false,
                    Settings = new Dictionary<string, string?> { ["Jobs:Queues"] = "none" },
                }, ct);
                using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                var admin = new AyaQCClient(http, key);

                var clock = Stopwatch.StartNew();
                var datasetName = $"bench-export-{n}";
                var datasetId = (await admin.ListDatasetsAsync(ct)).FirstOrDefault(d => d.Name == datasetName && d.Rows == n)?.Id;
                var reused = datasetId is not null;
                double prepare = 0, decide = 0;
                if (datasetId is null)
                {
                    var file = Path.Combine(dir.FullName, "rows.jsonl");
                    await File.WriteAllLinesAsync(file, Enumerable.Range(1, n).Select(Line), ct);
                    await using (var stream = File.OpenRead(file))
                        datasetId = (await admin.ImportDatasetAsync(datasetName, stream, ct: ct)).Id;
                    File.Delete(file);
                    prepare = clock.Elapsed.TotalSeconds;
                    clock.Restart();
                    var decisionStore = server.Services.GetRequiredService<DecisionStore>();
                    var random = new Random(7);
                    for (var from = 1; from <= n; from += 20_000)
                        await decisionStore.WriteModelDecisionsAsync(datasetId, "bench", "bench|model:none", Enumerable.Range(from, Math.Min(20_000, n - from + 1)).Select(seq =>
                        {
                            var p = random.NextDouble();
                            return new ModelDecision(seq, $"row-{seq}", p >= 0.3 ? "keep" : p < 0.1 ? "drop" : "review", Math.Round(p, 4),
                                p < 0.3 ? "mt_score=0.2 (good rows ~0.7) -0.31" : "", 3, Math.Round(30 + 60 * p, 2), null);
                        }).ToList(), ct);
                    decide = clock.Elapsed.TotalSeconds;
                }
                var decisions = server.Services.GetRequiredService<DecisionStore>();
                // Where the time goes: the database read alone, then the records written into a null stream
                // (read + shaping + JSON/CSV), then the whole export over loopback HTTP read by a client.
                // The process's own background CPU (the embedded server's silo, timers) over 3 idle seconds: it is in
                // every per-CPU-second figure below.
                var idle = await TimeAsync(async () => { await Task.Delay(3000, ct); return 0; });
                async Task<long> ReadAll()
                {
                    long count = 0;
                    await using var reader = await decisions.OpenExportAsync(datasetId, 0, null, null, ct);
                    while (await reader.ReadAsync(ct))
                        foreach (var column in Columns) // every value read, as the writer does
                            count += column is ExportColumn.Seq or ExportColumn.PGood or ExportColumn.Votes or ExportColumn.ChrF or ExportColumn.Hter
                                ? (reader.IsNull(column) ? 0 : 1) : reader.Utf8(column).Length;
                    return count;
                }
                await ReadAll(); // warm-up: the database file into the page cache, code compiled
                var readRun = await TimeAsync(ReadAll);
                var writeRun = await TimeAsync(async () =>
                {
                    await using var sink = new CountingStream();
                    var pipe = PipeWriter.Create(sink);
                    await ExportApi.ExportStream.WriteAsync(c => decisions.OpenExportAsync(datasetId, 0, null, null, c), fmt == "csv", pipe, ct);
                    await pipe.CompleteAsync();
                    return sink.Length;
                });
                var (allRun, memory) = await StreamAsync(http, key, datasetId, fmt, "all", ct); // the full count
                var (keepRun, _) = await StreamAsync(http, key, datasetId, fmt, "keep", ct);
                var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;
                var report = new Dictionary<string, object?>
                {
                    ["benchmark"] = "export",
                    ["command"] = "ayaqc " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                    ["utc"] = DateTime.UtcNow.ToString("O"),
                    ["provider"] = "sqlite",
                    ["format"] = fmt,
                    ["rows"] = n,
                    ["prepare_seconds"] = prepare,
                    ["decide_seconds"] = decide,
                    ["reused_database"] = reused,
                    ["stage_read_rows_per_second"] = n / readRun.Seconds, ["stage_read_rows_per_cpu_second"] = n / readRun.CpuSeconds,
                    ["stage_write_rows_per_second"] = n / writeRun.Seconds, ["stage_write_rows_per_cpu_second"] = n / writeRun.CpuSeconds,
                    ["stage_write_megabytes"] = writeRun.Result / 1e6,
                    ["all_rows"] = allRun.Rows, ["all_seconds"] = allRun.Seconds, ["all_rows_per_second"] = allRun.Rows / allRun.Seconds,
                    ["all_megabytes"] = allRun.Bytes / 1e6,
                    ["all_cpu_seconds"] = allRun.CpuSeconds, ["all_rows_per_cpu_second"] = allRun.Rows / allRun.CpuSeconds,
                    ["keep_rows"] = keepRun.Rows, ["keep_seconds"] = keepRun.Seconds, ["keep_rows_per_second"] = keepRun.Rows / keepRun.Seconds,
                    ["keep_cpu_seconds"] = keepRun.CpuSeconds, ["keep_rows_per_cpu_second"] = keepRun.Rows / keepRun.CpuSeconds,
                    ["target_rows_per_second"] = 200_000,
                    ["target_met"] = allRun.Rows / allRun.Seconds >= 200_000 && keepRun.Rows / keepRun.Seconds >= 200_000,
                    ["working_set_mb_before"] = memory.Before, ["working_set_mb_peak_during"] = memory.Peak,
                    ["load_average_after"] = load,
                    ["processor_count"] = Environment.ProcessorCount,
                    ["runtime"] = Environment.Version.ToString(),
                };
                var outPath = parse.GetValue(outDir)!;
                outPath.Create();
                var path = Path.Combine(outPath.FullName, $"export-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{n:N0} rows ({fmt}): all {allRun.Rows:N0} in {allRun.Seconds:0.00} s = {allRun.Rows / allRun.Seconds:N0} rows/s; " +
                    $"keep {keepRun.Rows:N0} in {keepRun.Seconds:0.00} s = {keepRun.Rows / keepRun.Seconds:N0} rows/s (target ≥ 200,000); " +
                    $"per CPU second of the process: all {allRun.Rows / allRun.CpuSeconds:N0}, keep {keepRun.Rows / keepRun.CpuSeconds:N0} rows; " +
                    $"working set {memory.Before:0} → peak {memory.Peak:0} MB; load average {load}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"stages (all rows): database read {n / readRun.Seconds:N0} rows/s ({n / readRun.CpuSeconds:N0} per CPU s); " +
                    $"read + records written to a null stream {n / writeRun.Seconds:N0} rows/s ({n / writeRun.CpuSeconds:N0} per CPU s); " +
                    $"over HTTP {allRun.Rows / allRun.Seconds:N0} rows/s ({allRun.Rows / allRun.CpuSeconds:N0} per CPU s); " +
                    $"idle process CPU {idle.CpuSeconds / idle.Seconds:P1} of a core"));
                Console.WriteLine($"report: {path}");
            }
            finally
            {
                try { dir.Delete(recursive: true); } catch (IOException) { }
            }
        }));
        return command;
    }

    static string Line(int i) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"id":"row-{{i}}","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"Write a short note about the market number {{i}} in town.","translation":"Andika maelezo mafupi kuhusu soko namba {{i}} mjini.","user_id":"u{{i % 97}}"}""");

    static readonly ExportColumn[] Columns = Enum.GetValues<ExportColumn>();

    static async Task<(long Result, double Seconds, double CpuSeconds)> TimeAsync(Func<Task<long>> work)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = await work();
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (result, seconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>Counts the bytes written and keeps none.</summary>
    sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        long _length;
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) { _length += buffer.Length; return ValueTask.CompletedTask; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>CpuSeconds: the whole process (server and reader); on a loaded, shared machine rows per CPU second says
    /// what the code costs, where wall time mostly measures the other processes.</summary>
    sealed record Run(long Rows, long Bytes, double Seconds, double CpuSeconds);

    /// <summary>Reads the export as a pipeline does (lines counted as they arrive); samples the working set meanwhile.</summary>
    static async Task<(Run, (double Before, double Peak))> StreamAsync(HttpClient http, string key, string datasetId, string format, string decision, CancellationToken ct)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64 / 1e6;
        var peak = before;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/datasets/{datasetId}/export?format={format}&decision={decision}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[128 * 1024];
        long lines = 0, bytes = 0, reads = 0;
        int count;
        while ((count = await body.ReadAsync(buffer, ct)) > 0)
        {
            lines += buffer.AsSpan(0, count).Count((byte)'\n');
            bytes += count;
            if (++reads % 512 == 0)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64 / 1e6);
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (new Run(format == "csv" ? lines - 1 : lines, bytes, seconds, (process.TotalProcessorTime - cpu).TotalSeconds), (before, peak));
    }
}
