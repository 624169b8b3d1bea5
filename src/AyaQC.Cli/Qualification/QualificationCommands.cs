using System.CommandLine;

namespace AyaQC.Cli.Qualification;

public static class QualificationCommands
{
    public static void AddTo(RootCommand root, Command bench, Command simulate)
    {
    }
}
