using System.Globalization;
using System.Text;
using System.Text.Json;
using AyaQC.Filtering;
using AyaQC.Server.Apis;
using AyaQC.Storage.Filtering;
using Microsoft.AspNetCore.Http.HttpResults;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>
/// A filter job's model card for project leads (admin role): the verdict (does combining crowd and machine signals
/// beat each alone), held-out metrics of the kept model and of the baseline, ROC and calibration on held-out rows,
/// what the job decided, the three column sets compared on the same folds, thresholds and permutation importance —
/// read from <c>GET /api/v1/jobs/{id}/card</c>; each chart also as a PNG.
/// </summary>
public static class ModelCardPage
{
    public static void MapModelCardPage(this WebApplication app)
    {
        var pages = app.MapGroup("/lead/filter-jobs").RequireAuthorization(PagesSetup.AdminPolicy).ExcludeFromDescription();
        pages.MapGet("/{id}", Card);
        pages.MapGet("/{id}/charts/{chart}.png", ChartPng);
    }

    /// <summary>Which trusted sources gave the training labels (nothing when the labels came with the table).</summary>
    static string LabelSourcesLine(ModelCard card) => card.LabelSources.Count == 0 ? ""
        : "<p>labels from: " + string.Join(" · ", card.LabelSources.Select(s => H(s.Source) + string.Create(CultureInfo.InvariantCulture, $" {s.Good} good, {s.Bad} bad")))
          + $" · rule <code>{H(card.LabelRule ?? "")}</code></p>";

    static async Task<IResult> Card(string id, HttpContext http, FilterJobStore filters, DecisionStore decisions, CancellationToken ct)
    {
        var t = PageText.For(http);
        var result = (await JobsApi.GetModelCard(id, filters, decisions, ct)).Result;
        if (result is ProblemHttpResult problem)
            return Page(http, t, "Model card", $"<h1>Model card</h1><p class=\"notice\" role=\"alert\">{H(problem.ProblemDetails.Detail)}</p>", problem.StatusCode);
        return Page(http, t, "Model card", Body(id, ModelCardCharts.FromApi(((Ok<JsonElement>)result).Value)));
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

    public static string Body(string jobId, ModelCardCharts model)
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
