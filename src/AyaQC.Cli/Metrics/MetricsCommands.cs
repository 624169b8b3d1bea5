using System.CommandLine;

namespace AyaQC.Cli.Metrics;

public static class MetricsCommands
{
    public static void AddTo(RootCommand root, Command bench)
    {
    }
}
