using AyaQC.Grains;
using AyaQC.Server.Auth;
using AyaQC.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace AyaQC.Server.Pages;

/// <summary>
/// Server-rendered pages for assessors and project leads. Pages sign in with a cookie (the API keeps bearer tokens
/// only, so a page's cookie never authorises an API call); every form carries an anti-forgery token.
/// </summary>
public static class PagesSetup
{
    public const string Scheme = "AyaQC.Pages";
    public const string AssessorPolicy = "pages:" + Roles.Assessor, AdminPolicy = "pages:" + Roles.Admin;

    /// <summary>An assessor's cookie carries the SHA-256 of the token current at sign-in (never the token itself).</summary>
    public const string TokenHashClaim = "ayaqc:token_hash";

    /// <summary>No inline script, no other origin: our own CSS/JS files and inline SVG only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddSingleton<SignInLinkStore>();
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "ayaqc";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.LoginPath = "/";
            o.ReturnUrlParameter = "return";
            o.Events.OnValidatePrincipal = StillAcceptedAsync;
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return PageLayout.Page(ctx.HttpContext, PageText.For(ctx.HttpContext), "403",
                    $"<h1>403</h1><p class=\"notice\">{PageLayout.H(PageText.For(ctx.HttpContext)["denied"])}</p>", 403).ExecuteAsync(ctx.HttpContext);
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(AssessorPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Assessor))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Admin));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ayaqc-af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__af";
        });
        return services;
    }

    /// <summary>
    /// On every request, as the API does for a bearer token: an assessor's cookie holds only while the assessor's
    /// grain still accepts the token hash it was issued for and the assessor is not suspended. A reissued token or a
    /// suspension ends the page session on the next request, on every node.
    /// </summary>
    static async Task StillAcceptedAsync(CookieValidatePrincipalContext ctx)
    {
        if (ctx.Principal?.FindFirst(Roles.AssessorIdClaim)?.Value is not { } assessorId) return;
        var hash = ctx.Principal.FindFirst(TokenHashClaim)?.Value;
        var grains = ctx.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        if (hash is not null && await grains.GetGrain<IAssessorGrain>(assessorId).AcceptsAsync(hash)) return;
        ctx.RejectPrincipal();
        await ctx.HttpContext.SignOutAsync(Scheme);
    }

    public static WebApplication MapPages(this WebApplication app)
    {
        app.MapPageAssets();
        app.MapSignInPages();
        app.MapAssessorPages();
        app.MapAssessorProjectPages();
        app.MapLeadPages();
        app.MapProjectPages();
        app.MapProjectHterPage();
        app.MapDatasetPages();
        app.MapModelCardPage();
        return app;
    }

    /// <summary>Security headers on everything that is not the API (pages, assets, PNGs).</summary>
    public static IApplicationBuilder UsePageHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (!http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/openapi"))
        {
            var h = http.Response.Headers;
            h.ContentSecurityPolicy = ContentSecurityPolicy;
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer"; // sign-in link codes must not leak through Referer
            h.XFrameOptions = "DENY";
        }
        return next(http);
    });

    /// <summary>ayaqc.css and ayaqc.js, embedded in the assembly (no CDN, no font download).</summary>
    static void MapPageAssets(this WebApplication app)
    {
        var assets = new Dictionary<string, (byte[] Bytes, string Type)>();
        foreach (var (name, type) in new[] { ("ayaqc.css", "text/css; charset=utf-8"), ("ayaqc.js", "text/javascript; charset=utf-8") })
        {
            using var s = typeof(PagesSetup).Assembly.GetManifestResourceStream("AyaQC.Server.Pages.Assets." + name)!;
            using var m = new MemoryStream();
            s.CopyTo(m);
            assets[name] = (m.ToArray(), type);
        }
        app.MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            if (!assets.TryGetValue(name, out var a)) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(a.Bytes, a.Type);
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
