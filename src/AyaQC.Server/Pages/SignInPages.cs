using System.Security.Claims;
using AyaQC.Grains;
using AyaQC.Server.Auth;
using AyaQC.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>Sign in with the assessor token / admin key, or with a one-time link; sign out.</summary>
public static class SignInPages
{
    public static void MapSignInPages(this WebApplication app)
    {
        app.MapGet("/", (Delegate)Home) // not a RequestDelegate: its result must be executed
           .AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/sign-in", SignIn).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/sign-in/{code}", LinkPage).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/sign-in/link", SignInWithLink).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/sign-out", (Delegate)SignOut).AllowAnonymous().ExcludeFromDescription().RequireFormToken();
    }

    /// <summary>Signed in: to the role's start page. Otherwise the sign-in form.</summary>
    static async Task<IResult> Home(HttpContext http)
    {
        var auth = await http.AuthenticateAsync(PagesSetup.Scheme);
        if (auth.Succeeded)
            return TypedResults.Redirect(auth.Principal!.IsInRole(Roles.Admin) ? "/lead" : "/work");
        return Form(http, PageText.For(http), null);
    }

    static ContentHttpResult Form(HttpContext http, PageText t, string? problem, int status = 200)
    {
        var returnUrl = http.Request.Query["return"].ToString();
        var body = $"""
            <h1>{H(t["signin.title"])}</h1>
            {(problem is null ? "" : $"<p class=\"notice\" role=\"alert\">{H(problem)}</p>")}
            <p class="muted">{H(t["signin.help"])}</p>
            <form method="post" action="/sign-in">{AntiforgeryField(http)}
            <input type="hidden" name="return" value="{H(returnUrl)}">
            <label for="token">{H(t["signin.token"])}</label>
            <input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
            <p><button type="submit">{H(t["signin.submit"])}</button></p>
            </form>
            """;
        return Page(http, t, t["signin.title"], body, status);
    }

    static async Task<IResult> SignIn(HttpContext http, [FromForm] string token, [FromForm(Name = "return")] string? returnUrl,
        IQualificationStore store, IGrainFactory grains, CancellationToken ct)
    {
        token = token.Trim();
        var hash = ApiTokens.Hash(token);
        ClaimsPrincipal? principal = null;
        if (token.StartsWith(ApiTokens.AdminPrefix, StringComparison.Ordinal) && await store.AdminKeyExistsAsync(hash, ct))
            principal = Principal([new Claim(ClaimTypes.Role, Roles.Admin)]);
        else if (token.StartsWith(ApiTokens.AssessorPrefix, StringComparison.Ordinal) && await store.FindAssessorByTokenHashAsync(hash, ct) is { } a
                 && await grains.GetGrain<IAssessorGrain>(a.Id).AcceptsAsync(hash)) // not suspended
            principal = AssessorPrincipal(a, hash);
        if (principal is null) return Form(http, PageText.For(http), PageText.For(http)["signin.bad"], StatusCodes.Status401Unauthorized);
        await http.SignInAsync(PagesSetup.Scheme, principal);
        return TypedResults.Redirect(LocalOr(returnUrl, principal.IsInRole(Roles.Admin) ? "/lead" : "/work"));
    }

    /// <summary>The link only shows a button: opening it (e.g. by a chat app's link preview) does not spend it.</summary>
    static ContentHttpResult LinkPage(string code, HttpContext http)
    {
        var t = PageText.For(http);
        var body = $"""
            <h1>{H(t["signin.title"])}</h1>
            <form method="post" action="/sign-in/link">{AntiforgeryField(http)}
            <input type="hidden" name="code" value="{H(code)}">
            <p><button type="submit">{H(t["signin.link"])}</button></p>
            </form>
            """;
        return Page(http, t, t["signin.title"], body);
    }

    static async Task<IResult> SignInWithLink(HttpContext http, [FromForm] string code, SignInLinkStore links, IQualificationStore store,
        IGrainFactory grains, TimeProvider clock, CancellationToken ct)
    {
        var assessorId = await links.ConsumeAsync(ApiTokens.Hash(code.Trim()), clock.GetUtcNow(), ct);
        // The session is tied to the assessor's token at this moment: reissuing the token ends it, as it ends the token.
        var record = assessorId is null ? null : await store.GetAssessorRecordAsync(assessorId, ct);
        if (record is null || !await grains.GetGrain<IAssessorGrain>(record.Assessor.Id).AcceptsAsync(record.TokenHash))
            return Form(http, PageText.For(http), PageText.For(http)["signin.link.bad"], StatusCodes.Status401Unauthorized);
        await http.SignInAsync(PagesSetup.Scheme, AssessorPrincipal(record.Assessor, record.TokenHash));
        return TypedResults.Redirect("/work");
    }

    static async Task<IResult> SignOut(HttpContext http)
    {
        await http.SignOutAsync(PagesSetup.Scheme);
        return TypedResults.Redirect("/");
    }

    static ClaimsPrincipal AssessorPrincipal(StoredAssessor a, string tokenHash) => Principal([
        new Claim(ClaimTypes.Role, Roles.Assessor),
        new Claim(Roles.AssessorIdClaim, a.Id),
        new Claim(Roles.AssessorNameClaim, a.Name),
        new Claim(PagesSetup.TokenHashClaim, tokenHash),
    ]);

    static ClaimsPrincipal Principal(Claim[] claims) => new(new ClaimsIdentity(claims, PagesSetup.Scheme));

    /// <summary>Only a path on this site (never //host or a scheme), so the sign-in form cannot redirect away.</summary>
    static string LocalOr(string? url, string fallback) =>
        url is { Length: > 1 } u && u[0] == '/' && u[1] != '/' && u[1] != '\\' ? u : fallback;
}
