using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AyaQC.Cli.Qualification;
using AyaQC.Core.Metrics;
using AyaQC.Reports.Hter;

namespace AyaQC.Cli.Metrics;

/// <summary>
/// <c>ayaqc hter</c>: HTER report (JSON + self-contained HTML) from post-edited rows in JSONL (<c>--input</c>), or from
/// a running server over a project's accepted post-edits, all rows and kept rows (<c>--project</c>). Both render with
/// the same report code (<see cref="HterReportHtml"/>).
/// </summary>
internal static class HterCommand
{
    public static Command Create()
    {
        var connection = new ServerConnection();
        var input = new Option<string?>("--input") { Description = "JSONL rows with translation and post_edit (optional id, post_editor, source_lang/target_lang or language_pair)" };
        var project = new Option<string?>("--project") { Description = "Instead of --input: a project on the server (--server, --key): its accepted post-edits, all rows and the rows the filter kept" };
        var outputDir = new Option<string>("--output-dir") { Description = "With --input: folder for hter.json, hter.html and the charts as PNG (hter-charts/)", DefaultValueFactory = _ => Path.Combine("reports", "hter") };
        var output = new Option<string?>("--output", "-o") { Description = "With --project: the HTML file (default reports/hter/<project>.html); the JSON and the charts' PNG go beside it" };
        var top = new Option<int>("--top") { Description = "Rows with the highest HTER listed per group", DefaultValueFactory = _ => 10 };
        var caseSensitive = new Option<bool>("--case-sensitive") { Description = "Count case changes as edits (sacreBLEU's TER lower-cases by default)" };
        var normalized = new Option<bool>("--normalized") { Description = "tercom -N normalisation (punctuation tokenised)" };
        var noPunct = new Option<bool>("--no-punct") { Description = "Ignore punctuation" };

        var cmd = new Command("hter", "HTER of machine translations against their post-edits: per language pair and post-editor, JSON and HTML, from a file or a project on the server");
        foreach (var o in new Option[] { input, project, outputDir, output, top, caseSensitive, normalized, noPunct }) cmd.Options.Add(o);
        connection.AddTo(cmd);
        cmd.Validators.Add(r =>
        {
            if ((r.GetValue(input) is null) == (r.GetValue(project) is null)) r.AddError("give either --input FILE or --project ID");
        });
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var options = new TerOptions(pr.GetValue(caseSensitive), pr.GetValue(normalized), pr.GetValue(noPunct));
            var topRows = Math.Max(0, pr.GetValue(top));
            if (pr.GetValue(project) is { } projectId)
                return await CommandRunner.RunAsync(() => FromServerAsync(pr, connection, projectId, options, topRows,
                    pr.GetValue(output) ?? Path.Combine("reports", "hter", projectId + ".html"), ct));
            var path = pr.GetValue(input)!;
            try
            {
                var builder = new HterReportBuilder(new TranslationEditRate(options), topRows);
                using (var reader = ScoreCommand.OpenInput(path))
                    await foreach (var (row, where) in PostEditedRowReader.ReadAsync(reader, path, ct))
                    {
                        try { builder.Add(row); }
                        catch (ArgumentException e) { throw new InputException($"{where}: {e.Message}"); }
                    }
                if (builder.Count == 0) throw new InputException($"{path}: no rows");
                var report = builder.Build(Path.GetFileName(path));
                var files = await WriteAsync(HterReportHtml.Render(report, "hter-charts"), report, Path.Combine(pr.GetValue(outputDir)!, "hter.html"), ct);
                await pr.InvocationConfiguration.Output.WriteLineAsync($"{Summary(report.Overall)}\nwrote {files.Json}\nwrote {files.Html}");
                return 0;
            }
            catch (Exception e) when (e is InputException or InvalidDataException)
            {
                return CliExit.Refuse(e.Message, pr.InvocationConfiguration.Error);
            }
        });
        return cmd;
    }

    /// <summary>The server builds both reports from its tables (<c>GET /api/v1/projects/{id}/hter</c>); they are rendered here as the file's report is.</summary>
    static async Task FromServerAsync(ParseResult pr, ServerConnection connection, string projectId, TerOptions options, int top, string html, CancellationToken ct)
    {
        var response = await connection.AdminClient(pr).ProjectHterAsync(projectId, options.CaseSensitive, options.Normalized, options.NoPunct, top, ct);
        var all = HterReportContract.FromResponse(response.All);
        var kept = HterReportContract.FromResponse(response.Kept);
        var chartFolder = Path.GetFileNameWithoutExtension(html) + "-charts";
        var model = new ProjectHterFile(response.ProjectId, response.DatasetId, response.Signature, response.KeptBy, response.DecisionSignatures, all, kept);
        var files = await WriteAsync(HterReportHtml.Render(all, chartFolder, kept), model, html, ct);
        await pr.InvocationConfiguration.Output.WriteLineAsync(
            $"all accepted post-edits: {Summary(all.Overall)}\nkept rows: {Summary(kept.Overall)}\nsignature: {response.Signature}\nwrote {files.Json}\nwrote {files.Html}");
    }

    /// <summary>hter.json of a project: both reports in the file report's shape, and what made them.</summary>
    sealed record ProjectHterFile(string ProjectId, string? DatasetId, string Signature, string KeptBy, IReadOnlyList<string> DecisionSignatures,
        HterReport All, HterReport Kept);

    static string Summary(HterGroup o) =>
        $"{o.Rows} rows: mean HTER {o.MeanHter:0.000}, median {o.MedianHter:0.000}, corpus {o.CorpusHter:0.000}, unchanged {o.UnchangedShare:P1}";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep Swahili and other scripts readable
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes the HTML, the JSON beside it (same name, .json) and the charts as PNG (folder &lt;name&gt;-charts) through
    /// temporary names, so a failure leaves no half-written report.</summary>
    static async Task<(string Json, string Html)> WriteAsync<T>(HterReportFiles files, T model, string html, CancellationToken ct)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(html))!;
        var chartDir = Path.Combine(dir, Path.GetFileNameWithoutExtension(html) + "-charts");
        Directory.CreateDirectory(chartDir);
        var json = Path.ChangeExtension(html, ".json");
        foreach (var (name, chart) in files.Pngs)
            await File.WriteAllBytesAsync(Path.Combine(chartDir, name), chart.Png(), ct);
        await File.WriteAllTextAsync(json + ".partial", JsonSerializer.Serialize(model, Json), new UTF8Encoding(false), ct);
        await File.WriteAllTextAsync(html + ".partial", files.Html, new UTF8Encoding(false), ct);
        File.Move(json + ".partial", json, overwrite: true);
        File.Move(html + ".partial", html, overwrite: true);
        return (json, html);
    }
}
