using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using AyaQC.Core.Metrics;

namespace AyaQC.Cli.Metrics;

/// <summary>
/// <c>ayaqc bench metrics</c>: sentence pairs per second and bytes allocated per pair for TER, chrF, chrF++ and
/// sentence BLEU, single-threaded, on deterministic synthetic pairs; results in reports/bench/metrics.json.
/// </summary>
internal static class MetricsBenchmarkCommand
{
    /// <summary>sacreBLEU 2.6.0 on one core of this kind of machine, as measured in the issue (pairs/s).</summary>
    static readonly Dictionary<string, (double Low, double High, string Note)> SacreBleuReference = new()
    {
        ["TER"] = (360, 1000, "360 on raw ~20-word news sentences, 1,000 on tokenised ~17-token ones"),
        ["chrF"] = (3000, 4500, "3,000-4,500"),
        ["chrF++"] = (3000, 4500, "3,000-4,500"),
        ["BLEU"] = (9000, 10000, "sentence BLEU 9,000-10,000"),
    };

    public static Command Create()
    {
        var pairs = new Option<int>("--pairs") { Description = "Number of synthetic pairs", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the pair generator", DefaultValueFactory = _ => 42 };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes per metric (the median is reported)", DefaultValueFactory = _ => 3 };
        var minWords = new Option<int>("--min-words") { Description = "Shortest reference, in words", DefaultValueFactory = _ => 15 };
        var maxWords = new Option<int>("--max-words") { Description = "Longest reference, in words", DefaultValueFactory = _ => 40 };
        var output = new Option<string>("--output") { Description = "JSON result file", DefaultValueFactory = _ => Path.Combine("reports", "bench", "metrics.json") };
        var cmd = new Command("metrics", "Throughput and allocations of TER, chrF, chrF++ and BLEU on one core");
        foreach (var o in new Option[] { pairs, seed, repeats, minWords, maxWords, output }) cmd.Options.Add(o);
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var n = pr.GetValue(pairs);
            var (min, max) = (pr.GetValue(minWords), pr.GetValue(maxWords));
            if (n < 1 || min < 1 || max < min)
            {
                return CliExit.Refuse("need --pairs ≥ 1 and 1 ≤ --min-words ≤ --max-words", pr.InvocationConfiguration.Error);
            }
            var result = Run(n, pr.GetValue(seed), Math.Max(1, pr.GetValue(repeats)), min, max);
            var path = pr.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, HterCommand.Json), new UTF8Encoding(false), ct);
            var o = pr.InvocationConfiguration.Output;
            await o.WriteLineAsync($"{result.Pairs} pairs, {result.MeanReferenceWords:0.0} reference words on average, one thread (load average {result.LoadAverage ?? "n/a"})");
            foreach (var m in result.Metrics)
                await o.WriteLineAsync($"{m.Metric,-7} {m.PairsPerSecond,10:N0} pairs/s ({m.PairsPerCpuSecond:N0} per CPU-second)  {m.MicrosecondsPerPair,7:0.00} µs/pair  {m.AllocatedBytesPerPair,8:0.0} B/pair  " +
                    $"mean {m.MeanScore:0.00}  vs sacreBLEU {m.SacreBleuReference}: {m.SpeedupVsSacreBleuFastest:0}x");
            await o.WriteLineAsync($"wrote {path}");
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// PairsPerSecond is wall-clock; PairsPerCpuSecond divides by the process's CPU time over the same loop, which
    /// stays meaningful when other processes share the cores (the loop is single-threaded and allocation-free).
    /// </summary>
    internal sealed record MetricResult(string Metric, string Signature, double PairsPerSecond, double PairsPerCpuSecond, double MicrosecondsPerPair,
        double AllocatedBytesPerPair, double MeanScore, string SacreBleuReference, double SpeedupVsSacreBleuFastest, double SpeedupVsSacreBleuSlowest);

    internal sealed record BenchResult(string Command, int Pairs, int Seed, int Repeats, double MeanReferenceWords, double MeanHypothesisWords,
        string Runtime, string Os, int ProcessorCount, string? LoadAverage, bool SacreBleuImportable, IReadOnlyList<MetricResult> Metrics);

    internal static BenchResult Run(int count, int seed, int repeats, int minWords = 15, int maxWords = 40)
    {
        var data = new SyntheticPairs(seed).Generate(count, minWords, maxWords);
        var ter = new TranslationEditRate();
        var metrics = new (string Name, string Signature, Func<string, string, double> Score)[]
        {
            ("TER", ter.Signature, ter.SentenceScore),
            ("chrF", ChrF.Standard.Signature, ChrF.Standard.SentenceScore),
            ("chrF++", ChrF.PlusPlus.Signature, ChrF.PlusPlus.SentenceScore),
            ("BLEU", Bleu.Sentence.Signature, Bleu.Sentence.SentenceScore),
        };
        var results = new List<MetricResult>();
        foreach (var (name, signature, score) in metrics)
        {
            // Warm-up: JIT tiers and the per-thread buffers reach their steady size.
            for (var w = 0; w < 2; w++)
                foreach (var (h, r) in data.Take(Math.Min(count, 2000))) score(h, r);
            var runs = new List<(double Seconds, double CpuSeconds, long Bytes, double Sum)>();
            var process = Process.GetCurrentProcess();
            for (var k = 0; k < repeats; k++)
            {
                var sum = 0.0;
                var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                foreach (var (h, r) in data) sum += score(h, r);
                watch.Stop();
                process.Refresh();
                runs.Add((watch.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpuBefore).TotalSeconds,
                    GC.GetAllocatedBytesForCurrentThread() - bytesBefore, sum));
            }
            var median = runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
            var perSecond = count / median.Seconds;
            var perCpuSecond = count / runs.Select(r => r.CpuSeconds).Order().ElementAt(runs.Count / 2);
            var reference = SacreBleuReference[name];
            results.Add(new MetricResult(name, signature, Math.Round(perSecond), Math.Round(perCpuSecond), Math.Round(1e6 * median.Seconds / count, 3),
                Math.Round((double)median.Bytes / count, 2), median.Sum / count, reference.Note,
                Math.Round(perSecond / reference.High, 1), Math.Round(perSecond / reference.Low, 1)));
        }
        static int Words(string s) => s.Split(' ').Length;
        return new BenchResult($"ayaqc bench metrics --pairs {count} --seed {seed} --repeats {repeats} --min-words {minWords} --max-words {maxWords}", count, seed, repeats,
            data.Average(p => Words(p.Reference)), data.Average(p => Words(p.Hypothesis)),
            RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, Environment.ProcessorCount,
            LoadAverage(), SacreBleuImportable(), results);
    }

    /// <summary>1, 5 and 15-minute load averages at the end of the run (Linux), to judge how shared the cores were.</summary>
    static string? LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null; }
        catch (IOException) { return null; }
    }

    /// <summary>Whether python3 can import sacrebleu here (it cannot where PyPI is unreachable); then compare by hand.</summary>
    static bool SacreBleuImportable()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("python3", "-c \"import sacrebleu\"")
            { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false });
            if (p == null) return false;
            p.WaitForExit(20_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}
