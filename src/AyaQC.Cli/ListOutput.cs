using System.CommandLine;
using System.Text.Json;
using AyaQC.Cli.Qualification;
using Spectre.Console;

namespace AyaQC.Cli;

public enum OutputFormat { Table, Tsv, Json }

/// <summary>
/// How a command prints rows: a table fitted to the terminal, plain TSV (the default when output is redirected, so
/// ids and tokens can be scripted; no ANSI codes), or JSON (the API's own shapes).
/// </summary>
public static class ListOutput
{
    public static Option<string?> FormatOption() =>
        new("--format") { Description = "table, tsv or json (default: table on a terminal, tsv when output is redirected)" };

    public static OutputFormat Read(ParseResult pr, Option<string?> option) => pr.GetValue(option)?.ToLowerInvariant() switch
    {
        null => Console.IsOutputRedirected ? OutputFormat.Tsv : OutputFormat.Table,
        "table" => OutputFormat.Table,
        "tsv" => OutputFormat.Tsv,
        "json" => OutputFormat.Json,
        var other => throw new CommandException($"--format '{other}': use table, tsv or json"),
    };

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write<T>(OutputFormat format, string[] headers, IEnumerable<string[]> rows, T value)
    {
        switch (format)
        {
            case OutputFormat.Json:
                Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));
                break;
            case OutputFormat.Tsv:
                Console.Out.Write(Tsv(headers, rows));
                break;
            default:
                var table = new Table().AddColumns(headers.Select(Markup.Escape).ToArray());
                table.Columns[0].NoWrap(); // an id cut over two lines cannot be copied
                foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
                AnsiConsole.Write(table);
                break;
        }
    }

    /// <summary>Header line and one line per row; tabs and line breaks inside a cell become spaces.</summary>
    public static string Tsv(string[] headers, IEnumerable<string[]> rows)
    {
        static string Cell(string s) => s.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
        var text = new System.Text.StringBuilder();
        text.Append(string.Join('\t', headers.Select(Cell))).Append('\n');
        foreach (var row in rows) text.Append(string.Join('\t', row.Select(Cell))).Append('\n');
        return text.ToString();
    }
}
