using System.Globalization;
using System.Net;
using System.Text;
using AyaQC.Core.Metrics;
using AyaQC.Reports.Charts;

namespace AyaQC.Reports.Hter;

/// <summary>The HTER report as one HTML page (inline CSS and SVG, no scripts) and its charts as PNG files beside it.</summary>
public sealed record HterReportFiles(string Html, IReadOnlyList<(string FileName, Chart Chart)> Pngs);

/// <summary>Renders an <see cref="HterReport"/> with the same charts the dashboard pages draw.</summary>
public static class HterReportHtml
{
    /// <param name="pngFolder">Folder (relative to the HTML file) the PNG links point to; null: no links.</param>
    /// <param name="kept">The same report over the rows a filter kept: adds a kept-vs-all table and the kept rows' sections.</param>
    public static HterReportFiles Render(HterReport report, string? pngFolder = "hter-charts", HterReport? kept = null)
    {
        var pngs = new List<(string, Chart)>();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>HTER report</title><style>");
        html.Append("body{font-family:'DejaVu Sans',sans-serif;margin:24px;color:#222;max-width:1320px}");
        html.Append("table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;vertical-align:top}");
        html.Append("th{background:#f0f3f7}td.text{text-align:left;max-width:420px}code{font-size:12px;color:#555}");
        html.Append("section{border-top:2px solid #3b6ea5;margin-top:28px}h2{margin-bottom:4px}th.text{text-align:left}");
        html.Append(".charts{display:flex;flex-wrap:wrap;gap:16px}.charts svg{max-width:100%;height:auto}figure{margin:0}");
        html.Append("del{background:#fbe0e0;color:#9b1c1c;margin-right:2px}ins{background:#dcf5dc;color:#1f6b1f;text-decoration:none}");
        html.Append("</style></head><body>");
        html.Append("<h1>HTER report</h1>");
        html.Append("<p>HTER is the translation edit rate of each machine translation against its human post-edit ");
        html.Append("(insertions, deletions, substitutions and block shifts per post-edit word); 0 means the post-editor changed nothing that TER sees. ");
        html.Append("Corpus HTER is total edits over total post-edit words; \"unchanged\" counts rows whose post-edit equals the translation exactly.</p>");
        if (report.Source != null) html.Append("<p>Input: <code>").Append(E(report.Source)).Append("</code></p>");
        html.Append("<p>Signature: <code>").Append(E(report.Signature)).Append("</code></p>");

        html.Append("<h2>Summary</h2>");
        SummaryTable(html, "Group", [report.Overall]);
        if (report.ByLanguagePair.Count > 0) { html.Append("<h3>By language pair</h3>"); SummaryTable(html, "Language pair", report.ByLanguagePair); }
        if (report.ByPostEditor.Count > 0) { html.Append("<h3>By post-editor</h3>"); SummaryTable(html, "Post-editor", report.ByPostEditor); }
        if (kept != null) KeptTable(html, report, kept);

        Group(html, pngs, pngFolder, "all", "All rows", report.Overall);
        foreach (var (g, i) in report.ByLanguagePair.Select((g, i) => (g, i))) Group(html, pngs, pngFolder, $"pair-{i + 1}", "Language pair " + g.Name, g);
        foreach (var (g, i) in report.ByPostEditor.Select((g, i) => (g, i))) Group(html, pngs, pngFolder, $"editor-{i + 1}", "Post-editor " + g.Name, g);
        if (kept != null)
        {
            Group(html, pngs, pngFolder, "kept", "Kept rows", kept.Overall);
            foreach (var (g, i) in kept.ByLanguagePair.Select((g, i) => (g, i))) Group(html, pngs, pngFolder, $"kept-pair-{i + 1}", "Kept rows, language pair " + g.Name, g);
            foreach (var (g, i) in kept.ByPostEditor.Select((g, i) => (g, i))) Group(html, pngs, pngFolder, $"kept-editor-{i + 1}", "Kept rows, post-editor " + g.Name, g);
        }
        html.Append("</body></html>\n");
        return new HterReportFiles(html.ToString(), pngs);
    }

    /// <summary>Sentence-HTER histogram of one group (the last bin also holds every HTER above it).</summary>
    public static Chart HistogramChart(string title, HterGroup g) => Draw.Histogram(
        $"Sentence HTER — {title}", g.Histogram.Select(b => new HistogramBin(b.From, b.To, b.Rows)).ToList(),
        "sentence HTER (the last bin holds everything above)");

    public static Chart EditsChart(string title, HterGroup g) => Draw.Bars(
        $"Edits by kind — {title}", ["insertions", "deletions", "substitutions", "shifts"],
        [g.Insertions, g.Deletions, g.Substitutions, g.Shifts], "edits");

