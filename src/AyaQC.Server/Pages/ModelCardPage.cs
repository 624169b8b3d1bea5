using System.Globalization;
using System.Text;
using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Filtering;
using AyaQC.Server.Apis;
using AyaQC.Storage.Datasets;
using AyaQC.Storage.Filtering;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>
/// A filter job's model card for project leads (admin role): the verdict (does combining crowd and machine signals
/// beat each alone), held-out metrics of the kept model and of the baseline, ROC and calibration on held-out rows,
/// what the job decided, the three column sets compared on the same folds, thresholds and permutation importance —
/// read from <c>GET /api/v1/jobs/{id}/card</c>; each chart also as a PNG. When the job read a project's votes, a form
/// sends the rows it left in review back to that project's crowd for more votes (the send-back API's handler).
/// </summary>
public static class ModelCardPage
{
    public static void MapModelCardPage(this WebApplication app)
    {
        var pages = app.MapGroup("/lead/filter-jobs").RequireAuthorization(PagesSetup.AdminPolicy).ExcludeFromDescription();
        pages.MapGet("/{id}", Card);
        pages.MapGet("/{id}/charts/{chart}.png", ChartPng);
        pages.MapPost("/{id}/send-back", SendBack).WithMetadata(new RequireAntiforgeryTokenAttribute());
    }

    /// <summary>Which trusted sources gave the training labels (nothing when the labels came with the table).</summary>
    static string LabelSourcesLine(ModelCard card) => card.LabelSources.Count == 0 ? ""
        : "<p>labels from: " + string.Join(" · ", card.LabelSources.Select(s => H(s.Source) + string.Create(CultureInfo.InvariantCulture, $" {s.Good} good, {s.Bad} bad")))
          + $" · rule <code>{H(card.LabelRule ?? "")}</code></p>";

    /// <param name="sent">After a send-back (post, then redirect here): how many rows went back, and with how many more votes each.</param>
    static async Task<IResult> Card(string id, int? sent, int? votes, HttpContext http, FilterJobStore filters, DecisionStore decisions, CancellationToken ct) =>
        await CardPage(id, http, filters, decisions, sent is { } n && votes is { } v
            ? string.Create(CultureInfo.InvariantCulture, $"<p class=\"ok\" role=\"status\" id=\"send-back-result\">{n} rows in review sent back to the crowd: each needs {v} more votes.</p>")
            : "", StatusCodes.Status200OK, ct);

    static async Task<IResult> CardPage(string id, HttpContext http, FilterJobStore filters, DecisionStore decisions, string notice, int status, CancellationToken ct)
    {
        var t = PageText.For(http);
        var result = (await JobsApi.GetModelCard(id, filters, decisions, ct)).Result;
        if (result is ProblemHttpResult problem)
            return Page(http, t, "Model card", $"<h1>Model card</h1><p class=\"notice\" role=\"alert\">{H(problem.ProblemDetails.Detail)}</p>", problem.StatusCode);
        var model = ModelCardCharts.FromApi(((Ok<JsonElement>)result).Value);
        var job = await filters.GetAsync(id, ct);
        return Page(http, t, "Model card", Body(id, model, notice + SendBackForm(http, job, model.Decisions)), status);
    }

