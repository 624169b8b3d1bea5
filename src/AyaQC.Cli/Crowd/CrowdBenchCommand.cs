using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using AyaQC.Core.Crowd;
using Spectre.Console;

namespace AyaQC.Cli.Crowd;

/// <summary>
/// <c>ayaqc bench crowd</c>: seconds and peak memory of every aggregation method on the shared data sets and on
/// simulated million-vote crowds. Each (data set, method) runs in a fresh child process, so its peak working set
/// is its own; data loading is not timed (crowd-kit's reference timings have the data already loaded).
/// </summary>
internal static class CrowdBenchCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Folder with the crowd-kit shaped data sets (default: shared/crowd-data beside the checkout)" };
        var output = new Option<FileInfo>("--out") { Description = "JSON report path", DefaultValueFactory = _ => new FileInfo(Path.Combine("reports", "bench", "crowd.json")) };
        var methods = new Option<string[]>("--methods") { Description = "Methods to run", DefaultValueFactory = _ => [.. CrowdMethods.Names], AllowMultipleArgumentsPerToken = true };
        var sets = new Option<string[]?>("--sets") { Description = "Data sets to run (default: shared sets + sim-215k + sim-1m-k2 + sim-1m-k5)", AllowMultipleArgumentsPerToken = true };
        var big = new Option<bool>("--big") { Description = "Also run the 10M-vote simulated crowd (1,000,000 tasks × 10 votes, K=5) for memory" };
        var measure = new Option<string?>("--measure") { Description = "(internal) measure one method in this process", Hidden = true };
        var dataset = new Option<string?>("--dataset") { Description = "(internal) data set for --measure", Hidden = true };

        var command = new Command("crowd", "Benchmark the crowd aggregation methods (seconds, peak memory) against crowd-kit's timings");
        foreach (var option in new Option[] { data, output, methods, sets, big, measure, dataset }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var dataFolder = parse.GetValue(data)?.FullName ?? DefaultDataFolder();
            if (parse.GetValue(measure) is { } method)
            {
                var run = CrowdBenchmark.Measure(method, parse.GetValue(dataset) ?? throw new ArgumentException("--dataset is required with --measure"), dataFolder);
                parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(run));
                return 0;
            }
            var names = parse.GetValue(sets) is { Length: > 0 } chosen ? chosen.ToList() : CrowdBenchmark.DefaultSets(dataFolder);
            if (parse.GetValue(big)) names.Add(CrowdBenchmark.TenMillion);
            var report = CrowdBenchmark.RunAll(names, parse.GetValue(methods)!, dataFolder, parse.InvocationConfiguration.Output);
            var file = parse.GetValue(output)!;
            file.Directory?.Create();
            File.WriteAllText(file.FullName + ".tmp", JsonSerializer.Serialize(report, CrowdJson.Options));
            File.Move(file.FullName + ".tmp", file.FullName, overwrite: true);
            parse.InvocationConfiguration.Output.WriteLine($"report: {file.FullName}");
            return report.Runs.Any(r => r.Error != null) ? 1 : 0;
        });
        return command;
    }

    static string DefaultDataFolder()
    {
        var env = Environment.GetEnvironmentVariable("AYAQC_SHARED");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(env)) candidates.Add(Path.Combine(env, "crowd-data"));
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "shared", "crowd-data"));
        candidates.Add("/work/shared/crowd-data");
        return candidates.FirstOrDefault(Directory.Exists) ?? candidates[0];
    }
}

/// <summary>One measurement: a method on a data set, in its own process.</summary>
internal sealed record BenchRun(
    string Dataset, string Method, int Tasks, int Workers, int Labels, long Votes,
    double Seconds, double CpuSeconds, int Repeats, double DataWorkingSetMiB, double PeakWorkingSetMiB, double AllocatedMiB,
    double? Accuracy, int Iterations, string Signature, double? CrowdKitSeconds, double? Speedup, double? CpuSpeedup,
    string? Error = null);

internal sealed record BenchReport(string Command, string GeneratedUtc, string Machine, string Runtime, string Note, IReadOnlyList<BenchRun> Runs);

