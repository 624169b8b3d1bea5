using System.Security.Claims;
using System.Text;
using AyaQC.Contracts;
using AyaQC.Server.Apis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>
/// An assessor's work in assessment projects: the next row (or hidden control item — the page cannot tell them
/// apart, nor can the assessor), judged good/bad with an error type and, where the project asks, a post-edit of
/// the translation. Built on <see cref="ProjectWorkApi"/>'s handlers, so the page refuses what the API refuses.
/// </summary>
public static class AssessorProjectPages
{
    public static void MapAssessorProjectPages(this WebApplication app)
    {
        var pages = app.MapGroup("/work/projects").RequireAuthorization(PagesSetup.AssessorPolicy).ExcludeFromDescription();
        pages.MapGet("/{projectId}", Item);
        pages.MapPost("/{projectId}/answers", Answer);
    }

    /// <summary>The "my projects" part of the assessor's start page.</summary>
    internal static async Task<string> MyProjectsAsync(HttpContext http, PageText t, ClaimsPrincipal user, ProjectServices s, CancellationToken ct)
    {
        var projects = (await ProjectWorkApi.GetMyProjects(user, s, ct)).Value!;
        var body = new StringBuilder("<h2>").Append(H(t["work.projects"])).Append("</h2>");
        if (projects.Count == 0) return body.Append("<p>").Append(H(t["work.projects.none"])).Append("</p>").ToString();
        body.Append("<div class=\"scroll\"><table class=\"fit\"><tr><th>").Append(H(t["work.project"])).Append("</th><th>").Append(H(t["work.status"])).Append("</th><th></th></tr>");
        foreach (var p in projects)
        {
            var href = "/work/projects/" + Uri.EscapeDataString(p.ProjectId);
            body.Append("<tr><td>").Append(p.State == "open" ? $"<a href=\"{H(href)}\">{H(p.Name)}</a>" : H(p.Name)).Append(p.PostEdit ? " <span class=\"muted\">(" + H(t["work.postedit"]) + ")</span>" : "")
                .Append("</td><td>").Append(H(t["status." + p.State])).Append("</td><td>");
            if (p.State == "open")
                body.Append("<a href=\"").Append(H(href)).Append("\">").Append(H(t["work.open"])).Append("</a>");
            body.Append("</td></tr>");
        }
        return body.Append("</table></div><p class=\"api\">API: <code>GET /api/v1/me/projects</code></p>").ToString();
    }

    static async Task<ContentHttpResult> Item(string projectId, string? refused, HttpContext http, ClaimsPrincipal user,
        [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var t = PageText.For(http);
        var notice = refused is { Length: > 0 } ? $"<p class=\"notice\" role=\"alert\">{H(t["refused." + AssessorPages.RefusalKey(refused)])}</p>" : "";
        var back = $"<p><a href=\"/work\">{H(t["item.back"])}</a></p>";
        var result = (await ProjectWorkApi.GetNext(projectId, user, s, ct)).Result;
        if (result is ProblemHttpResult problem)
            return Page(http, t, t["work.title"], $"<h1>{H(t["work.title"])}</h1>{notice}<p class=\"notice\" role=\"alert\">" +
                $"{H(t["refused." + AssessorPages.RefusalKey(AssessorPages.Code(problem))])}</p>{back}", problem.StatusCode);
        var next = ((Ok<ProjectNextResponse>)result).Value!;
        if (next.Item is not { } item)
            return Page(http, t, t["project.done"], $"<h1>{H(t["project." + (next.Status == "quota_reached" ? "quota" : "done")])}</h1>{notice}{back}");
        var view = new AssessorPages.ItemView(t.Format("item.n", item.Position), item.ItemId, item.SourceLang, item.Source, item.TargetLang, item.Translation,
            Progress: null, next.PostEdit, "/work/projects/" + Uri.EscapeDataString(projectId) + "/answers",
            $"GET /api/v1/projects/{projectId}/next, POST /api/v1/projects/{projectId}/answers");
        return Page(http, t, view.Heading, AssessorPages.ItemForm(http, t, view, notice));
    }

    static async Task<IResult> Answer(string projectId, [FromForm] string? itemId, [FromForm] string? verdict, [FromForm] string? errorType,
        [FromForm] string? postEdit, HttpContext http, ClaimsPrincipal user, [AsParameters] ProjectServices s, CancellationToken ct)
    {
        var back = "/work/projects/" + Uri.EscapeDataString(projectId);
        // The text area starts as the machine translation: left as it is, there is no post-edit to store.
        var edited = postEdit?.Trim() is { Length: > 0 } text && await IsEditAsync(projectId, itemId, text, user, s, ct) ? text : null;
        var request = new ProjectAnswerRequest(itemId ?? "", verdict ?? "", string.IsNullOrWhiteSpace(errorType) ? null : errorType, edited);
        var result = (await ProjectWorkApi.PostAnswer(projectId, request, user, s, ct)).Result;
        return result is ProblemHttpResult problem ? TypedResults.Redirect(back + "?refused=" + Uri.EscapeDataString(AssessorPages.Code(problem))) : TypedResults.Redirect(back);
    }

    /// <summary>True when <paramref name="text"/> differs from the translation of the item now served to this assessor.</summary>
    static async Task<bool> IsEditAsync(string projectId, string? itemId, string text, ClaimsPrincipal user, ProjectServices s, CancellationToken ct) =>
        (await ProjectWorkApi.GetNext(projectId, user, s, ct)).Result is not Ok<ProjectNextResponse> { Value.Item: { } item }
        || item.ItemId != itemId || !string.Equals(item.Translation.Trim(), text, StringComparison.Ordinal);
}
