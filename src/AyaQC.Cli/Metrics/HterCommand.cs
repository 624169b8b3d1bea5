using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AyaQC.Core.Metrics;
using AyaQC.Reports.Hter;

namespace AyaQC.Cli.Metrics;

/// <summary><c>ayaqc hter</c>: HTER report (JSON + self-contained HTML) from post-edited rows in JSONL.</summary>
internal static class HterCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "JSONL rows with translation and post_edit (optional id, post_editor, source_lang/target_lang or language_pair)", Required = true };
        var outputDir = new Option<string>("--output-dir") { Description = "Folder for hter.json, hter.html and the charts as PNG (hter-charts/)", DefaultValueFactory = _ => Path.Combine("reports", "hter") };
        var top = new Option<int>("--top") { Description = "Rows with the highest HTER listed per group", DefaultValueFactory = _ => 10 };
        var caseSensitive = new Option<bool>("--case-sensitive") { Description = "Count case changes as edits (sacreBLEU's TER lower-cases by default)" };
        var normalized = new Option<bool>("--normalized") { Description = "tercom -N normalisation (punctuation tokenised)" };
        var noPunct = new Option<bool>("--no-punct") { Description = "Ignore punctuation" };

        var cmd = new Command("hter", "HTER of machine translations against their post-edits: per language pair and post-editor, JSON and HTML");
        foreach (var o in new Option[] { input, outputDir, top, caseSensitive, normalized, noPunct }) cmd.Options.Add(o);
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var path = pr.GetValue(input)!;
            var dir = pr.GetValue(outputDir)!;
            var ter = new TranslationEditRate(new TerOptions(pr.GetValue(caseSensitive), pr.GetValue(normalized), pr.GetValue(noPunct)));
            try
            {
                var builder = new HterReportBuilder(ter, Math.Max(0, pr.GetValue(top)));
                using (var reader = ScoreCommand.OpenInput(path))
                    await foreach (var (row, where) in PostEditedRowReader.ReadAsync(reader, path, ct))
                    {
                        try { builder.Add(row); }
                        catch (ArgumentException e) { throw new InputException($"{where}: {e.Message}"); }
                    }
                if (builder.Count == 0) throw new InputException($"{path}: no rows");
                var report = builder.Build(Path.GetFileName(path));
                var (json, html) = await WriteAsync(report, dir, ct);
                var o = report.Overall;
                await pr.InvocationConfiguration.Output.WriteLineAsync(
                    $"{o.Rows} rows: mean HTER {o.MeanHter:0.000}, median {o.MedianHter:0.000}, corpus {o.CorpusHter:0.000}, unchanged {o.UnchangedShare:P1}\n" +
                    $"wrote {json}\nwrote {html}");
                return 0;
            }
            catch (Exception e) when (e is InputException or InvalidDataException)
            {
                return CliExit.Refuse(e.Message, pr.InvocationConfiguration.Error);
            }
        });
        return cmd;
    }

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep Swahili and other scripts readable
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes the files through temporary names, so a failure leaves no half-written report.</summary>
    static async Task<(string Json, string Html)> WriteAsync(HterReport report, string dir, CancellationToken ct)
    {
        const string chartFolder = "hter-charts";
        Directory.CreateDirectory(Path.Combine(dir, chartFolder));
        var json = Path.Combine(dir, "hter.json");
        var html = Path.Combine(dir, "hter.html");
        var files = HterReportHtml.Render(report, chartFolder);
        foreach (var (name, chart) in files.Pngs)
            await File.WriteAllBytesAsync(Path.Combine(dir, chartFolder, name), chart.Png(), ct);
        await File.WriteAllTextAsync(json + ".partial", JsonSerializer.Serialize(report, Json), new UTF8Encoding(false), ct);
        await File.WriteAllTextAsync(html + ".partial", files.Html, new UTF8Encoding(false), ct);
        File.Move(json + ".partial", json, overwrite: true);
        File.Move(html + ".partial", html, overwrite: true);
        return (json, html);
    }
}
