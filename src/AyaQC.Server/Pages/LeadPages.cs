using System.Globalization;
using System.Text;
using AyaQC.Contracts;
using AyaQC.Reports.Charts;
using AyaQC.Reports.Hter;
using AyaQC.Server.Apis;
using AyaQC.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>
/// Project-lead pages (admin role): rounds, a round's dashboard with its charts (PNG downloads beside them),
/// assessors with one-time sign-in links, and the HTER report from an uploaded file. Each page names the API call
/// that gives the same numbers.
/// </summary>
public static class LeadPages
{
    const int MaxAssessorRows = 500, MaxResultRows = 200;
    const long MaxUploadBytes = 64L * 1024 * 1024;

    public static void MapLeadPages(this WebApplication app)
    {
        var pages = app.MapGroup("/lead").RequireAuthorization(PagesSetup.AdminPolicy).ExcludeFromDescription();
        pages.MapGet("", Rounds);
        pages.MapGet("/rounds/{id}", Round);
        pages.MapGet("/rounds/{id}/charts/{chart}.png", RoundChartPng);
        pages.MapGet("/assessors", Assessors);
        pages.MapPost("/assessors/{id}/sign-in-link", CreateLink).RequireFormToken();
        pages.MapGet("/hter", HterForm);
        pages.MapPost("/hter", HterReport).WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes));
    }

    static async Task<ContentHttpResult> Rounds(HttpContext http, IQualificationStore store, TimeProvider clock, CancellationToken ct)
    {
        var t = PageText.For(http);
        var rounds = (await RoundsApi.ListRounds(store, clock, ct)).Value!;
        var body = new StringBuilder("<h1>Qualification rounds</h1>");
        if (rounds.Count == 0) body.Append("<p>No rounds yet. Open one with <code>POST /api/v1/rounds</code> or <code>ayaqc qualification rounds open</code>.</p>");
        else
        {
            body.Append("<div class=\"scroll\"><table><tr><th>round</th><th>status</th><th>participants</th><th>items each</th><th>opened</th></tr>");
            foreach (var r in rounds.OrderByDescending(r => r.CreatedAt))
                body.Append("<tr><td><a href=\"/lead/rounds/").Append(H(Uri.EscapeDataString(r.Id))).Append("\">").Append(H(r.Name)).Append("</a></td><td>")
                    .Append(H(r.Status)).Append("</td><td class=\"num\">").Append(r.Participants).Append("</td><td class=\"num\">").Append(r.ItemsPerAssessor)
                    .Append("</td><td>").Append(r.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC</td></tr>");
            body.Append("</table></div>");
        }
        body.Append("<p class=\"api\">API: <a href=\"/api/v1/rounds\"><code>GET /api/v1/rounds</code></a></p>");
        return Page(http, t, "Rounds", body.ToString());
    }

    static async Task<IResult> Round(string id, HttpContext http, IQualificationStore store, IGrainFactory grains, TimeProvider clock, CancellationToken ct)
    {
        var t = PageText.For(http);
        if ((await RoundsApi.GetResults(id, null, store, grains, clock, ct)).Result is not Ok<RoundResultsResponse> { Value: { } results })
            return Page(http, t, "Not found", $"<h1>Round not found</h1><p class=\"notice\">round '{H(id)}' does not exist</p>", 404);
        return Page(http, t, results.Round.Name, RoundBody(results));
    }

    /// <summary>The dashboard's markup; public for <c>ayaqc bench pages</c>.</summary>
    public static string RoundBody(RoundResultsResponse results)
    {
        var r = results.Round;
        var s = results.Summary;
        var api = $"/api/v1/rounds/{Uri.EscapeDataString(r.Id)}/results";
        var body = new StringBuilder(64 * 1024);
        body.Append("<h1>").Append(H(r.Name)).Append("</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>{H(r.Status)} · {r.Participants} assessors · {r.ItemsPerAssessor} items each · gold set <code>{H(r.GoldSetId)}</code></p>")
            .Append("<div class=\"scroll\"><table><tr><th>pass</th><th>fail</th><th>undecided</th><th>decided early</th><th>items saved by early stopping</th><th>answers</th></tr><tr>")
            .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{s.Passed}</td><td class=\"num\">{s.Failed}</td><td class=\"num\">{s.Undecided}</td><td class=\"num\">{s.DecidedEarly}</td><td class=\"num\">{s.ItemsSaved}</td><td class=\"num\">{s.Answers}</td>")
            .Append("</tr></table></div>")
            .Append("<p class=\"api\">Same numbers: <a href=\"").Append(H(api)).Append("\"><code>GET ").Append(H(api)).Append("</code></a> · signature <code>")
            .Append(H(results.Signature)).Append("</code></p><div class=\"charts\">");
        foreach (var name in RoundDashboard.ChartNames)
        {
            var chart = RoundDashboard.Chart(name, results)!;
            body.Append("<figure>").Append(chart.Svg()).Append("<figcaption><a href=\"/lead/rounds/").Append(H(Uri.EscapeDataString(r.Id)))
                .Append("/charts/").Append(name).Append(".png\" download>PNG</a></figcaption></figure>");
        }
        body.Append("</div><h2>Assessors</h2>");
        var ranked = RoundDashboard.Ranked(results).Concat(results.Assessors.Where(a => !RoundDashboard.Measured(a))).ToList();
        if (ranked.Count > MaxResultRows)
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">The best {MaxResultRows} of {ranked.Count}; the API lists everyone.</p>");
        body.Append("<div class=\"scroll\"><table><tr><th>assessor</th><th>decision</th><th>answered</th><th>accuracy</th><th>Wilson 95 %</th><th>bad recall</th><th>reason</th></tr>");
        foreach (var a in ranked.Take(MaxResultRows))
            body.Append("<tr><td>").Append(H(a.Name)).Append("</td><td>").Append(H(a.Decision)).Append(a.DecidedEarly ? " (early)" : "")
                .Append(CultureInfo.InvariantCulture, $"</td><td class=\"num\">{a.Answered} / {a.Planned}</td>")
                .Append(RoundDashboard.Measured(a)
                    ? string.Create(CultureInfo.InvariantCulture, $"<td class=\"num\">{F(a.Accuracy)}</td><td class=\"num\">{F(a.WilsonLow)}–{F(a.WilsonHigh)}</td>")
                    : "<td class=\"num\">–</td><td class=\"num\">–</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{F(a.BadRecall)}</td><td>")
                .Append(H(a.Reason)).Append("</td></tr>");
        body.Append("</table></div>");
        return body.ToString();
    }

    static async Task<IResult> RoundChartPng(string id, string chart, IQualificationStore store, IGrainFactory grains, TimeProvider clock, CancellationToken ct)
    {
        if (!RoundDashboard.ChartNames.Contains(chart)) return Problems.NotFound("chart", chart);
        if ((await RoundsApi.GetResults(id, null, store, grains, clock, ct)).Result is not Ok<RoundResultsResponse> { Value: { } results })
            return Problems.NotFound("round", id);
        return TypedResults.File(RoundDashboard.Chart(chart, results)!.Png(), "image/png", $"{id}-{chart}.png");
    }

    static async Task<ContentHttpResult> Assessors(HttpContext http, IQualificationStore store, CancellationToken ct)
    {
        var t = PageText.For(http);
        var assessors = (await AssessorsApi.ListAssessors(store, ct)).Value!;
        var body = new StringBuilder("<h1>Assessors</h1><p>A sign-in link lets an assessor open the pages without typing a token; it works once, within 7 days.</p>");
        if (assessors.Count > MaxAssessorRows)
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">The first {MaxAssessorRows} of {assessors.Count}.</p>");
        body.Append("<div class=\"scroll\"><table><tr><th>name</th><th>id</th><th>languages</th><th></th></tr>");
        foreach (var a in assessors.Take(MaxAssessorRows))
            body.Append("<tr><td>").Append(H(a.Name)).Append("</td><td><code>").Append(H(a.Id)).Append("</code></td><td>").Append(H(string.Join(", ", a.Languages)))
                .Append("</td><td><form method=\"post\" action=\"/lead/assessors/").Append(H(Uri.EscapeDataString(a.Id))).Append("/sign-in-link\">")
                .Append(AntiforgeryField(http)).Append("<button type=\"submit\">Sign-in link</button></form></td></tr>");
        body.Append("</table></div><p class=\"api\">API: <a href=\"/api/v1/assessors\"><code>GET /api/v1/assessors</code></a>, <code>POST /api/v1/assessors/{id}/sign-in-links</code></p>");
        return Page(http, t, "Assessors", body.ToString());
    }

    static async Task<ContentHttpResult> CreateLink(string id, HttpContext http, IQualificationStore store, SignInLinkStore links, TimeProvider clock, CancellationToken ct)
    {
        var t = PageText.For(http);
        if ((await SignInLinksApi.CreateLink(id, http, store, links, clock, ct)).Result is not Created<SignInLinkResponse> { Value: { } link })
            return Page(http, t, "Not found", $"<h1>Assessor not found</h1><p class=\"notice\">assessor '{H(id)}' does not exist</p>", 404);
        var body = $"""
            <h1>Sign-in link</h1>
            <p class="ok">Send this link to the assessor. It is shown only now, works once and expires {H(link.ExpiresAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))} UTC.</p>
            <p><code id="sign-in-link">{H(link.Url)}</code></p>
            <p><a href="/lead/assessors">Back to assessors</a></p>
            """;
        return Page(http, t, "Sign-in link", body);
    }

    static ContentHttpResult HterForm(HttpContext http) => Page(http, PageText.For(http), "HTER report", HterFormBody(http, null));

    static string HterFormBody(HttpContext http, string? problem) => $"""
        <h1>HTER report</h1>
        <p>Upload post-edited rows (JSONL: <code>translation</code>, <code>post_edit</code>, optional <code>id</code>, <code>post_editor</code>,
        <code>source_lang</code>/<code>target_lang</code>). The report is the same as <code>ayaqc hter</code> writes.</p>
        {(problem is null ? "" : $"<p class=\"notice\" role=\"alert\">{H(problem)}</p>")}
        <form method="post" action="/lead/hter" enctype="multipart/form-data">{AntiforgeryField(http)}
        <label for="rows">Rows (JSONL)</label><input type="file" id="rows" name="rows" accept=".jsonl,.json,.txt" required>
        <p><button type="submit">Build the report</button></p></form>
        """;

    static async Task<IResult> HterReport(HttpContext http, IFormFile rows, CancellationToken ct)
    {
        var builder = new HterReportBuilder();
        try
        {
            using var reader = new StreamReader(rows.OpenReadStream(), new UTF8Encoding(false, true));
            await foreach (var (row, _) in PostEditedRowReader.ReadAsync(reader, rows.FileName, ct)) builder.Add(row);
            if (builder.Count == 0) throw new InvalidDataException($"{rows.FileName}: no rows");
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException or ArgumentException)
        {
            return Page(http, PageText.For(http), "HTER report", HterFormBody(http, e is DecoderFallbackException ? $"{rows.FileName}: not UTF-8 text" : e.Message), 400);
        }
        var files = HterReportHtml.Render(builder.Build(rows.FileName), pngFolder: null);
        // The report is a finished document with its own inline stylesheet; scripts stay forbidden.
        http.Response.Headers.ContentSecurityPolicy = PagesSetup.ContentSecurityPolicy.Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(files.Html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    static string F(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}
