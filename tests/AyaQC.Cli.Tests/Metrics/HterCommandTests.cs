using System.Diagnostics;
using System.Text.Json;
using AyaQC.Core.Metrics;
using SkiaSharp;

namespace AyaQC.Cli.Tests.Metrics;

public class HterCommandTests
{
    const string Rows = """
        {"id": "r1", "source_lang": "eng_Latn", "target_lang": "swh_Latn", "translation": "Habari ya asubuhi rafiki", "post_edit": "Habari za asubuhi rafiki yangu", "post_editor": "amina"}
        {"id": "r2", "source_lang": "eng_Latn", "target_lang": "swh_Latn", "translation": "Ninapenda kusoma vitabu", "post_edit": "Ninapenda kusoma vitabu", "post_editor": "amina"}
        {"id": 3, "source_lang": "eng_Latn", "target_lang": "swh_Latn", "translation": "kitabu hiki ni kizuri sana", "post_edit": "hiki kitabu ni kizuri sana", "post_editor": "baraka"}

        {"id": "r4", "language_pair": "eng_Latn-yor_Latn", "translation": "a b c d", "post_edit": "x y", "post_editor": "baraka"}
        """;

    [Fact]
    public async Task Report_has_groups_edit_kinds_and_an_html_page_with_charts()
    {
        using var cli = new MetricsCli();
        var input = cli.File("rows.jsonl", Rows);
        var dir = cli.PathOf("report");
        var (code, output, error) = await cli.Run("hter", "--input", input, "--output-dir", dir, "--top", "2");
        Assert.True(code == 0, error);
        Assert.Contains("4 rows", output);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "hter.json")));
        var overall = json.RootElement.GetProperty("overall");
        Assert.Equal(4, overall.GetProperty("rows").GetInt32());
        Assert.Equal(0.25, overall.GetProperty("unchanged_share").GetDouble());
        // Corpus HTER = total edits / total post-edit words, from the same TER the library computes.
        var ter = new TranslationEditRate();
        var corpus = ter.CorpusScore([
            ("Habari ya asubuhi rafiki", "Habari za asubuhi rafiki yangu"), ("Ninapenda kusoma vitabu", "Ninapenda kusoma vitabu"),
            ("kitabu hiki ni kizuri sana", "hiki kitabu ni kizuri sana"), ("a b c d", "x y")]);
        Assert.Equal(corpus.Score / 100, overall.GetProperty("corpus_hter").GetDouble(), 12);
        Assert.Equal(corpus.Shifts, overall.GetProperty("shifts").GetInt64());
        Assert.Equal(1, corpus.Shifts); // "kitabu hiki" -> "hiki kitabu"
        var highest = overall.GetProperty("highest_rows");
        Assert.Equal(2, highest.GetArrayLength());
        Assert.Equal("r4", highest[0].GetProperty("id").GetString()); // 4 edits on 2 words: HTER 2.0
        Assert.Equal(2.0, highest[0].GetProperty("hter").GetDouble());

        var pairs = json.RootElement.GetProperty("by_language_pair").EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
        Assert.Equal(["eng_Latn-swh_Latn", "eng_Latn-yor_Latn"], pairs);
        var editors = json.RootElement.GetProperty("by_post_editor").EnumerateArray().ToList();
        Assert.Equal(["amina", "baraka"], editors.Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(0.5, editors[0].GetProperty("unchanged_share").GetDouble());
        // baraka: one shift on 5 words (0.2) and 4 edits on 2 words (2.0); the median of two is their mean.
        Assert.Equal(1.1, editors[1].GetProperty("median_hter").GetDouble(), 12);
        Assert.Equal(0.2, editors[1].GetProperty("highest_rows")[1].GetProperty("hter").GetDouble(), 12);
        var histogram = overall.GetProperty("histogram");
        Assert.Equal(4, histogram.EnumerateArray().Sum(b => b.GetProperty("rows").GetInt32()));

        var html = File.ReadAllText(Path.Combine(dir, "hter.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg", html);
        Assert.Contains("Edits by kind", html);
        Assert.Contains("Post-editor baraka", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "").Replace("http://www.w3.org/1999/xlink", ""));

        // Every chart is also a PNG beside the page, linked from it.
        var pngs = Directory.GetFiles(Path.Combine(dir, "hter-charts"), "*.png").Select(Path.GetFileName).ToList();
        Assert.Contains("all-histogram.png", pngs);
        Assert.Equal(html.Split("<svg").Length - 1, pngs.Count);
        Assert.All(pngs, p => Assert.Contains($"hter-charts/{p}", html));
    }

    /// <summary>
    /// On a machine with no fonts at all (an empty /usr/share/fonts in a private mount namespace) the PNG charts
    /// still carry their titles: the font ships inside AyaQC.Reports.
    /// </summary>
    [PrivateMountFact]
    public async Task Png_charts_have_text_on_a_machine_without_fonts()
    {
        using var cli = new MetricsCli();
        var input = cli.File("rows.jsonl", Rows);
        var dir = cli.PathOf("report");
        var empty = Directory.CreateDirectory(cli.PathOf("no-fonts")).FullName;
        var fontsConf = cli.File("fonts.conf", "<?xml version=\"1.0\"?><fontconfig><dir>" + empty + "</dir></fontconfig>");
        var ayaqc = Path.Combine(AppContext.BaseDirectory, "ayaqc.dll");
        var script = $"mount --bind '{empty}' /usr/share/fonts && exec dotnet '{ayaqc}' hter --input '{input}' --output-dir '{dir}'";
        var start = new ProcessStartInfo("unshare", ["-m", "sh", "-c", script]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["FONTCONFIG_FILE"] = fontsConf;
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);

        foreach (var png in Directory.GetFiles(Path.Combine(dir, "hter-charts"), "*.png"))
        {
            using var bitmap = SKBitmap.Decode(png);
            var dark = 0;
            for (var y = 0; y < 28; y++) // the title strip: white unless the title was drawn
                for (var x = 0; x < bitmap.Width; x++)
                    if (bitmap.GetPixel(x, y) is var c && c.Red + c.Green + c.Blue < 330) dark++;
            Assert.True(dark > 150, $"{Path.GetFileName(png)}: no title pixels ({dark})");
        }
    }

    [Theory]
    [InlineData("{\"translation\": \"a\"}", "line 2: missing field \"post_edit\"")]
    [InlineData("{\"translation\": 5, \"post_edit\": \"a\"}", "line 2: field \"translation\" must be a string, found number")]
    [InlineData("{\"translation\": \"a\", \"post_edit\": \"b\"", "line 2: not valid JSON")]
    [InlineData("[1, 2]", "line 2: expected a JSON object")]
    public async Task Bad_rows_are_reported_by_line_and_field_and_no_report_is_written(string badLine, string message)
    {
        using var cli = new MetricsCli();
        var input = cli.File("rows.jsonl", "{\"translation\": \"a b\", \"post_edit\": \"a c\"}\n" + badLine + "\n");
        var dir = cli.PathOf("report");
        var (code, _, error) = await cli.Run("hter", "--input", input, "--output-dir", dir);
        Assert.Equal(1, code);
        Assert.Contains(message, error);
        Assert.False(Directory.Exists(dir) && Directory.EnumerateFiles(dir).Any());
    }
}

/// <summary>A fact that hides the machine's fonts in a private mount namespace: needs root and util-linux's unshare.</summary>
public sealed class PrivateMountFactAttribute : FactAttribute
{
    public PrivateMountFactAttribute()
    {
        if (!File.Exists("/usr/bin/unshare") || Environment.UserName != "root")
            Skip = "hiding the machine's fonts needs root and /usr/bin/unshare (a private mount namespace); run the tests as root to include this one";
    }
}
