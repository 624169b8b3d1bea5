using System.Globalization;
using System.Security.Claims;
using System.Text;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Server.Apis;
using AyaQC.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>
/// What an assessor does in the browser: their rounds, then the current item, answered good/bad with an optional
/// error type. Built on the API's own handlers, so the pages refuse exactly what the API refuses. The item page
/// shows the texts only — never a gold label, explanation or marker of any kind.
/// </summary>
public static class AssessorPages
{
    public static void MapAssessorPages(this WebApplication app)
    {
        var pages = app.MapGroup("/work").RequireAuthorization(PagesSetup.AssessorPolicy).ExcludeFromDescription();
        pages.MapGet("", Rounds);
        pages.MapGet("/rounds/{roundId}", Item);
        pages.MapPost("/rounds/{roundId}/answers", Answer);
    }

    static async Task<ContentHttpResult> Rounds(HttpContext http, ClaimsPrincipal user, IQualificationStore store, TimeProvider clock,
        [AsParameters] ProjectServices projects, CancellationToken ct)
    {
        var t = PageText.For(http);
        var rounds = (await AssessorWorkApi.GetMyRounds(user, store, clock, ct)).Value!;
        var body = new StringBuilder();
        body.Append("<h1>").Append(H(t["work.title"])).Append("</h1>");
        if (rounds.Count == 0) body.Append("<p>").Append(H(t["work.none"])).Append("</p>");
        else
        {
            // Three short columns, so the way in stays on a 360 px screen: round (a link while there is work), progress, and
            // "Continue" — or why not: finished, closed, expired.
            body.Append("<div class=\"scroll\"><table class=\"fit\"><tr><th>").Append(H(t["work.round"])).Append("</th><th>").Append(H(t["work.progress"]))
                .Append("</th><th>").Append(H(t["work.status"])).Append("</th></tr>");
            foreach (var r in rounds)
            {
                var open = r.Status == "open" && !r.Complete;
                var href = H("/work/rounds/" + Uri.EscapeDataString(r.RoundId));
                body.Append("<tr><td>").Append(open ? $"<a href=\"{href}\">{H(r.Name)}</a>" : H(r.Name))
                    .Append(CultureInfo.InvariantCulture, $"</td><td class=\"num\">{r.Answered} / {r.Planned}</td><td>")
                    .Append(open ? $"<a href=\"{href}\">{H(t["work.open"])}</a>" : H(r.Complete ? t["work.finished"] : t["status." + r.Status]))
                    .Append("</td></tr>");
            }
            body.Append("</table></div>");
        }
        body.Append("<p class=\"api\">API: <code>GET /api/v1/me/rounds</code></p>");
        body.Append(await AssessorProjectPages.MyProjectsAsync(http, t, user, projects, ct));
        return Page(http, t, t["work.title"], body.ToString());
    }

    static async Task<ContentHttpResult> Item(string roundId, string? refused, HttpContext http, ClaimsPrincipal user,
        IGrainFactory grains, TimeProvider clock)
    {
        var t = PageText.For(http);
        var result = (await AssessorWorkApi.GetNextItem(roundId, user, grains, clock)).Result;
        var notice = refused is { Length: > 0 } ? $"<p class=\"notice\" role=\"alert\">{H(t["refused." + RefusalKey(refused)])}</p>" : "";
        if (result is ProblemHttpResult problem)
            return Page(http, t, t["work.title"], $"<h1>{H(t["work.title"])}</h1>{notice}<p class=\"notice\" role=\"alert\">{H(t["refused." + RefusalKey(Code(problem))])}</p>" +
                $"<p><a href=\"/work\">{H(t["item.back"])}</a></p>", problem.StatusCode);
        var next = ((Ok<NextItemResponse>)result).Value!;
        if (next.Item is not { } item)
            return Page(http, t, t["item.done"], $"<h1>{H(t["item.done"])}</h1>{notice}<p><progress max=\"{next.Planned}\" value=\"{next.Answered}\"></progress></p>" +
                $"<p>{H(t.Format("item.done.count", next.Answered, next.Planned))}</p>" +
                $"<p><a href=\"/work\">{H(t["item.back"])}</a></p>");
        return Page(http, t, t.Format("item.of", item.Position, item.Total), ItemForm(http, t, roundId, item, next, notice));
    }

    static string ItemForm(HttpContext http, PageText t, string roundId, ItemToAssess item, NextItemResponse next, string notice) =>
        ItemForm(http, t, new ItemView(t.Format("item.of", item.Position, item.Total), item.ItemId, item.SourceLang, item.Source, item.TargetLang,
            item.Translation, (next.Answered, next.Planned), PostEdit: false,
            "/work/rounds/" + Uri.EscapeDataString(roundId) + "/answers", $"GET /api/v1/rounds/{roundId}/next, POST /api/v1/rounds/{roundId}/answers"), notice);

    /// <summary>What an item page shows; rounds and projects alike.</summary>
    internal sealed record ItemView(string Heading, string ItemId, string SourceLang, string Source, string TargetLang, string Translation,
        (int Value, int Max)? Progress, bool PostEdit, string Action, string Api);

