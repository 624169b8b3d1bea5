using System.CommandLine;

namespace AyaQC.Cli.Crowd;

/// <summary>Crowd truth inference: <c>aggregate</c>, <c>simulate overlap</c>, <c>bench crowd</c>.</summary>
public static class CrowdCommands
{
    public static void AddTo(RootCommand root, Command bench, Command simulate)
    {
        root.Subcommands.Add(AggregateCommand.Create());
        simulate.Subcommands.Add(OverlapCommand.Create());
        bench.Subcommands.Add(CrowdBenchCommand.Create());
    }
}
