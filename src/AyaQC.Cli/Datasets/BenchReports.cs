using System.Runtime.InteropServices;
using System.Text.Json;

namespace AyaQC.Cli.Datasets;

/// <summary>What every dataset and server benchmark report carries: the command, the load average, the machine; written under <c>reports/bench/</c>.</summary>
static class BenchReports
{
    public static string? LoadAverage => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;

    public static object Machine => new { cores = Environment.ProcessorCount, os = RuntimeInformation.OSDescription, dotnet = RuntimeInformation.FrameworkDescription };

    public static string Command(int skip = 3) => "ayaqc bench " + string.Join(" ", Environment.GetCommandLineArgs().Skip(skip - 1).Select(a => a.Contains(' ') ? $"'{a}'" : a));

    public static string Write(FileInfo? report, string name, Dictionary<string, object?> result)
    {
        var path = report?.FullName ?? Path.GetFullPath(Path.Combine("reports", "bench", $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return path;
    }
}
