using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using Npgsql;
using Spectre.Console;

namespace AyaQC.Cli.Qualification;

/// <summary>
/// <c>ayaqc bench qualification</c>: answers accepted per second and answer latency through the HTTP API on
/// loopback, with many simulated assessors answering at once, on SQLite and on a throwaway PostgreSQL.
/// </summary>
public static class QualificationBench
{
    /// <summary>One measured round: answers accepted per second and the answer POST's latency seen by the client.</summary>
    /// <summary>Gen0/Gen1/Gen2Collections: garbage collections in the process (server and client) during the run.</summary>
    public sealed record Run(
        string Load, double ThinkMs, int Answers, int Failures, double Seconds, double AnswersPerSecond, double P50Ms, double P99Ms, double MaxMs,
        int Gen0Collections, int Gen1Collections, int Gen2Collections);

    /// <summary>
    /// Saturated: every assessor answers back to back (the most answers/s the setup takes; latency is then mostly
    /// queueing, by Little's law ≈ assessors ÷ rate). Paced: each assessor pauses as a reader would, offering the
    /// target rate, which is the latency a crowd working at that rate sees.
    /// </summary>
    public sealed record ProviderResult(
        string Provider, string Settings, int Assessors, int ItemsPerAssessor, Run? Saturated, Run? Paced,
        double TargetAnswersPerSecond, double TargetP99Ms, bool MeetsTarget, string? Skipped);

    /// <summary>LoadAverageBefore/After: /proc/loadavg around the run — the machine may be shared, which the figures reflect.</summary>
    public sealed record Report(
        string Command, DateTimeOffset MeasuredAt, int ProcessorCount, string Os, string Runtime, string Build,
        string? LoadAverageBefore, string? LoadAverageAfter, IReadOnlyList<ProviderResult> Results);

