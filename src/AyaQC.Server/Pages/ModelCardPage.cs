using System.Globalization;
using System.Text;
using System.Text.Json;
using AyaQC.Filtering;
using AyaQC.Reports.Charts;
using AyaQC.Server.Apis;
using AyaQC.Storage.Filtering;
using Microsoft.AspNetCore.Http.HttpResults;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>
/// A filter job's model card for project leads (admin role): the verdict (does combining crowd and machine signals
/// beat each alone), held-out metrics of the kept model and of the baseline, the three column sets compared on the
/// same folds, thresholds and permutation importance — read from <c>GET /api/v1/jobs/{id}/card</c>.
/// </summary>
public static class ModelCardPage
{
    public static void MapModelCardPage(this WebApplication app) =>
        app.MapGet("/lead/filter-jobs/{id}", Card).RequireAuthorization(PagesSetup.AdminPolicy).ExcludeFromDescription();

    static async Task<IResult> Card(string id, HttpContext http, FilterJobStore filters, CancellationToken ct)
    {
        var t = PageText.For(http);
        var result = (await JobsApi.GetModelCard(id, filters, ct)).Result;
        if (result is ProblemHttpResult problem)
            return Page(http, t, "Model card", $"<h1>Model card</h1><p class=\"notice\" role=\"alert\">{H(problem.ProblemDetails.Detail)}</p>", problem.StatusCode);
        var card = ((Ok<JsonElement>)result).Value.Deserialize<ModelCard>(CardJson.Options)!;
        return Page(http, t, "Model card", Body(id, card));
    }

    public static string Body(string jobId, ModelCard card)
    {
        var body = new StringBuilder(32 * 1024);
        body.Append("<h1>Agreement model card</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>{card.LabelledRows} labelled rows ({card.GoodRows} good, {card.BadRows} bad) · trainer {H(card.Trainer)} · data <code>{H(card.DataHash)}</code></p>")
            .Append("<p class=\"").Append(card.CombinedBeatsEach ? "ok" : "notice").Append("\">").Append(H(card.Verdict)).Append("</p>")
            .Append("<h2>Held out (out-of-fold)</h2><div class=\"scroll\"><table><tr><th>model</th><th>rows</th><th>AUC</th><th>Brier</th><th>kept</th><th>good among kept</th>")
            .Append("<th>bad caught</th><th>dropped</th><th>bad among dropped</th></tr>");
        foreach (var (name, m) in new[] { ("kept model", card.HeldOut), ("trees", card.TreesHeldOut), ("logistic baseline", card.BaselineHeldOut) })
            body.Append("<tr><td>").Append(name).Append(CultureInfo.InvariantCulture,
                $"</td><td class=\"num\">{m.Rows}</td><td class=\"num\">{m.Auc:0.000}</td><td class=\"num\">{m.Brier:0.000}</td><td class=\"num\">{m.KeptShare:P1}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{m.KeptGoodShare:P1}</td><td class=\"num\">{m.BadCaught:P1}</td><td class=\"num\">{m.DroppedShare:P1}</td><td class=\"num\">{m.DroppedBadShare:P1}</td></tr>");
        body.Append("</table></div>")
            .Append(CultureInfo.InvariantCulture, $"<p>Keep at calibrated P(good) ≥ {card.KeepThreshold:0.000}, drop at ≤ {card.DropThreshold:0.000}, review between.</p>");

        var groups = card.Groups.Where(g => g.Metrics is not null).ToList();
        var importance = card.Importance.OrderByDescending(f => f.AucDrop).Take(15).ToList();
        body.Append("<div class=\"charts\"><figure>")
            .Append(Draw.Bars("Held-out AUC by column set", groups.Select(g => g.Group).ToList(), groups.Select(g => g.Metrics!.Auc).ToList(), "AUC", counts: false).Svg())
            .Append("</figure><figure>")
            .Append(Draw.Bars("Bad rows caught at the same kept share", groups.Select(g => g.Group).ToList(), groups.Select(g => g.BadCaughtAtSharedKeep ?? 0).ToList(), "share of bad rows", counts: false).Svg())
            .Append("</figure><figure>")
            .Append(Draw.Leaderboard("Permutation importance: AUC lost without the feature", importance.Select(f => new LeaderboardEntry(f.Feature, f.AucDrop, f.AucDrop, f.AucDrop)).ToList(), "AUC drop").Svg())
            .Append("</figure></div>");
        foreach (var g in card.Groups.Where(g => g.Note is not null))
            body.Append("<p class=\"muted\">").Append(H(g.Group)).Append(": ").Append(H(g.Note)).Append("</p>");
        body.Append("<p class=\"api\">Same numbers: <a href=\"/api/v1/jobs/").Append(H(Uri.EscapeDataString(jobId))).Append("/card\"><code>GET /api/v1/jobs/")
            .Append(H(jobId)).Append("/card</code></a> · signature <code>").Append(H(card.Signature)).Append("</code></p>");
        return body.ToString();
    }
}
