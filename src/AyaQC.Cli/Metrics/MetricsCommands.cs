using System.CommandLine;

namespace AyaQC.Cli.Metrics;

/// <summary>The metrics area of the CLI: <c>score</c>, <c>hter</c> and <c>bench metrics</c>.</summary>
public static class MetricsCommands
{
    public static void AddTo(RootCommand root, Command bench)
    {
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(HterCommand.Create());
        bench.Subcommands.Add(MetricsBenchmarkCommand.Create());
    }
}
