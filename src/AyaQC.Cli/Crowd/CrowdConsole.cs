using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace AyaQC.Cli.Crowd;

/// <summary>Spectre tables written to the command's output writer as plain text, so tests and pipes see clean tables.</summary>
internal static class CrowdConsole
{
    public static void WriteTable(TextWriter writer, Table table)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200; // never wrap report lines at a guessed terminal width
        console.Write(table);
    }
}

internal static class CrowdJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
