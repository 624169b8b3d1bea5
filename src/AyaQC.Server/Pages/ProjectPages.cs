using System.Globalization;
using System.Text;
using AyaQC.Server.Apis;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>
/// Project-lead pages for assessment projects (admin role): the list, and a project's dashboard — progress, votes
/// per row, agreement over time, control accuracy per assessor, suspensions with their evidence, cost per accepted
/// row — each number with the API call that gives it.
/// </summary>
public static class ProjectPages
{
    const int MaxAssessorRows = 200;

    public static void MapProjectPages(this WebApplication app)
    {
        var pages = app.MapGroup("/lead/projects").RequireAuthorization(PagesSetup.AdminPolicy).ExcludeFromDescription();
        pages.MapGet("", Projects);
        pages.MapGet("/{id}", Project);
        pages.MapGet("/{id}/charts/{chart}.png", ChartPng);
    }

    static async Task<IResult> Projects(HttpContext http, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var t = PageText.For(http);
        var projects = (await ProjectsApi.ListProjects(s, ct)).Value!;
        var body = new StringBuilder("<h1>Assessment projects</h1>");
        if (projects.Count == 0) body.Append("<p>No projects yet. Create one with <code>POST /api/v1/projects</code> (docs/assessment.md).</p>");
        else
        {
            body.Append("<div class=\"scroll\"><table><tr><th>project</th><th>state</th><th>rows</th><th>finished</th><th>votes</th><th>suspended</th><th>created</th></tr>");
            foreach (var p in projects.OrderByDescending(p => p.CreatedAt))
                body.Append("<tr><td><a href=\"/lead/projects/").Append(H(Uri.EscapeDataString(p.Id))).Append("\">").Append(H(p.Name)).Append("</a></td><td>")
                    .Append(H(p.State)).Append(CultureInfo.InvariantCulture, $"</td><td class=\"num\">{p.Rows}</td><td class=\"num\">{p.FinishedRows}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{p.Votes}</td><td class=\"num\">{p.SuspendedAssessors}</td><td>")
                    .Append(p.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC</td></tr>");
            body.Append("</table></div>");
        }
        body.Append("<p class=\"api\">API: <a href=\"/api/v1/projects\"><code>GET /api/v1/projects</code></a></p>");
        return Page(http, t, "Projects", body.ToString());
    }

    static async Task<IResult> Project(string id, string? price, HttpContext http, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var t = PageText.For(http);
        if (!TryPrice(price, out var perVote))
            return Page(http, t, "Bad price", "<h1>Bad price</h1><p class=\"notice\" role=\"alert\">price: must be a number ≥ 0 (price per vote)</p>", 400);
        if (await ProjectDashboard.LoadAsync(id, s, perVote, ct) is not { } d)
            return Page(http, t, "Not found", $"<h1>Project not found</h1><p class=\"notice\">project '{H(id)}' does not exist</p>", 404);
        return Page(http, t, d.Project.Name, Body(d));
    }

    static bool TryPrice(string? text, out double price)
    {
        price = ProjectDashboard.DefaultPricePerVote;
        return text is null || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out price) && double.IsFinite(price) && price >= 0);
    }

    /// <summary>The dashboard's markup; public for <c>ayaqc bench pages</c>.</summary>
    public static string Body(ProjectDashboard d)
    {
        var p = d.Project;
        var idPath = Uri.EscapeDataString(p.Id);
        var body = new StringBuilder(64 * 1024);
        body.Append("<h1>").Append(H(p.Name)).Append("</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>{H(p.State)} · task {H(p.Task)} · {p.Pool.Count} assessors in the pool · {p.ControlItems} control items")
            .Append(p.Deadline is { } deadline ? " · deadline " + deadline.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "").Append("</p>")
            .Append("<div class=\"scroll\"><table><tr><th>rows</th><th>finished</th><th>votes (controls included)</th><th>valid votes per row</th><th>Krippendorff's α</th>")
            .Append("<th>accepted rows</th><th>cost per accepted row</th><th>suspended</th></tr><tr>")
            .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{p.Rows}</td><td class=\"num\">{p.FinishedRows}</td><td class=\"num\">{p.Votes}</td>")
            .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{d.VotesPerRowMean:0.00}</td><td class=\"num\">{F(d.Alpha)}</td><td class=\"num\">{d.AcceptedRows}</td>")
            .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{F(d.CostPerAcceptedRow)}</td><td class=\"num\">{p.SuspendedAssessors}</td></tr></table></div>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Cost = votes × {d.PricePerVote} per vote / rows labelled good (change it: <code>?price=0.08</code>).</p>")
            .Append("<p class=\"api\">Same numbers: <a href=\"/api/v1/projects/").Append(H(idPath)).Append("\"><code>GET /api/v1/projects/").Append(H(p.Id)).Append("</code></a>, ")
            .Append("<a href=\"/api/v1/projects/").Append(H(idPath)).Append("/labels\"><code>…/labels</code></a>, ")
            .Append("<a href=\"/api/v1/projects/").Append(H(idPath)).Append("/agreement\"><code>…/agreement</code></a> · signatures <code>")
            .Append(H(p.Signature)).Append("</code>, <code>").Append(H(d.LabelSignature)).Append("</code></p>")
            .Append("<p><a href=\"/lead/projects/").Append(H(idPath)).Append("/hter\">HTER of accepted post-edits (all rows and kept rows)</a></p><div class=\"charts\">");
        foreach (var name in ProjectDashboard.ChartNames)
            body.Append("<figure>").Append(d.Chart(name)!.Svg()).Append("<figcaption><a href=\"/lead/projects/").Append(H(idPath))
                .Append("/charts/").Append(name).Append(".png\" download>PNG</a></figcaption></figure>");
        body.Append("</div>");

        body.Append("<h2>Suspensions</h2>");
        if (d.Suspensions.Count == 0) body.Append("<p>None.</p>");
        else
        {
            body.Append("<div class=\"scroll\"><table><tr><th>assessor</th><th>what</th><th>signal</th><th>evidence</th><th>after votes</th><th>when</th></tr>");
            foreach (var e in d.Suspensions)
                body.Append("<tr><td><code>").Append(H(e.AssessorId)).Append("</code></td><td>").Append(H(e.Kind)).Append("</td><td>").Append(H(e.Signal ?? "–"))
                    .Append("</td><td>").Append(H(e.Reason)).Append(CultureInfo.InvariantCulture, $"</td><td class=\"num\">{e.AfterVotes}</td><td>")
                    .Append(e.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC</td></tr>");
            body.Append("</table></div>");
        }
        body.Append("<p class=\"api\">API: <a href=\"/api/v1/projects/").Append(H(idPath)).Append("/suspensions\"><code>GET /api/v1/projects/")
            .Append(H(p.Id)).Append("/suspensions</code></a>; reinstate with <code>POST …/assessors/{assessorId}/reinstate</code></p>");

        body.Append("<h2>Assessors</h2>");
        var ranked = d.RankedByControls().Concat(d.Assessors.Where(a => a.Controls == 0)).ToList();
        if (ranked.Count > MaxAssessorRows)
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">The best {MaxAssessorRows} of {ranked.Count} by control accuracy; the API lists everyone.</p>");
        body.Append("<div class=\"scroll\"><table><tr><th>assessor</th><th>answers</th><th>controls right</th><th>skill</th><th>agreement</th><th>too fast</th><th>suspended</th></tr>");
        foreach (var a in ranked.Take(MaxAssessorRows))
            body.Append("<tr><td><code>").Append(H(a.AssessorId)).Append(CultureInfo.InvariantCulture, $"</code></td><td class=\"num\">{a.Answers}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{a.ControlsRight} / {a.Controls}</td><td class=\"num\">{a.Skill:0.000}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{a.Agreements} / {a.AgreementChecks}</td><td class=\"num\">{a.FastAnswers}</td><td>")
                .Append(a.Suspended ? "yes" : "no").Append("</td></tr>");
        body.Append("</table></div><p class=\"api\">API: <a href=\"/api/v1/projects/").Append(H(idPath)).Append("/assessors\"><code>GET /api/v1/projects/")
            .Append(H(p.Id)).Append("/assessors</code></a></p>");
        return body.ToString();
    }

    static async Task<IResult> ChartPng(string id, string chart, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        if (!ProjectDashboard.ChartNames.Contains(chart)) return Problems.NotFound("chart", chart);
        if (await ProjectDashboard.LoadAsync(id, s, ProjectDashboard.DefaultPricePerVote, ct, onlyChart: chart) is not { } d) return Problems.NotFound("project", id);
        return TypedResults.File(d.Chart(chart)!.Png(), "image/png", $"{id}-{chart}.png");
    }

    static string F(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}