internal static class CrowdBenchmark
{
    public const string TenMillion = "sim-10m-k5";
    static readonly string[] SharedSets = ["bluebirds", "temp", "rte", "dog", "web"];

    /// <summary>
    /// crowd-kit 1.4.1 seconds from shared/crowd-data/reference.md (same kind of machine, ±30 %, data loaded).
    /// "sim-215k" stands in for reference.md's 215k-answer set: same shape (3 labels, 42,624 tasks, 57 workers),
    /// simulated with 5 votes per task (213,120 votes).
    /// </summary>
    static readonly Dictionary<string, double[]> CrowdKitSeconds = new()
    {
        //               bluebirds temp  rte   dog   web   sim-215k
        ["mv"] = [0.08, 0.11, 0.10, 0.09, 0.12, 0.29],
        ["wawa"] = [0.04, 0.04, 0.04, 0.04, 0.05, 0.56],
        ["ds"] = [0.05, 0.13, 0.17, 0.27, 1.07, 0.66],
        ["onecoin"] = [0.36, 0.28, 0.33, 0.50, 0.21, 0.71],
        ["glad"] = [2.99, 4.30, 7.98, 5.45, 31.63, 102.2],
        ["mace"] = [4.52, 5.05, 7.07, 8.61, 14.52, 96.5],
    };

    static double? CrowdKit(string method, string dataset)
    {
        var column = Array.IndexOf([.. SharedSets, "sim-215k"], dataset);
        return column >= 0 && CrowdKitSeconds.TryGetValue(method, out var row) ? row[column] : null;
    }

    public static List<string> DefaultSets(string dataFolder)
    {
        var sets = SharedSets.Where(s => File.Exists(Path.Combine(dataFolder, s, "answers.tsv"))).ToList();
        sets.AddRange(["sim-215k", "sim-1m-k2", "sim-1m-k5"]);
        return sets;
    }

    static CrowdSimulationOptions? Simulated(string dataset) => dataset switch
    {
        "sim-215k" => new() { Tasks = 42_624, Workers = 57, Labels = 3, VotesPerTask = 5, SpammerShare = 0.2, BiasedShare = 0.1, Seed = 1 },
        "sim-1m-k2" => new() { Tasks = 100_000, Workers = 2_000, Labels = 2, VotesPerTask = 10, SpammerShare = 0.2, BiasedShare = 0.1, Seed = 1 },
        "sim-1m-k5" => new() { Tasks = 100_000, Workers = 2_000, Labels = 5, VotesPerTask = 10, SpammerShare = 0.2, BiasedShare = 0.1, Seed = 1 },
        TenMillion => new() { Tasks = 1_000_000, Workers = 20_000, Labels = 5, VotesPerTask = 10, SpammerShare = 0.2, BiasedShare = 0.1, Seed = 1 },
        _ => null,
    };

    public static BenchRun Measure(string method, string dataset, string dataFolder)
    {
        CrowdAnswers answers;
        int[] truth;
        if (Simulated(dataset) is { } options)
        {
            var crowd = CrowdSimulator.Generate(options);
            (answers, truth) = (crowd.Answers, crowd.World.TrueLabels);
        }
        else
        {
            var folder = Path.Combine(dataFolder, dataset);
            using (var reader = new StreamReader(Path.Combine(folder, "answers.tsv"))) answers = CrowdTsv.ReadAnswers(reader, dataset + "/answers.tsv");
            using (var reader = new StreamReader(Path.Combine(folder, "gold.tsv")))
                truth = answers.TaskLabels(CrowdTsv.ReadTaskLabels(reader, dataset + "/gold.tsv"), out _);
        }
        var aggregator = CrowdMethods.Create(method, TieRule.LowestLabel);
        // Warm-up on a small crowd so JIT compilation is not timed.
        aggregator.Aggregate(CrowdSimulator.Generate(new CrowdSimulationOptions { Tasks = 300, Workers = 20, Labels = answers.LabelCount, Seed = 2 }).Answers);

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var dataWorkingSet = process.WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var repeats = answers.VoteCount < 100_000 ? 5 : 1;
        var seconds = new List<double>();
        var cpu = new List<double>();
        CrowdLabels? result = null;
        for (var r = 0; r < repeats; r++)
        {
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            result = aggregator.Aggregate(answers);
            seconds.Add(clock.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
        }
        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)repeats;
        process.Refresh();
        var median = seconds.Order().ElementAt(seconds.Count / 2);
        var crowdKit = CrowdKit(method, dataset);
        return new BenchRun(dataset, method, answers.TaskCount, answers.WorkerCount, answers.LabelCount, answers.VoteCount,
            median, cpu.Order().ElementAt(cpu.Count / 2), repeats, dataWorkingSet / 1048576.0, process.PeakWorkingSet64 / 1048576.0,
            allocated / 1048576.0, result!.Accuracy(truth), result.Iterations, result.Signature, crowdKit,
            crowdKit is { } ck ? ck / median : null, crowdKit is { } c2 ? c2 / Math.Max(cpu.Order().ElementAt(cpu.Count / 2), 1e-4) : null);
    }

