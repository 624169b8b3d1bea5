using System.CommandLine;

namespace AyaQC.Cli.Translation;

public static class TranslationCommands
{
    public static void AddTo(RootCommand root, Command bench)
    {
    }
}
