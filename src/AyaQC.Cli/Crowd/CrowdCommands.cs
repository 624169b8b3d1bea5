using System.CommandLine;

namespace AyaQC.Cli.Crowd;

public static class CrowdCommands
{
    public static void AddTo(RootCommand root, Command bench, Command simulate)
    {
    }
}
