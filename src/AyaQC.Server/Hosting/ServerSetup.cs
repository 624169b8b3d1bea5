using System.Text.Json;
using AyaQC.Server.Apis;
using AyaQC.Server.Auth;
using AyaQC.Server.Pages;
using AyaQC.Storage;
using AyaQC.Storage.Datasets;
using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;

namespace AyaQC.Server.Hosting;

/// <summary>The server's features, shared by Program.cs and <see cref="EmbeddedServer"/>.</summary>
public static class ServerSetup
{
    public static WebApplicationBuilder AddAyaQCServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Storage: Storage:Provider = sqlite (default, data/ayaqc.db) | postgres with Storage:ConnectionString.
        var storage = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        services.AddSingleton(_ => storage.CreateDatabase());
        services.AddSingleton<IQualificationStore>(sp => new SqlQualificationStore(sp.GetRequiredService<SqlDatabase>()));
        services.AddSingleton<DatasetStore>();
        services.AddSingleton<AyaQC.Storage.Assessment.ProjectStore>();
        services.AddSingleton<AyaQC.Storage.Filtering.PipelineTokenStore>();
        services.AddSingleton<AyaQC.Storage.Filtering.DecisionStore>();
        services.Configure<AuthOptions>(builder.Configuration.GetSection("Auth"));
        services.Configure<QualificationOptions>(builder.Configuration.GetSection("Qualification"));
        // Hosted services start one after another in this order: the schema upgrade finishes before the job server
        // and the stale-job recovery (registered by AddAyaQCJobs) read the job tables.
        services.AddHostedService<StartupInitializer>();
        services.AddAyaQCJobs(builder.Configuration, storage);
        services.AddSingleton(TimeProvider.System);

        // Bearer admin keys / assessor tokens; every endpoint needs a role unless it says AllowAnonymous.
        services.AddSingleton<KnownTokens>();
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.Assessor, p => p.RequireRole(Roles.Assessor))
            .AddPolicy(Roles.Reviewer, p => p.RequireRole(Roles.Reviewer))
            .AddPolicy(Roles.Pipeline, p => p.RequireRole(Roles.Pipeline))
            .AddPolicy(Roles.Export, p => p.RequireRole(Roles.Admin, Roles.Pipeline))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // RFC 9457 problem details for every error, including unreadable JSON bodies.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // 401/403 come from the auth middleware with an empty body: say what was missing.
            ctx.ProblemDetails.Detail ??= ctx.ProblemDetails.Status switch
            {
                StatusCodes.Status401Unauthorized => "send a valid key: 'Authorization: Bearer <admin key or assessor token>'",
                StatusCodes.Status403Forbidden => "your token's role may not use this route (admin routes need an admin key, assessor routes an assessor token; a pipeline token reads exports only)",
                StatusCodes.Status404NotFound => $"no route {ctx.HttpContext.Request.Method} {ctx.HttpContext.Request.Path}",
                _ => null,
            };
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, AyaQC.Contracts.QualificationJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, AyaQC.Contracts.DatasetJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(2, AyaQC.Contracts.ProjectJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(3, AyaQC.Contracts.FilteringJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(4, AyaQC.Contracts.HterJsonContext.Default);
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
        });

        services.AddOpenApi(OpenApiContract.Configure); // served at /openapi/v1.json
        services.AddPages();
        return builder;
    }

    public static WebApplication MapAyaQCEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePageHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery(); // page forms only: the API takes JSON bodies and bearer tokens

        app.MapOpenApi().AllowAnonymous();
        app.MapHealthApi();
        app.MapGoldSetsApi();
        app.MapAssessorsApi();
        app.MapRoundsApi();
        app.MapAssessorWorkApi();
        app.MapDatasetsApi();
        app.MapProjectsApi();
        app.MapProjectFollowUpApi();
        app.MapProjectWorkApi();
        app.MapReviewsApi();
        app.MapSignInLinksApi();
        app.MapPages();
        app.MapJobsApi();
        app.MapPipelinesApi();
        app.MapDecisionsApi();
        app.MapHterApi();
        app.MapExportApi();
        app.MapHangfireDashboardWithAuthorizationPolicy(Roles.Admin, "/hangfire");
        return app;
    }
}