    /// <summary>Each group of the full report beside the same group over the kept rows (none kept: 0 rows, no HTER).</summary>
    static void KeptTable(StringBuilder html, HterReport all, HterReport kept)
    {
        html.Append("<h3>Kept rows vs all</h3>");
        if (kept.Source != null) html.Append("<p>Kept: <code>").Append(E(kept.Source)).Append("</code></p>");
        html.Append("<table><tr><th class=\"text\">group</th><th>rows</th><th>kept rows</th><th>mean HTER</th><th>kept mean HTER</th>");
        html.Append("<th>corpus HTER</th><th>kept corpus HTER</th></tr>");
        var groups = new[] { ("", new[] { all.Overall }, new[] { kept.Overall }), ("language pair ", all.ByLanguagePair.ToArray(), kept.ByLanguagePair.ToArray()),
            ("post-editor ", all.ByPostEditor.ToArray(), kept.ByPostEditor.ToArray()) };
        foreach (var (prefix, allGroups, keptGroups) in groups)
            foreach (var g in allGroups)
            {
                var k = keptGroups.FirstOrDefault(x => x.Name == g.Name);
                html.Append("<tr><td class=\"text\">").Append(E(prefix + g.Name)).Append("</td>").Append(Td(g.Rows)).Append(Td(k?.Rows ?? 0))
                    .Append(Td(g.MeanHter)).Append(k is { Rows: > 0 } ? Td(k.MeanHter) : "<td>–</td>")
                    .Append(Td(g.CorpusHter)).Append(k is { Rows: > 0 } ? Td(k.CorpusHter) : "<td>–</td>").Append("</tr>");
            }
        html.Append("</table>");
    }

    static void SummaryTable(StringBuilder html, string keyHeader, IEnumerable<HterGroup> groups)
    {
        html.Append("<table><tr><th>").Append(E(keyHeader)).Append("</th><th>rows</th><th>mean HTER</th><th>median HTER</th><th>corpus HTER</th>");
        html.Append("<th>unchanged</th><th>insertions</th><th>deletions</th><th>substitutions</th><th>shifts</th><th>post-edit words</th></tr>");
        foreach (var g in groups)
        {
            html.Append("<tr><td class=\"text\">").Append(E(g.Name)).Append("</td>")
                .Append(Td(g.Rows)).Append(Td(g.MeanHter)).Append(Td(g.MedianHter)).Append(Td(g.CorpusHter))
                .Append("<td>").Append(Pct(g.UnchangedShare)).Append("</td>")
                .Append(Td(g.Insertions)).Append(Td(g.Deletions)).Append(Td(g.Substitutions)).Append(Td(g.Shifts)).Append(Td(g.RefWords))
                .Append("</tr>");
        }
        html.Append("</table>");
    }

    static void Group(StringBuilder html, List<(string, Chart)> pngs, string? pngFolder, string key, string title, HterGroup g)
    {
        html.Append("<section><h2>").Append(E(title)).Append("</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{g.Rows} rows · mean {F(g.MeanHter)} · median {F(g.MedianHter)} · corpus {F(g.CorpusHter)} · unchanged {Pct(g.UnchangedShare)}</p>");
        html.Append("<div class=\"charts\">");
        Figure(html, pngs, pngFolder, $"{key}-histogram.png", HistogramChart(title, g));
        if (g.Insertions + g.Deletions + g.Substitutions + g.Shifts > 0)
            Figure(html, pngs, pngFolder, $"{key}-edits.png", EditsChart(title, g));
        html.Append("</div>");
        if (g.HighestRows.Count > 0)
        {
            html.Append("<h3>Highest HTER</h3><table><tr><th>id</th><th>HTER</th><th>ins</th><th>del</th><th>sub</th><th>shift</th><th class=\"text\">translation</th><th class=\"text\">post-edit as TER compares it, edits marked</th></tr>");
            foreach (var r in g.HighestRows)
                html.Append("<tr><td class=\"text\">").Append(E(r.Id ?? "")).Append("</td>").Append(Td(r.Hter))
                    .Append(Td(r.Insertions)).Append(Td(r.Deletions)).Append(Td(r.Substitutions)).Append(Td(r.Shifts))
                    .Append("<td class=\"text\">").Append(E(r.Translation)).Append("</td><td class=\"text\">").Append(Marked(r)).Append("</td></tr>");
            html.Append("</table>");
        }
        html.Append("</section>");
    }

    static void Figure(StringBuilder html, List<(string, Chart)> pngs, string? pngFolder, string fileName, Chart chart)
    {
        html.Append("<figure>").Append(chart.Svg());
        if (pngFolder != null)
        {
            pngs.Add((fileName, chart));
            html.Append("<figcaption><a href=\"").Append(E(pngFolder + "/" + fileName)).Append("\" download>PNG</a></figcaption>");
        }
        html.Append("</figure>");
    }

    /// <summary>The post-edit with removed MT words struck through and added or replacing words highlighted.</summary>
    static string Marked(HterRow row)
    {
        if (row.Alignment.Count == 0) return E(row.PostEdit);
        var words = row.Alignment.Select(step => step.Operation switch
        {
            TerOperation.Match => E(step.Reference!),
            TerOperation.Substitution => $"<del>{E(step.Hypothesis!)}</del><ins>{E(step.Reference!)}</ins>",
            TerOperation.Insertion => $"<ins>{E(step.Reference!)}</ins>",
            _ => $"<del>{E(step.Hypothesis!)}</del>",
        });
        var shifted = row.Shifts > 0 ? $" <small>(after {row.Shifts} shift{(row.Shifts > 1 ? "s" : "")} of MT words)</small>" : "";
        return string.Join(' ', words) + shifted;
    }

    static string Td(double v) => "<td>" + F(v) + "</td>";
    static string Td(long v) => "<td>" + v.ToString(CultureInfo.InvariantCulture) + "</td>";
    static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
    static string Pct(double v) => (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    static string E(string s) => WebUtility.HtmlEncode(s);
}
