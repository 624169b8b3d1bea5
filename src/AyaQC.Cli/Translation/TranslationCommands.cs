using System.CommandLine;

namespace AyaQC.Cli.Translation;

/// <summary>`ayaqc tokenize`, `ayaqc backtranslate` and `ayaqc bench backtranslate`.</summary>
public static class TranslationCommands
{
    public static void AddTo(RootCommand root, Command bench)
    {
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(BackTranslateCommand.Create());
        bench.Subcommands.Add(BackTranslateBenchmark.Create());
    }
}
