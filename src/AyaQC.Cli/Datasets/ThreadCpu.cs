using System.Globalization;
using System.Text.Json.Serialization;

namespace AyaQC.Cli.Datasets;

/// <summary>
/// CPU time of this process and of each of its threads, read from <c>/proc/self/task/*/stat</c> (Linux; elsewhere
/// only the process total). Two samples give who used the CPU in between, by thread name (".NET TP Worker",
/// "DelayedJobSched", ...); threads that ended in between count in the total only.
/// </summary>
public sealed class ThreadCpu
{
    static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux we run on

    readonly Dictionary<int, (string Name, long Ticks)> _threads;
    readonly TimeSpan _process;
    readonly DateTime _at;

    ThreadCpu(Dictionary<int, (string, long)> threads, TimeSpan process, DateTime at) => (_threads, _process, _at) = (threads, process, at);

    public static ThreadCpu Now()
    {
        var threads = new Dictionary<int, (string, long)>();
        if (Directory.Exists("/proc/self/task"))
            foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var open = stat.IndexOf('(');
                    var close = stat.LastIndexOf(')');
                    var fields = stat[(close + 2)..].Split(' ');
                    // fields[0] is the state (field 3); utime and stime are fields 14 and 15
                    threads[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] =
                        (stat[(open + 1)..close], long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
                }
                catch (IOException) { } // the thread ended while we read
            }
        return new ThreadCpu(threads, System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime, DateTime.UtcNow);
    }

    /// <summary>What was used since <paramref name="before"/>: the process's share of one core, and per thread name
    /// (threads of one name added up) the CPU seconds, largest first.</summary>
    public Usage Since(ThreadCpu before)
    {
        var seconds = (_at - before._at).TotalSeconds;
        var cpu = (_process - before._process).TotalSeconds;
        var byName = _threads
            .Select(t => (t.Value.Name, Seconds: (t.Value.Ticks - (before._threads.TryGetValue(t.Key, out var b) && b.Name == t.Value.Name ? b.Ticks : 0)) / TicksPerSecond))
            .Where(t => t.Seconds > 0)
            .GroupBy(t => t.Name)
            .Select(g => new ThreadUsage(g.Key, Math.Round(g.Sum(t => t.Seconds), 2), g.Count()))
            .OrderByDescending(t => t.CpuSeconds).ToList();
        return new Usage(Math.Round(seconds, 2), Math.Round(cpu, 2), Math.Round(100 * cpu / seconds, 2), byName);
    }

    public sealed record ThreadUsage([property: JsonPropertyName("thread")] string Thread, [property: JsonPropertyName("cpu_seconds")] double CpuSeconds,
        [property: JsonPropertyName("count")] int Count);

    public sealed record Usage([property: JsonPropertyName("seconds")] double Seconds, [property: JsonPropertyName("cpu_seconds")] double CpuSeconds,
        [property: JsonPropertyName("percent_of_one_core")] double PercentOfCore, [property: JsonPropertyName("threads")] IReadOnlyList<ThreadUsage> Threads)
    {
        public string Top(int n) => string.Join(", ", Threads.Take(n).Select(t => $"{t.Thread}{(t.Count > 1 ? $" ×{t.Count}" : "")} {t.CpuSeconds:0.00} s"));
    }
}
