using System.Text.Json;
using AyaQC.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace AyaQC.Server.Apis;

/// <summary>Turns unreadable request bodies into 400 and store conflicts into 409, as problem details.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, code) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Invalid request",
                bad.InnerException is JsonException json ? $"body is not valid JSON for this request: {json.Message}" : bad.Message,
                "invalid_request"),
            StoreConflictException conflict => (StatusCodes.Status409Conflict, "Conflict", conflict.Message, "conflict"),
            _ when StorageFaults.IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "the database cannot be reached right now; retry after the time in Retry-After", "storage_unavailable"),
            _ => (0, "", "", ""),
        };
        if (status == 0) return false;
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
        });
    }
}
