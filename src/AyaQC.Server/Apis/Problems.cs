using AyaQC.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>RFC 9457 problem responses. <c>code</c> is a stable machine-readable reason; <c>errors</c> lists line/field problems.</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string title, string detail, string code, IReadOnlyList<FieldProblem>? errors = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (errors is { Count: > 0 }) extensions["errors"] = errors;
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }

    public static ProblemHttpResult Invalid(string detail, IReadOnlyList<FieldProblem> errors) =>
        Create(StatusCodes.Status400BadRequest, "Invalid request", detail, "invalid_request", errors);

    public static ProblemHttpResult Invalid(string field, string message) =>
        Invalid($"{field}: {message}", [new FieldProblem(null, field, message)]);

    public static ProblemHttpResult NotFound(string what, string id) =>
        Create(StatusCodes.Status404NotFound, "Not found", $"{what} '{id}' does not exist", "not_found");

    public static ProblemHttpResult Conflict(string detail, string code = "conflict") =>
        Create(StatusCodes.Status409Conflict, "Conflict", detail, code);
}
