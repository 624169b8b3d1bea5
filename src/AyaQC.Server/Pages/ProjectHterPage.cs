using System.Globalization;
using System.Text;
using AyaQC.Core.Metrics;
using AyaQC.Reports.Charts;
using AyaQC.Reports.Hter;
using AyaQC.Server.Apis;
using AyaQC.Storage.Assessment;
using AyaQC.Storage.Filtering;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>
/// A project's HTER page (admin): the accepted post-edits per language pair and post-editor, all of them beside those on
/// rows the filter kept, with the charts of the HTER report — the numbers of <c>GET /api/v1/projects/{id}/hter</c>.
/// </summary>
public static class ProjectHterPage
{
    public static void MapProjectHterPage(this WebApplication app) =>
        app.MapGet("/lead/projects/{id}/hter", Show).RequireAuthorization(PagesSetup.AdminPolicy).ExcludeFromDescription();

    static async Task<IResult> Show(string id, HttpContext http, ProjectStore projects, DecisionStore decisions, CancellationToken ct)
    {
        var t = PageText.For(http);
        if (await HterApi.BuildAsync(id, TerOptions.Default, top: 10, projects, decisions, ct) is not { } r)
            return Page(http, t, "Not found", $"<h1>Project not found</h1><p class=\"notice\">project '{H(id)}' does not exist</p>", 404);
        return Page(http, t, "HTER · " + r.Project.Name, Body(r));
    }

    public static string Body(ProjectHterReports r)
    {
        var idPath = H(Uri.EscapeDataString(r.Project.Id));
        var body = new StringBuilder(32 * 1024);
        body.Append("<h1>HTER of accepted post-edits — ").Append(H(r.Project.Name)).Append("</h1>")
            .Append("<p>HTER of each machine translation against its accepted post-edit (edits per post-edit word; 0 = nothing changed). ")
            .Append("Kept rows are those whose decision is keep: a lead's override, else the latest filter job's decision.</p>")
            .Append("<p class=\"api\">Same numbers: <a href=\"/api/v1/projects/").Append(idPath).Append("/hter\"><code>GET /api/v1/projects/")
            .Append(H(r.Project.Id)).Append("/hter</code></a> (TER options: <code>?caseSensitive=true&amp;normalized=true&amp;noPunct=true</code>), ")
            .Append("<code>ayaqc hter --project ").Append(H(r.Project.Id)).Append(" --output report.html</code> · signature <code>")
            .Append(H(r.Signature)).Append("</code> · <a href=\"/lead/projects/").Append(idPath).Append("\">project dashboard</a></p>");
        if (r.All.Overall.Rows == 0)
        {
            body.Append("<p>No accepted post-edits yet: post-edits count once a reviewer accepts them.</p>");
            return body.ToString();
        }
        if (r.DecisionSignatures.Count == 0) body.Append("<p class=\"muted\">No row has a keep decision yet (run a filter job on the dataset).</p>");
        else
            foreach (var s in r.DecisionSignatures) body.Append("<p class=\"muted\">Kept by <code>").Append(H(s)).Append("</code></p>");

        body.Append("<div class=\"scroll\"><table><tr><th>group</th><th>post-edits</th><th>kept</th><th>mean HTER</th><th>kept mean HTER</th>")
            .Append("<th>median HTER</th><th>corpus HTER</th><th>kept corpus HTER</th><th>unchanged</th></tr>");
        Rows(body, "", [r.All.Overall], [r.Kept.Overall]);
        Rows(body, "language pair ", r.All.ByLanguagePair, r.Kept.ByLanguagePair);
        Rows(body, "post-editor ", r.All.ByPostEditor, r.Kept.ByPostEditor);
        body.Append("</table></div><div class=\"charts\">");
        Figure(body, HterReportHtml.HistogramChart("all accepted post-edits", r.All.Overall));
        if (r.Kept.Overall.Rows > 0) Figure(body, HterReportHtml.HistogramChart("kept rows", r.Kept.Overall));
        var editors = r.All.ByPostEditor;
        Figure(body, Draw.Bars("Accepted post-edits per post-editor", editors.Select(g => g.Name).ToList(),
            editors.Select(g => (double)g.Rows).ToList(), "post-edits"));
        Figure(body, Draw.Bars("Corpus HTER per post-editor", editors.Select(g => g.Name).ToList(),
            editors.Select(g => g.CorpusHter).ToList(), "corpus HTER", counts: false));
        Figure(body, HterReportHtml.EditsChart("all accepted post-edits", r.All.Overall));
        body.Append("</div>");
        return body.ToString();
    }

    static void Rows(StringBuilder body, string prefix, IReadOnlyList<HterGroup> all, IReadOnlyList<HterGroup> kept)
    {
        foreach (var g in all)
        {
            var k = kept.FirstOrDefault(x => x.Name == g.Name);
            body.Append("<tr><td>").Append(H(prefix + g.Name)).Append(CultureInfo.InvariantCulture, $"</td><td class=\"num\">{g.Rows}</td><td class=\"num\">{k?.Rows ?? 0}</td>")
                .Append("<td class=\"num\">").Append(F(g.MeanHter)).Append("</td><td class=\"num\">").Append(k is { Rows: > 0 } ? F(k.MeanHter) : "–")
                .Append("</td><td class=\"num\">").Append(F(g.MedianHter)).Append("</td><td class=\"num\">").Append(F(g.CorpusHter))
                .Append("</td><td class=\"num\">").Append(k is { Rows: > 0 } ? F(k.CorpusHter) : "–")
                .Append(CultureInfo.InvariantCulture, $"</td><td class=\"num\">{g.UnchangedShare:P1}</td></tr>");
        }
    }

    static void Figure(StringBuilder body, Chart chart) => body.Append("<figure>").Append(chart.Svg()).Append("</figure>");

    static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
