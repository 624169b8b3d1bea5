using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AyaQC.Server.Hosting;

/// <summary>
/// Completes the published OpenAPI document so that other tools can generate clients from it (Redocly's recommended
/// rules pass): the bearer security scheme, an operationId and summary per route (from the handler's name), the
/// problem responses every route can give, and the raw bodies (JSON Lines / CSV) the import routes read themselves.
/// </summary>
internal static class OpenApiContract
{
    const string Bearer = "bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Description = "Quality control for machine-translated instruction data checked by crowds. " +
                "Authenticate with `Authorization: Bearer <admin key (aqa_…), assessor token (aqt_…), reviewer token (aqr_…) or pipeline token (aqp_…)>`. " +
                "Errors are RFC 9457 problem details (`application/problem+json`) naming the line and field.";
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
                tag.Description ??= tag.Name switch
                {
                    "Gold sets" => "Qualification gold sets: items with known good/bad labels (admin).",
                    "Assessors" => "Registering assessors and issuing their tokens (admin).",
                    "Rounds" => "Qualification rounds: open, close, results (admin).",
                    "Assessor" => "An assessor's own work: the next item, answers (assessor token).",
                    "Datasets" => "Dataset rows to check: import, list, read with filters (admin).",
                    "Health" => "Liveness for load balancers (anonymous).",
                    "Jobs" => "Background jobs: back-translation and filtering (agreement model); progress at /api/v1/jobs/{id} (admin).",
                    "Decisions" => "Keep / drop / review per row, and a lead's audited overrides (admin).",
                    "Export" => "The filtered dataset for pipelines (admin or pipeline token), and pipeline tokens (admin).",
                    _ => tag.Name,
                };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "Admin key (aqa_…) for vendor routes, assessor token (aqt_…) for an assessor's own work, reviewer token (aqr_…) for reviews, pipeline token (aqp_…) for exports only.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] }];
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var handler = metadata.OfType<MethodInfo>().FirstOrDefault();
            // The id comes from method + route (unique by definition: handler names repeat across APIs, e.g. Next);
            // the summary from a named handler where there is one (a lambda's compiler name is not readable).
            var routeId = context.Description.HttpMethod?.ToLowerInvariant() + string.Concat(
                Regex.Split(context.Description.RelativePath ?? "", "[^A-Za-z0-9]+")
                    .Where(w => w.Length > 0 && w is not "api" and not "v1").Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            var name = handler?.Name is { } n && Regex.IsMatch(n, "^[A-Za-z][A-Za-z0-9]*$") ? n : routeId;
            operation.OperationId ??= routeId;
            operation.Summary ??= Words(name);
            var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
            if (anonymous) operation.Security = [];
            operation.Responses ??= new OpenApiResponses();
            if (!anonymous)
            {
                operation.Responses.TryAdd("401", Problem("No valid bearer token."));
                operation.Responses.TryAdd("403", Problem("The token's role may not use this route."));
            }
            else operation.Responses.TryAdd("429", Problem("Too many requests."));
            if (context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
                operation.Responses.TryAdd("404", Problem("No such resource."));
            if (context.Description.HttpMethod == "POST") operation.Responses.TryAdd("400", Problem("Invalid request: problem details name the line and field."));
            var path = "/" + context.Description.RelativePath?.TrimEnd('/');
            if (context.Description.HttpMethod == "POST" && path == "/api/v1/gold-sets")
                operation.RequestBody = RawBody("The gold set, one JSON object per line (UTF-8): id, source_lang, target_lang (NLLB codes such as eng_Latn), " +
                    "source, translation, label (good|bad), error_type for bad items, optional explanation.", ("application/x-ndjson", GoldSetLine()));
            if (context.Description.HttpMethod == "POST" && path == "/api/v1/datasets")
                operation.RequestBody = RawBody("Dataset rows as JSON Lines or CSV with a header (UTF-8): id, source_lang, target_lang, source, translation, " +
                    "optional post_edit, label (good|bad), numeric signals; other columns are kept as metadata.",
                    ("application/x-ndjson", DatasetLine()), ("text/csv", new OpenApiSchema { Type = JsonSchemaType.String }));
            return Task.CompletedTask;
        });
    }

    static string Words(string name) => Regex.Replace(name, "(?<=[a-z])([A-Z])", " $1").ToLowerInvariant() is var s ? char.ToUpperInvariant(s[0]) + s[1..] : name;

    static OpenApiResponse Problem(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
    };

    static OpenApiRequestBody RawBody(string description, params (string MediaType, OpenApiSchema Schema)[] content) => new()
    {
        Required = true,
        Description = description,
        Content = content.ToDictionary(c => c.MediaType, c => new OpenApiMediaType { Schema = c.Schema }),
    };

    static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    static OpenApiSchema GoldSetLine() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "One line of the file.",
        Required = new HashSet<string> { "id", "source_lang", "target_lang", "source", "translation", "label" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = Text("Unique item id"), ["source_lang"] = Text("e.g. eng_Latn"), ["target_lang"] = Text("e.g. swh_Latn"),
            ["source"] = Text("Source sentence"), ["translation"] = Text("Machine translation"),
            ["label"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("good")!, System.Text.Json.Nodes.JsonValue.Create("bad")!] },
            ["error_type"] = Text("For bad items"), ["explanation"] = Text("Optional"),
        },
    };

    static OpenApiSchema DatasetLine() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "One row; extra keys are numeric signals (e.g. mt_score) or metadata.",
        Required = new HashSet<string> { "id", "source", "translation" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = Text("Unique row id"), ["source_lang"] = Text("e.g. eng_Latn"), ["target_lang"] = Text("e.g. swh_Latn"),
            ["source"] = Text("Source text"), ["translation"] = Text("Machine translation"), ["post_edit"] = Text("Optional human post-edit"),
            ["label"] = Text("Optional trusted label: good or bad"),
        },
    };
}