    public static BenchReport RunAll(IReadOnlyList<string> datasets, IReadOnlyList<string> methods, string dataFolder, TextWriter log)
    {
        var runs = new List<BenchRun>();
        foreach (var dataset in datasets)
            foreach (var method in methods)
            {
                var run = RunChild(method, dataset, dataFolder);
                runs.Add(run);
                log.WriteLine(run.Error != null
                    ? $"{dataset,-10} {method,-8} ERROR {run.Error}"
                    : $"{dataset,-10} {method,-8} {run.Seconds,9:F4} s  cpu {run.CpuSeconds,8:F3} s  peak {run.PeakWorkingSetMiB,7:F0} MiB  acc {run.Accuracy:F4}" +
                      (run.Speedup is { } s ? $"  crowd-kit {run.CrowdKitSeconds:F2} s → {s:F0}× (cpu {run.CpuSpeedup:F0}×)" : ""));
            }
        var table = new Table().AddColumns("data set", "method", "votes", "seconds", "cpu s", "peak MiB", "accuracy", "crowd-kit s", "speed-up", "cpu speed-up");
        foreach (var r in runs.Where(r => r.Error == null))
            table.AddRow(r.Dataset, r.Method, r.Votes.ToString("N0"), r.Seconds.ToString("F4"), r.CpuSeconds.ToString("F3"), r.PeakWorkingSetMiB.ToString("F0"),
                r.Accuracy?.ToString("F4") ?? "-", r.CrowdKitSeconds?.ToString("F2") ?? "-", r.Speedup is { } s ? $"{s:F0}×" : "-",
                r.CpuSpeedup is { } cs ? $"{cs:F0}×" : "-");
        CrowdConsole.WriteTable(log, table);
        return new BenchReport(
            "ayaqc bench crowd " + string.Join(' ', Environment.GetCommandLineArgs().Skip(3)),
            DateTime.UtcNow.ToString("O"),
            $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            "seconds = median wall time of the aggregation only (5 runs below 100k votes, else 1) after a JIT warm-up; " +
            "cpu = the child's processor time over the same runs (the machine is shared, so wall time includes waiting); " +
            "peak = the child process's peak working set (data + method); crowd-kit seconds from shared/crowd-data/reference.md; " +
            "sim-215k is a simulated stand-in for reference.md's 215k-answer set; ties: crowd-kit rule",
            runs);
    }

    static BenchRun RunChild(string method, string dataset, string dataFolder)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(CrowdBenchmark).Assembly.Location);
        foreach (var arg in new[] { "bench", "crowd", "--measure", method, "--dataset", dataset, "--data", dataFolder }) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_gcServer"] = "0";
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(TimeSpan.FromMinutes(30))) { child.Kill(entireProcessTree: true); return Failed("timed out after 30 minutes"); }
        var line = stdout.Result.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (child.ExitCode != 0 || line == null) return Failed($"exit {child.ExitCode}: {stderr.Result.Trim()}");
        return JsonSerializer.Deserialize<BenchRun>(line)!;

        BenchRun Failed(string error) => new(dataset, method, 0, 0, 0, 0, double.NaN, double.NaN, 0, 0, 0, 0, null, 0, "", null, null, null, error);
    }
}
