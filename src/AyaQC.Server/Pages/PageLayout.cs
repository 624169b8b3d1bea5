using System.Net;
using System.Security.Claims;
using System.Text;
using AyaQC.Server.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Pages;

/// <summary>
/// The frame every page shares: language, navigation for the signed-in role, sign-out form. Scripts and styles are
/// our own files under /assets (the Content-Security-Policy allows nothing inline and nothing from elsewhere).
/// </summary>
public static class PageLayout
{
    public static string H(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>The hidden anti-forgery field every form carries.</summary>
    public static string AntiforgeryField(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{H(tokens.FormFieldName)}\" value=\"{H(tokens.RequestToken)}\">";
    }

    /// <summary>
    /// For a page post that binds no form field: ASP.NET checks the anti-forgery token only where a form field is
    /// bound, so this refuses a post without a valid token (a form from another site) with 400 before the handler runs.
    /// </summary>
    public static RouteHandlerBuilder RequireFormToken(this RouteHandlerBuilder route) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            // The token belongs to the page session's user; a route open to anyone (sign-out) has not read the session yet.
            if (http.User.Identity?.IsAuthenticated != true && await http.AuthenticateAsync(PagesSetup.Scheme) is { Succeeded: true } session)
                http.User = session.Principal;
            if (await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http)) return await next(context);
            var text = PageText.For(http);
            return Page(http, text, "Refused", "<h1>Refused</h1><p class=\"notice\">This form has expired or did not come from this AyaQC page: reload the page and try again.</p>",
                StatusCodes.Status400BadRequest);
        });

    public static ContentHttpResult Page(HttpContext http, PageText text, string title, string body, int status = StatusCodes.Status200OK)
    {
        http.Response.Headers.CacheControl = "no-store";
        var user = http.User;
        var html = new StringBuilder(4096 + body.Length);
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(text.Language).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(H(title)).Append(" · AyaQC</title>")
            .Append("<link rel=\"stylesheet\" href=\"/assets/ayaqc.css\"><script src=\"/assets/ayaqc.js\" defer></script></head><body>")
            .Append("<header><nav aria-label=\"AyaQC\"><a class=\"brand\" href=\"/\">AyaQC</a>");
        if (user.IsInRole(Roles.Assessor)) html.Append("<a href=\"/work\">").Append(H(text["nav.work"])).Append("</a>");
        if (user.IsInRole(Roles.Admin))
            html.Append("<a href=\"/lead\">").Append(H(text["nav.lead"])).Append("</a>")
                .Append("<a href=\"/lead/projects\">").Append(H(text["nav.projects"])).Append("</a>")
                .Append("<a href=\"/lead/datasets\">").Append(H(text["nav.datasets"])).Append("</a>")
                .Append("<a href=\"/lead/assessors\">").Append(H(text["nav.assessors"])).Append("</a>")
                .Append("<a href=\"/lead/hter\">").Append(H(text["nav.hter"])).Append("</a>");
        var other = text.Language == "sw" ? "en" : "sw";
        html.Append("<a href=\"?lang=").Append(other).Append("\" lang=\"").Append(other).Append("\">").Append(H(text["lang"])).Append("</a>");
        if (user.Identity?.IsAuthenticated == true)
            html.Append("<form method=\"post\" action=\"/sign-out\" class=\"inline\">").Append(AntiforgeryField(http))
                .Append("<button type=\"submit\" class=\"link\">").Append(H(text["signout"])).Append("</button></form>");
        html.Append("</nav></header><main id=\"main\">").Append(body).Append("</main></body></html>\n");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string? AssessorId(ClaimsPrincipal user) => user.FindFirstValue(Roles.AssessorIdClaim);
}