    /// <summary>The same markup for every item: only the texts, the item id and the position differ.</summary>
    internal static string ItemForm(HttpContext http, PageText t, ItemView item, string notice)
    {
        var body = new StringBuilder();
        body.Append("<h1>").Append(H(item.Heading)).Append("</h1>").Append(notice);
        if (item.Progress is { } progress)
            body.Append(CultureInfo.InvariantCulture, $"<progress max=\"{progress.Max}\" value=\"{progress.Value}\" aria-label=\"{H(t["work.progress"])}\"></progress>");
        body.Append("<h2 id=\"source-h\">").Append(H(t["item.source"])).Append(" <span class=\"muted\">(").Append(H(item.SourceLang)).Append(")</span></h2>")
            .Append("<p class=\"text\" id=\"source\" lang=\"").Append(H(LangAttr(item.SourceLang))).Append("\" aria-labelledby=\"source-h\">").Append(H(item.Source)).Append("</p>")
            .Append("<h2 id=\"translation-h\">").Append(H(t["item.translation"])).Append(" <span class=\"muted\">(").Append(H(item.TargetLang)).Append(")</span></h2>")
            .Append("<p class=\"text\" id=\"translation\" lang=\"").Append(H(LangAttr(item.TargetLang))).Append("\" aria-labelledby=\"translation-h\">").Append(H(item.Translation)).Append("</p>")
            .Append("<form method=\"post\" id=\"answer\" action=\"").Append(H(item.Action)).Append("\">")
            .Append(AntiforgeryField(http))
            .Append("<input type=\"hidden\" name=\"itemId\" value=\"").Append(H(item.ItemId)).Append("\">")
            .Append("<fieldset><legend>").Append(H(t["item.verdict"])).Append("</legend><div class=\"verdicts\">")
            .Append("<label class=\"good\" for=\"verdict-good\"><input type=\"radio\" id=\"verdict-good\" name=\"verdict\" value=\"good\" required> ").Append(H(t["item.good"])).Append(" <kbd>G</kbd></label>")
            .Append("<label class=\"bad\" for=\"verdict-bad\"><input type=\"radio\" id=\"verdict-bad\" name=\"verdict\" value=\"bad\"> ").Append(H(t["item.bad"])).Append(" <kbd>B</kbd></label>")
            .Append("</div></fieldset>")
            .Append("<label for=\"error-type\">").Append(H(t["item.errortype"])).Append("</label><select id=\"error-type\" name=\"errorType\">")
            .Append("<option value=\"\">").Append(H(t["item.errortype.none"])).Append("</option>");
        var n = 0;
        foreach (var code in ErrorTypes.All)
            body.Append("<option value=\"").Append(code).Append("\">").Append(++n).Append(" · ").Append(H(code.Replace('_', ' '))).Append("</option>");
        body.Append("</select>");
        if (item.PostEdit)
            body.Append("<label for=\"post-edit\">").Append(H(t["item.postedit"])).Append("</label>")
                .Append("<textarea id=\"post-edit\" name=\"postEdit\" rows=\"4\" lang=\"").Append(H(LangAttr(item.TargetLang))).Append("\">")
                .Append(H(item.Translation)).Append("</textarea>");
        body.Append("<p><button type=\"submit\">").Append(H(t["item.submit"])).Append("</button></p></form>")
            .Append("<p class=\"muted\">").Append(H(t[item.PostEdit ? "item.keys.postedit" : "item.keys"])).Append("</p>")
            .Append("<p class=\"api\">API: <code>").Append(H(item.Api)).Append("</code></p>");
        return body.ToString();
    }

    static async Task<IResult> Answer(string roundId, [FromForm] string? itemId, [FromForm] string? verdict, [FromForm] string? errorType,
        HttpContext http, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        var request = new AnswerRequest(itemId ?? "", verdict ?? "", string.IsNullOrWhiteSpace(errorType) ? null : errorType);
        var result = (await AssessorWorkApi.PostAnswer(roundId, request, user, grains, clock)).Result;
        var back = "/work/rounds/" + Uri.EscapeDataString(roundId);
        // Post/redirect/get: a refusal travels as its code and is shown in words on the item page.
        return result is ProblemHttpResult problem ? TypedResults.Redirect(back + "?refused=" + Uri.EscapeDataString(Code(problem))) : TypedResults.Redirect(back);
    }

    /// <summary>The API problem's stable code; for invalid requests the offending field.</summary>
    internal static string Code(ProblemHttpResult problem)
    {
        var code = problem.ProblemDetails.Extensions.TryGetValue("code", out var c) ? c?.ToString() ?? "other" : "other";
        if (code == "invalid_request" && problem.ProblemDetails.Extensions.TryGetValue("errors", out var e) && e is IReadOnlyList<FieldProblem> { Count: > 0 } errors)
            return errors[0].Field;
        return code;
    }

    static readonly HashSet<string> KnownRefusals =
        ["not_in_round", "round_closed", "round_expired", "already_answered", "not_current_item", "assessment_complete", "item_not_in_round", "verdict", "errorType",
         "not_in_project", "project_not_open", "suspended", "item_not_served", "postEdit"];

    internal static string RefusalKey(string code) => KnownRefusals.Contains(code) ? code : "other";

    /// <summary>eng_Latn → en, swh_Latn → sw (for the lang attribute screen readers use).</summary>
    internal static string LangAttr(string nllb) => nllb switch
    {
        "eng_Latn" => "en",
        "swh_Latn" => "sw",
        _ => nllb.Split('_')[0],
    };
}
