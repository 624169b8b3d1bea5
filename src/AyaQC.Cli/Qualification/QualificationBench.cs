using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using AyaQC.Client;
using AyaQC.Client.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using AyaQC.Storage.Postgres;
using Spectre.Console;

namespace AyaQC.Cli.Qualification;

/// <summary>
/// <c>ayaqc bench qualification</c>: answers accepted per second and answer latency through the HTTP API on
/// loopback, with many simulated assessors answering at once, on SQLite and on a throwaway PostgreSQL.
/// </summary>
public static class QualificationBench
{
    public sealed record ProviderResult(
        string Provider, string Settings, int Assessors, int ItemsPerAssessor, int Answers, int Failures, double Seconds,
        double AnswersPerSecond, double P50Ms, double P99Ms, double MaxMs, double TargetAnswersPerSecond, double TargetP99Ms,
        bool MeetsTarget, string? Skipped);

    public sealed record Report(
        string Command, DateTimeOffset MeasuredAt, int ProcessorCount, string Os, string Runtime, string Build,
        IReadOnlyList<ProviderResult> Results);

    public static Command Create()
    {
        var assessors = new Option<int>("--assessors") { Description = "Simulated assessors answering concurrently", DefaultValueFactory = _ => 1000 };
        var items = new Option<int>("--items") { Description = "Items per assessor (no early stopping in the bench)", DefaultValueFactory = _ => 40 };
        var providers = new Option<string>("--providers") { Description = "sqlite,postgres", DefaultValueFactory = _ => "sqlite,postgres" };
        var set = new Option<string?>("--set") { Description = "Gold set file or folder (default: the shipped en-sw set)" };
        var output = new Option<string>("--out") { Description = "Report file", DefaultValueFactory = _ => "reports/bench/qualification.json" };
        var command = new Command("qualification", "Qualification answers/s and p50/p99 latency over HTTP on SQLite and PostgreSQL");
        foreach (var o in new Option[] { assessors, items, providers, set, output }) command.Options.Add(o);
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var (setName, jsonl) = GoldSetSource.Load(pr.GetValue(set));
            var results = new List<ProviderResult>();
            foreach (var provider in pr.GetValue(providers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                AnsiConsole.MarkupLine($"[bold]{provider}[/]: {pr.GetValue(assessors)} assessors × {pr.GetValue(items)} items …");
                var r = await MeasureAsync(provider, setName, jsonl, pr.GetValue(assessors), pr.GetValue(items), ct);
                results.Add(r);
                AnsiConsole.MarkupLine(r.Skipped is not null ? $"  skipped: {Markup.Escape(r.Skipped)}"
                    : $"  {r.AnswersPerSecond:0} answers/s, p50 {r.P50Ms:0.0} ms, p99 {r.P99Ms:0.0} ms ({r.Answers} answers in {r.Seconds:0.0} s, {r.Failures} failures) — target {(r.MeetsTarget ? "[green]met[/]" : "[red]not met[/]")}");
            }
            var report = new Report("ayaqc " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), DateTimeOffset.UtcNow,
                Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
#if DEBUG
                "Debug (use -c Release for figures you quote)",
#else
                "Release",
#endif
                results);
            var path = Path.GetFullPath(pr.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), ct);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(path)}");
        }));
        return command;
    }

    static async Task<ProviderResult> MeasureAsync(string provider, string setName, byte[] jsonl, int assessors, int items, CancellationToken ct)
    {
        var (targetRate, targetP99) = provider == "postgres" ? (10_000.0, 50.0) : (5_000.0, 50.0);
        ThrowawayPostgres? pg = null;
        var dir = Directory.CreateTempSubdirectory("ayaqc-bench-");
        try
        {
            StorageOptions storage;
            string settings;
            if (provider == "postgres")
            {
                if (!ThrowawayPostgres.IsAvailable)
                    return new(provider, "", assessors, items, 0, 0, 0, 0, 0, 0, 0, targetRate, targetP99, false, ThrowawayPostgres.MissingMessage);
                pg = await ThrowawayPostgres.StartAsync(durable: true, ct: ct);
                storage = new StorageOptions { Provider = "postgres", ConnectionString = await pg.CreateDatabaseAsync("bench", ct) + ";Maximum Pool Size=32" };
                settings = "throwaway PostgreSQL server on loopback, synchronous_commit=off (crash-safe, last commits may be lost), pool 32, row lock per answer";
            }
            else
            {
                storage = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(dir.FullName, "bench.db")}" };
                settings = "SQLite file, WAL, synchronous=NORMAL, one writer batching concurrent answers into one transaction";
            }
            var key = ApiTokens.NewAdminKey();
            await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options { Storage = storage, AdminKey = key, LoadShippedSets = false }, ct);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = assessors, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = server.BaseAddress,
                Timeout = TimeSpan.FromMinutes(5),
            };
            var round = new SimulatedRound(new AyaQCClient(http, key));
            var noEarlyStop = new RoundPolicy(MinItemsBeforeEarlyStop: items);
            await round.RunAsync(setName, jsonl, new SimulatedRound.Settings(Math.Min(100, assessors), Math.Min(10, items), 1, noEarlyStop, Name: "warm-up"), ct);
            var o = await round.RunAsync(setName, jsonl, new SimulatedRound.Settings(assessors, items, 2, noEarlyStop, Name: "bench"), ct);

            var ms = o.AnswerLatencyTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
            double Pct(double p) => ms.Length == 0 ? 0 : ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(p * ms.Length) - 1)];
            var rate = o.Answers / o.AnsweringTime.TotalSeconds;
            return new(provider, settings, assessors, items, o.Answers, o.Failures, Math.Round(o.AnsweringTime.TotalSeconds, 3), Math.Round(rate, 1),
                Math.Round(Pct(0.50), 2), Math.Round(Pct(0.99), 2), Math.Round(ms.LastOrDefault(), 2), targetRate, targetP99,
                rate >= targetRate && Pct(0.99) < targetP99 && o.Failures == 0, null);
        }
        finally
        {
            if (pg is not null) await pg.DisposeAsync();
            dir.Delete(recursive: true);
        }
    }
}
