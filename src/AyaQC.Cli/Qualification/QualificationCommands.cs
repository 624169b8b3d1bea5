using System.CommandLine;

namespace AyaQC.Cli.Qualification;

/// <summary>
/// Qualification rounds from the command line: <c>serve</c>, <c>qualification gold-sets|assessors|rounds ...</c>,
/// <c>simulate</c> (a simulated crowd through the HTTP API) and <c>bench qualification</c>.
/// </summary>
public static class QualificationCommands
{
    public static void AddTo(RootCommand root, Command bench, Command simulate)
    {
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(AdminCommands.Create());
        SimulateCommand.Configure(simulate);
        bench.Subcommands.Add(QualificationBench.Create());
    }
}
