using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AyaQC.Cli.Qualification;
using AyaQC.Client;
using AyaQC.Contracts;
using Spectre.Console;

namespace AyaQC.Cli.Datasets;

/// <summary><c>ayaqc datasets import|list|rows|backtranslate</c> against a running server (admin key).</summary>
public static class DatasetCommands
{
    public static void AddTo(RootCommand root, Command bench)
    {
        var datasets = new Command("datasets", "Datasets on a running server: import, list, browse rows, back-translate (admin key)");
        datasets.Subcommands.Add(Import());
        datasets.Subcommands.Add(List());
        datasets.Subcommands.Add(Rows());
        datasets.Subcommands.Add(BackTranslateJobCommand.Create());
        datasets.Subcommands.Add(BackTranslateJobCommand.Cancel());
        root.Subcommands.Add(datasets);
        root.Subcommands.Add(WorkerCommand.Create());
        bench.Subcommands.Add(DatasetBenchmarks.BackTranslateJob());
        bench.Subcommands.Add(DatasetBenchmarks.DatasetsImport());
        bench.Subcommands.Add(IdleBenchmark.Create());
    }


    static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "Dataset rows: JSONL, or CSV with a header (by the .csv extension or --format)" };
        var name = new Option<string?>("--name") { Description = "Dataset name (default: the file name)" };
        var format = new Option<string?>("--format") { Description = "jsonl or csv (default: by extension)" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var batch = new Option<string?>("--batch-id") { Description = "Resending the same batch id does not import twice" };
        var sourceLang = new Option<string?>("--source-lang") { Description = "source_lang for rows without one, e.g. eng_Latn" };
        var targetLang = new Option<string?>("--target-lang") { Description = "target_lang for rows without one, e.g. swh_Latn" };
        var signals = new Option<string?>("--signals") { Description = "Comma-separated numeric signal columns (columns ending in _score always are)" };
        return ServerConnection.AdminCommand("import", "Import a dataset, streamed (all-or-nothing; problems are listed by line and field)", async (pr, client, ct) =>
        {
            var path = pr.GetValue(file)!;
            if (!path.Exists) throw new CommandException($"file not found: {path.FullName}");
            var fmt = pr.GetValue(format) ?? (path.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "jsonl");
            await using var stream = path.OpenRead();
            var ds = await client.ImportDatasetAsync(pr.GetValue(name) ?? Path.GetFileNameWithoutExtension(path.Name), stream, fmt,
                pr.GetValue(batch), pr.GetValue(sourceLang), pr.GetValue(targetLang), pr.GetValue(signals), ct);
            AnsiConsole.MarkupLine($"{(ds.Replayed ? "already imported" : "imported")} [bold]{ds.Id}[/] {Markup.Escape(ds.Name)}: " +
                                   $"{ds.Rows} rows ({ds.LabelledRows} labelled); signals: {Markup.Escape(List(ds.SignalColumns))}; metadata: {Markup.Escape(List(ds.MetadataColumns))}");
        }, file, name, format, batch, sourceLang, targetLang, signals);
    }

    static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    static Command List()
    {
        var format = ListOutput.FormatOption();
        return ServerConnection.AdminCommand("list", "List datasets", async (pr, client, ct) =>
        {
            var output = ListOutput.Read(pr, format);
            var datasets = await client.ListDatasetsAsync(ct);
            ListOutput.Write(output, ["id", "name", "format", "rows", "labelled", "created"],
                datasets.Select(d => new[] { d.Id, d.Name, d.Format, d.Rows.ToString(CultureInfo.InvariantCulture),
                    d.LabelledRows.ToString(CultureInfo.InvariantCulture), d.CreatedAt.ToString("u", CultureInfo.InvariantCulture) }), datasets);
        }, format);
    }

    static Command Rows()
    {
        var id = new Argument<string>("dataset") { Description = "Dataset id (ds_...)" };
        var limit = new Option<int>("--limit") { Description = "Rows per page (1-1000)", DefaultValueFactory = _ => 20 };
        var cursor = new Option<string?>("--cursor") { Description = "Cursor printed after the previous page" };
        var all = new Option<bool>("--all") { Description = "Follow the cursor to the last page" };
        var hasLabel = new Option<bool?>("--has-label") { Description = "Only rows with (true) or without (false) a trusted label" };
        var failed = new Option<bool?>("--failed") { Description = "Only rows the back-translation job failed (true) or finished (false)" };
        var flagged = new Option<bool?>("--flagged") { Description = "Only rows with (true) or without (false) any mismatch flag" };
        var flag = new Option<string?>("--flag") { Description = "Only rows with this flag (low_similarity, copied_source, wrong_script, number_mismatch, empty_or_truncated, extreme_length_ratio)" };
        var job = new Option<string?>("--job") { Description = "Results of this job (default: the dataset's latest)" };
        var json = new Option<bool>("--json") { Description = "Print rows as JSON Lines (same as --format json)" };
        var format = ListOutput.FormatOption();
        format.Description = "table, tsv or json (JSON Lines); default: table on a terminal, tsv when output is redirected";
        return ServerConnection.AdminCommand("rows", "Browse a dataset's rows with their back-translation results", async (pr, client, ct) =>
        {
            var output = pr.GetValue(json) ? OutputFormat.Json : ListOutput.Read(pr, format);
            var next = pr.GetValue(cursor);
            var lines = new List<string[]>();
            do
            {
                var page = await client.GetDatasetRowsAsync(pr.GetValue(id)!, next, pr.GetValue(limit), pr.GetValue(hasLabel), pr.GetValue(failed),
                    pr.GetValue(flagged), pr.GetValue(flag), pr.GetValue(job), ct);
                foreach (var r in page.Rows)
                    if (output == OutputFormat.Json) Console.WriteLine(JsonSerializer.Serialize(r, DatasetJsonContext.Default.DatasetRowResponse));
                    else
                    {
                        // A terminal table cuts long texts; TSV keeps them whole for scripts.
                        Func<string, string> text = output == OutputFormat.Table ? Cut : s => s;
                        lines.Add([r.Seq.ToString(CultureInfo.InvariantCulture), r.Id, text(r.Source), text(r.Translation),
                            text(r.Result?.BackTranslation ?? ""), r.Result?.ChrF?.ToString("0.0", CultureInfo.InvariantCulture) ?? "",
                            r.Result is null ? "" : r.Result.Failure ?? string.Join(",", r.Result.Flags.Select(f => f.Flag))]);
                    }
                next = page.NextCursor;
            } while (next is not null && pr.GetValue(all));
            if (output != OutputFormat.Json)
                ListOutput.Write(output, ["#", "id", "source", "translation", "back_translation", "chrf", "flags_or_failure"], lines, lines);
            // The cursor goes to stderr so that redirected rows stay one clean TSV or JSON Lines stream.
            if (next is not null) Console.Error.WriteLine($"more rows: --cursor {next}");
        }, id, limit, cursor, all, hasLabel, failed, flagged, flag, job, json, format);
    }

    static string Cut(string s) => s.Length <= 40 ? s : s[..39] + "…";
}