    public static Command Create()
    {
        var assessors = new Option<int>("--assessors") { Description = "Simulated assessors answering concurrently", DefaultValueFactory = _ => 1000 };
        var items = new Option<int>("--items") { Description = "Items per assessor (no early stopping in the bench)", DefaultValueFactory = _ => 40 };
        var providers = new Option<string>("--providers") { Description = "sqlite,postgres", DefaultValueFactory = _ => "sqlite,postgres" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string for the postgres run (an empty database; scripts/throwaway-postgres.sh starts a private server and prints one)" };
        var set = new Option<string?>("--set") { Description = "Gold set file or folder (default: the shipped en-sw set)" };
        var output = new Option<string?>("--out") { Description = "Report file (default: a new reports/bench/qualification-<UTC time>.json)" };
        var command = new Command("qualification", "Qualification answers/s and p50/p99 latency over HTTP on SQLite and PostgreSQL");
        foreach (var o in new Option[] { assessors, items, providers, postgres, set, output }) command.Options.Add(o);
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var (setName, jsonl) = GoldSetSource.Load(pr.GetValue(set));
            var loadBefore = LoadAverage();
            var results = new List<ProviderResult>();
            foreach (var provider in pr.GetValue(providers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                AnsiConsole.MarkupLine($"[bold]{provider}[/]: {pr.GetValue(assessors)} assessors × {pr.GetValue(items)} items …");
                var r = await MeasureAsync(provider, pr.GetValue(postgres), setName, jsonl, pr.GetValue(assessors), pr.GetValue(items), ct);
                results.Add(r);
                if (r.Skipped is not null) AnsiConsole.MarkupLine($"  skipped: {Markup.Escape(r.Skipped)}");
                foreach (var run in new[] { r.Saturated, r.Paced }.OfType<Run>())
                    AnsiConsole.MarkupLine($"  {run.Load}: {run.AnswersPerSecond:0} answers/s, p50 {run.P50Ms:0.0} ms, p99 {run.P99Ms:0.0} ms ({run.Answers} answers in {run.Seconds:0.0} s, {run.Failures} failures, GCs {run.Gen0Collections}/{run.Gen1Collections}/{run.Gen2Collections})");
                if (r.Skipped is null) AnsiConsole.MarkupLine($"  target ≥ {r.TargetAnswersPerSecond:0}/s saturated and p99 < {r.TargetP99Ms:0} ms paced: {(r.MeetsTarget ? "[green]met[/]" : "[red]not met[/]")}");
            }
            var report = new Report("ayaqc " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), DateTimeOffset.UtcNow,
                Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
#if DEBUG
                "Debug (use -c Release for figures you quote)",
#else
                "Release",
#endif
                loadBefore, LoadAverage(), results);
            var path = Path.GetFullPath(pr.GetValue(output) ?? $"reports/bench/qualification-{report.MeasuredAt:yyyyMMdd-HHmmss}.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), ct);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(path)}");
        }));
        return command;
    }

    static string? LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;

    static async Task<Run> MeasureRunAsync(SimulatedRound round, string setName, byte[] jsonl, SimulatedRound.Settings settings, CancellationToken ct)
    {
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var o = await round.RunAsync(setName, jsonl, settings, ct);
        var ms = o.AnswerLatencyTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        double Pct(double p) => ms.Length == 0 ? 0 : ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(p * ms.Length) - 1)];
        return new(settings.ThinkTime > TimeSpan.Zero ? "paced" : "saturated", settings.ThinkTime.TotalMilliseconds, o.Answers, o.Failures,
            Math.Round(o.AnsweringTime.TotalSeconds, 3), Math.Round(o.Answers / o.AnsweringTime.TotalSeconds, 1),
            Math.Round(Pct(0.50), 2), Math.Round(Pct(0.99), 2), Math.Round(ms.LastOrDefault(), 2),
            GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3);
    }

    static async Task<ProviderResult> MeasureAsync(string provider, string? postgres, string setName, byte[] jsonl, int assessors, int items, CancellationToken ct)
    {
        var (targetRate, targetP99) = (10_000.0, 50.0);
        var dir = Directory.CreateTempSubdirectory("ayaqc-bench-");
        try
        {
            StorageOptions storage;
            if (provider == "postgres")
            {
                if (postgres is null)
                    return new(provider, "", assessors, items, null, null, targetRate, targetP99, false,
                        "no --postgres connection string (scripts/throwaway-postgres.sh starts a private server and prints one)");
                storage = new StorageOptions { Provider = "postgres", ConnectionString = postgres };
            }
            else storage = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(dir.FullName, "bench.db")}" };
            string settings;
            await using (var probe = storage.CreateStore()) settings = probe.Durability + await ServerSettingsAsync(storage);
            var key = ApiTokens.NewAdminKey();
            await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options { Storage = storage, AdminKey = key, LoadShippedSets = false }, ct);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = assessors, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = server.BaseAddress,
                Timeout = TimeSpan.FromMinutes(5),
            };
            var round = new SimulatedRound(new AyaQCClient(http, key));
            var noEarlyStop = new RoundPolicy(MinItemsBeforeEarlyStop: items);
            // Tiered compilation with dynamic PGO keeps recompiling hot paths for the first ~10,000 requests;
            // measure after that, not during it.
            await round.RunAsync(setName, jsonl, new SimulatedRound.Settings(Math.Min(250, assessors), Math.Min(40, items), 1,
                new RoundPolicy(MinItemsBeforeEarlyStop: Math.Min(40, items)), Name: "warm-up"), ct);
            var saturated = await MeasureRunAsync(round, setName, jsonl, new SimulatedRound.Settings(assessors, items, 2, noEarlyStop, Name: "bench saturated"), ct);
            var think = TimeSpan.FromMilliseconds(assessors * 1000.0 / targetRate);
            var paced = await MeasureRunAsync(round, setName, jsonl, new SimulatedRound.Settings(assessors, items, 3, noEarlyStop, Name: "bench paced", ThinkTime: think), ct);
            var meets = saturated.AnswersPerSecond >= targetRate && paced.P99Ms < targetP99 && saturated.Failures + paced.Failures == 0;
            return new(provider, settings, assessors, items, saturated, paced, targetRate, targetP99, meets, null);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>PostgreSQL's own durability settings as the server reports them.</summary>
    static async Task<string> ServerSettingsAsync(StorageOptions storage)
    {
        if (storage.ParsedProvider != StorageProvider.Postgres) return "";
        await using var conn = new NpgsqlConnection(storage.ConnectionString);
        await conn.OpenAsync();
        async Task<string> Show(string name)
        {
            await using var cmd = new NpgsqlCommand($"SHOW {name}", conn);
            return $"{name}={await cmd.ExecuteScalarAsync()}";
        }
        return $" (server: {await Show("synchronous_commit")}, {await Show("fsync")}, {await Show("server_version")})";
    }
}
