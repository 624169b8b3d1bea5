using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using AyaQC.Core.Filtering;
using AyaQC.Filtering;

namespace AyaQC.Cli.Filtering;

/// <summary>
/// <c>ayaqc bench filter</c>: train the agreement model on generated rows (100,000 by default, all labelled) and
/// apply it, timing each; the report goes to a new timestamped file under reports/bench/.
/// </summary>
internal static class FilterBenchCommand
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Generated rows (all labelled)", DefaultValueFactory = _ => 100_000 };
        var outDir = new Option<DirectoryInfo>("--out-dir") { Description = "Report folder", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("reports", "bench")) };
        var options = AgreementOptionsBinder.Options();
        var command = new Command("filter", "Time agreement-model training (target < 30 s for 100,000 rows) and applying it");
        foreach (var o in new Option[] { rows, outDir }.Concat(options.All)) command.Options.Add(o);
        command.SetAction(parse => FilterCommands.Run(parse, "bench filter", () =>
        {
            var o = parse.InvocationConfiguration.Output;
            var agreement = options.Bind(parse);
            var sim = new FilterSimulationOptions { Rows = parse.GetValue(rows), Seed = agreement.Seed, LabelledShare = 1 };
            var clock = Stopwatch.StartNew();
            var table = RowFeatures.Table(FilterSimulation.Generate(sim).Where(r => r.Source == null).Select(r => (r.Signals, r.TrustedLabel)));
            var generate = clock.Elapsed.TotalSeconds;
            var loadBefore = LoadAverage();
            clock.Restart();
            using var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var stages = new List<Dictionary<string, object>>();
            var (stageWall, stageCpu, gen2) = (TimeSpan.Zero, cpuBefore, GC.CollectionCount(2));
            var model = AgreementTrainer.Train(table, agreement, name =>
            {
                process.Refresh();
                var (wall, cpu) = (clock.Elapsed, process.TotalProcessorTime);
                stages.Add(new() { ["stage"] = name, ["seconds"] = (wall - stageWall).TotalSeconds, ["cpu_seconds"] = (cpu - stageCpu).TotalSeconds,
                    ["gen2_collections"] = GC.CollectionCount(2) - gen2 });
                (stageWall, stageCpu, gen2) = (wall, cpu, GC.CollectionCount(2));
            });
            var train = clock.Elapsed.TotalSeconds;
            process.Refresh();
            // CPU seconds of the whole process: on a shared, loaded machine the wall time mostly measures the others.
            var trainCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            clock.Restart();
            var decisions = model.Decide(table);
            var apply = clock.Elapsed.TotalSeconds;
            foreach (var s in stages) o.WriteLine(FormattableString.Invariant($"  {s["stage"],-20} {s["seconds"],8:0.0} s {s["cpu_seconds"],8:0.0} CPU s {s["gen2_collections"],6} gen2 GCs"));
            var report = new Dictionary<string, object?>
            {
                ["benchmark"] = "filter",
                ["command"] = "ayaqc " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                ["utc"] = DateTime.UtcNow.ToString("O"),
                ["rows"] = table.RowCount,
                ["features"] = model.Features.Count,
                ["simulation"] = sim.Signature,
                ["options"] = agreement.Signature,
                ["trainer_kept"] = model.Card.Trainer,
                ["generate_seconds"] = generate,
                ["train_seconds"] = train,
                ["train_cpu_seconds"] = trainCpu,
                ["train_stages"] = stages,
                ["train_target_seconds"] = 30,
                ["train_target_met"] = train < 30,
                ["apply_seconds_with_reasons"] = apply,
                ["apply_rows_per_second"] = table.RowCount / apply,
                ["held_out_auc"] = model.Card.HeldOut.Auc,
                ["verdict"] = model.Card.Verdict,
                ["load_average_before"] = loadBefore,
                ["load_average_after"] = LoadAverage(),
                ["processor_count"] = Environment.ProcessorCount,
                ["runtime"] = Environment.Version.ToString(),
                ["decisions"] = decisions.GroupBy(d => d.Decision).ToDictionary(g => FilterApplyCommand.DecisionText(g.Key), g => g.Count()),
            };
            var dir = parse.GetValue(outDir)!;
            dir.Create();
            var path = Path.Combine(dir.FullName, $"filter-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
            File.WriteAllText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            o.WriteLine($"{table.RowCount:N0} rows × {model.Features.Count} features: trained in {train:0.0} s, {trainCpu:0.0} CPU s (target < 30 s: {(train < 30 ? "met" : "NOT met")}), " +
                        $"applied with reasons in {apply:0.0} s; load average {loadBefore} → {LoadAverage()}");
            o.WriteLine($"report: {path}");
            return 0;
        }));
        return command;
    }

    static string? LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;
}
