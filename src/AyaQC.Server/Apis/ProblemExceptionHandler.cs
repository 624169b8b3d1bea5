using System.Text.Json;
using System.Text.RegularExpressions;
using AyaQC.Contracts;
using AyaQC.Server.Jobs;
using AyaQC.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;

namespace AyaQC.Server.Apis;

/// <summary>
/// Unreadable requests → 400 naming the field (never a .NET type), store conflicts → 409, and faults that pass
/// (database unreachable, a node being declared dead) → 503 with Retry-After: the client retries, the service
/// recovers by itself.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        IReadOnlyList<FieldProblem>? errors = null;
        var (status, title, detail, code) = exception switch
        {
            BadHttpRequestException bad => Unreadable(bad, out errors),
            StoreConflictException conflict => (StatusCodes.Status409Conflict, "Conflict", conflict.Message, "conflict"),
            _ when IsCallTimeout(exception) => (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "the server did not finish this request in time: the project or round it needs is busy, or is waiting for the database or for a node that " +
                "stopped answering. The request may still complete; look before you send it again (an answer may then be refused as already given), " +
                "and retry after the time in Retry-After", "timeout"),
            _ when JobStorageFaults.IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "the database cannot be reached right now; retry after the time in Retry-After", "storage_unavailable"),
            _ when IsClusterFault(exception) => (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "a server node is being replaced; retry after the time in Retry-After", "cluster_unavailable"),
            _ => (0, "", "", ""),
        };
        if (status == 0) return false;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
            log.LogWarning("503 for {Method} {Path}: {Error}", context.Request.Method, context.Request.Path, exception.Message);
        }
        context.Response.StatusCode = status;
        var details = new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
        };
        if (errors is { Count: > 0 }) details.ProblemDetails.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(details);
    }

    /// <summary>
    /// A grain call that got no answer within its response timeout (Orleans throws a bare <see cref="TimeoutException"/>):
    /// the grain is busy or waits for something slow, which is not the same as the database being unreachable. A
    /// timeout inside a database client's error (a connect or command timeout) is the database's, not this.
    /// </summary>
    public static bool IsCallTimeout(Exception e) => e switch
    {
        TimeoutException => true,
        System.Data.Common.DbException => false,
        AggregateException a => a.InnerExceptions.Any(IsCallTimeout),
        _ => e.InnerException is { } i && IsCallTimeout(i),
    };

    /// <summary>Cluster faults that go away by themselves: a node unreachable or being declared dead.</summary>
    public static bool IsClusterFault(Exception e) => e switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or TimeoutException => true,
        AggregateException a => a.InnerExceptions.Any(IsClusterFault),
        _ => e.InnerException is { } i && IsClusterFault(i),
    };

    static (int, string, string, string) Unreadable(BadHttpRequestException bad, out IReadOnlyList<FieldProblem> errors)
    {
        var problem = bad.InnerException is JsonException json ? FromJson(json) : FromBinder(bad.Message);
        errors = [problem];
        return (bad.StatusCode, "Invalid request", $"{problem.Field}: {problem.Message}", "invalid_request");
    }

    static FieldProblem FromJson(JsonException json)
    {
        var field = json.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : null;
        var message = json.Message;
        if (MissingRequired().Match(message) is { Success: true } m) return new(null, m.Groups[1].Value, "is required");
        if (NullNotAllowed().Match(message) is { Success: true } n) return new(null, JoinPath(field, n.Groups[1].Value), "must not be null");
        if (field is null) return new(json.LineNumber is { } l ? (int)l + 1 : null, "body", "is not valid JSON");
        return new(null, field, json.InnerException is null && message.Contains("invalid", StringComparison.OrdinalIgnoreCase)
            ? "is not valid JSON here" : "has the wrong type for this field (e.g. text where a number is expected)");
    }

    static FieldProblem FromBinder(string message) => BinderParameter().Match(message) is { Success: true } m
        ? new(null, m.Groups[1].Value, message.Contains("not provided", StringComparison.Ordinal) ? "is required" : "has an invalid value")
        : message.Contains("body", StringComparison.OrdinalIgnoreCase)
            ? new(null, "body", "a JSON body is required (Content-Type: application/json)")
            : new(null, "request", "could not be read");

    static string JoinPath(string? path, string name) => path is null ? name : path.EndsWith(name, StringComparison.OrdinalIgnoreCase) ? path : $"{path}.{name}";

    [GeneratedRegex(@"missing required properties[^']*'([^']+)'")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"parameter '([^']+)'.*doesn't allow null")]
    private static partial Regex NullNotAllowed();

    // e.g. Failed to bind parameter "int? topK" from "abc". / Required parameter "AnswerRequest answer" was not provided
    [GeneratedRegex(@"parameter ""(?:[^"" ]+ )?([A-Za-z0-9_]+)""")]
    private static partial Regex BinderParameter();
}