    /// <summary>Sends the rows the job left in review back to its project's crowd through the send-back API's handler
    /// (same checks, same answer), then shows the card with how many went back.</summary>
    static async Task<IResult> SendBack(string id, [FromForm] string? votes, HttpContext http, [AsParameters] ProjectServices s,
        FilterJobStore filters, DecisionStore decisions, CancellationToken ct)
    {
        if (await filters.GetAsync(id, ct) is not { } job) return await CardPage(id, http, filters, decisions, "", StatusCodes.Status404NotFound, ct);
        if (job.ProjectId is null)
            return await CardPage(id, http, filters, decisions, Alert("this filter job read no project's votes: there is no crowd to send its rows back to"), StatusCodes.Status409Conflict, ct);
        int? more = null;
        if (!string.IsNullOrWhiteSpace(votes))
        {
            if (!int.TryParse(votes, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                return await CardPage(id, http, filters, decisions, Alert($"votes: '{votes}' is not a whole number"), StatusCodes.Status400BadRequest, ct);
            more = n;
        }
        var result = (await ProjectFollowUpApi.SendBack(job.ProjectId, new SendBackRequest(id, more), s, filters, decisions, ct)).Result;
        if (result is ProblemHttpResult problem)
            return await CardPage(id, http, filters, decisions, Alert(problem.ProblemDetails.Detail ?? "refused"), problem.StatusCode, ct);
        var sent = ((Ok<SendBackResponse>)result).Value!;
        return TypedResults.Redirect(string.Create(CultureInfo.InvariantCulture,
            $"/lead/filter-jobs/{Uri.EscapeDataString(id)}?sent={sent.Rows}&votes={sent.VotesPerRow}#send-back"));
    }

    static string Alert(string text) => $"<p class=\"notice\" role=\"alert\" id=\"send-back-result\">{H(text)}</p>";

    /// <summary>The send-back form, when the job succeeded over a project's votes and left rows in review.</summary>
    static string SendBackForm(HttpContext http, StoredFilterJob? job, ModelCardDecisions? decisions)
    {
        if (job is not { ProjectId: { } projectId, State: JobStates.Succeeded } || decisions is not { Review: > 0 } d) return "";
        var idPath = H(Uri.EscapeDataString(job.Id));
        return new StringBuilder().Append("<h2 id=\"send-back\">Send rows in review back to the crowd</h2>")
            .Append(CultureInfo.InvariantCulture, $"<p>This job left {d.Review} rows in review. Project <a href=\"/lead/projects/{H(Uri.EscapeDataString(projectId))}\"><code>{H(projectId)}</code></a> ")
            .Append("serves each again until it has the extra votes, from assessors who have not voted on it; run the filter job again afterwards.</p>")
            .Append("<form method=\"post\" class=\"send-back\" action=\"/lead/filter-jobs/").Append(idPath).Append("/send-back\">").Append(AntiforgeryField(http))
            .Append(CultureInfo.InvariantCulture, $"<label for=\"votes\">More votes per row</label><input type=\"number\" id=\"votes\" name=\"votes\" min=\"1\" max=\"{ProjectFollowUpApi.MaxMoreVotes}\" value=\"2\" inputmode=\"numeric\" required>")
            .Append(" <button type=\"submit\">Send back</button></form>")
            .Append("<p class=\"api\">Same: <code>POST /api/v1/projects/").Append(H(projectId)).Append("/send-back</code> · <code>ayaqc filter send-back --project ")
            .Append(H(projectId)).Append(" --job ").Append(H(job.Id)).Append(" --votes 2</code></p>").ToString();
    }

    static async Task<IResult> ChartPng(string id, string chart, FilterJobStore filters, DecisionStore decisions, CancellationToken ct)
    {
        if (!ModelCardCharts.ChartNames.Contains(chart)) return Problems.NotFound("chart", chart);
        if ((await JobsApi.GetModelCard(id, filters, decisions, ct)).Result is not Ok<JsonElement> { Value: var response })
            return Problems.NotFound("model card of job", id);
        return ModelCardCharts.FromApi(response).Chart(chart) is { } drawn
            ? TypedResults.File(drawn.Png(), "image/png", $"{id}-{chart}.png")
            : Problems.NotFound("chart", chart);
    }

    /// <param name="afterDecisions">Markup placed after the decisions table (the page's send-back form).</param>
    public static string Body(string jobId, ModelCardCharts model, string afterDecisions = "")
    {
        var card = model.Card;
        var idPath = H(Uri.EscapeDataString(jobId));
        var body = new StringBuilder(64 * 1024);
        body.Append("<h1>Agreement model card</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>{card.LabelledRows} labelled rows ({card.GoodRows} good, {card.BadRows} bad) · trainer {H(card.Trainer)} · data <code>{H(card.DataHash)}</code></p>")
            .Append(LabelSourcesLine(card))
            .Append("<p class=\"held-out-scope\">").Append(H(card.HeldOutScope)).Append("</p>")
            .Append("<p class=\"").Append(card.CombinedBeatsEach ? "ok" : "notice").Append("\">").Append(H(card.Verdict)).Append("</p>")
            .Append("<h2>Held out (out-of-fold)</h2><div class=\"scroll\"><table><tr><th>model</th><th>rows</th><th>AUC</th><th>Brier</th><th>kept</th><th>good among kept</th>")
            .Append("<th>bad caught</th><th>dropped</th><th>bad among dropped</th></tr>");
        foreach (var (name, m) in new[] { ("kept model", card.HeldOut), ("trees", card.TreesHeldOut), ("logistic baseline", card.BaselineHeldOut) })
            body.Append("<tr><td>").Append(name).Append(CultureInfo.InvariantCulture,
                $"</td><td class=\"num\">{m.Rows}</td><td class=\"num\">{m.Auc:0.000}</td><td class=\"num\">{m.Brier:0.000}</td><td class=\"num\">{m.KeptShare:P1}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{m.KeptGoodShare:P1}</td><td class=\"num\">{m.BadCaught:P1}</td><td class=\"num\">{m.DroppedShare:P1}</td><td class=\"num\">{m.DroppedBadShare:P1}</td></tr>");
        body.Append("</table></div>")
            .Append(CultureInfo.InvariantCulture, $"<p>Keep at calibrated P(good) ≥ {card.KeepThreshold:0.000}, drop at ≤ {card.DropThreshold:0.000}, review between.</p>");

        if (model.Decisions is { } d)
            body.Append("<h2>Decisions</h2><div class=\"scroll\"><table><tr><th></th><th>rows</th><th>keep</th><th>drop</th><th>review</th><th>overridden by a lead</th></tr>")
                .Append(CultureInfo.InvariantCulture, $"<tr><td>model</td><td class=\"num\">{d.Rows}</td><td class=\"num\">{d.Keep}</td><td class=\"num\">{d.Drop}</td><td class=\"num\">{d.Review}</td><td class=\"num\">{d.Overridden}</td></tr>")
                .Append(CultureInfo.InvariantCulture, $"<tr><td>after overrides</td><td class=\"num\">{d.Rows}</td><td class=\"num\">{d.KeepAfterOverrides}</td><td class=\"num\">{d.DropAfterOverrides}</td><td class=\"num\">{d.ReviewAfterOverrides}</td><td></td></tr>")
                .Append("</table></div>");
        body.Append(afterDecisions);

        body.Append("<div class=\"charts\">");
        foreach (var name in ModelCardCharts.ChartNames)
            if (model.Chart(name) is { } chart)
                body.Append("<figure>").Append(chart.Svg()).Append("<figcaption><a href=\"/lead/filter-jobs/").Append(idPath)
                    .Append("/charts/").Append(name).Append(".png\" download>PNG</a></figcaption></figure>");
        body.Append("</div>");
        if (card.Roc is null)
            body.Append("<p class=\"muted\">This card was made before held-out ROC points were kept: run the filter job again to see ROC and calibration.</p>");
        foreach (var g in card.Groups.Where(g => g.Note is not null))
            body.Append("<p class=\"muted\">").Append(H(g.Group)).Append(": ").Append(H(g.Note)).Append("</p>");

        if (card.Calibration is { Count: > 0 } bins)
        {
            body.Append("<h2>Calibration bins (held out)</h2><div class=\"scroll\"><table><tr><th>P(good)</th><th>rows</th><th>mean P(good)</th><th>share good</th></tr>");
            foreach (var b in bins)
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{b.From:0.0}–{b.To:0.0}</td><td class=\"num\">{b.Rows}</td><td class=\"num\">{b.MeanPredicted:0.000}</td><td class=\"num\">{b.ObservedGood:0.000}</td></tr>");
            body.Append("</table></div>");
        }
        body.Append("<p class=\"api\">Same numbers: <a href=\"/api/v1/jobs/").Append(idPath).Append("/card\"><code>GET /api/v1/jobs/")
            .Append(H(jobId)).Append("/card</code></a> · signature <code>").Append(H(card.Signature)).Append("</code></p>");
        return body.ToString();
    }
}
