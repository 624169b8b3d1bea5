using System.Diagnostics;
using System.Text.Json;
using AyaQC.Server.Apis;
using AyaQC.Server.Jobs;
using AyaQC.Server.Tests.Support;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Jobs;

/// <summary>
/// Hangfire's SQLite storage shares our database file: while another connection holds it (BEGIN EXCLUSIVE), queueing a
/// job fails with sqlite-net's "database is locked", which must be answered like our own store's faults (503 +
/// Retry-After + problem details), not 500.
/// </summary>
public class LockedJobStorageTests
{
    [Fact]
    public async Task Queueing_a_job_while_the_database_file_is_locked_is_a_503_with_retry_after()
    {
        await using var api = await ApiServer.StartAsync("sqlite"); // no Jobs:Queues: nothing but this test queues
        var services = api.Server.Services;
        var file = services.GetRequiredService<IConfiguration>()["Storage:ConnectionString"]!;
        var hangfire = services.GetRequiredService<IBackgroundJobClient>();

        await using var holder = new SqliteConnection(file + ";Pooling=False");
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }
        var clock = Stopwatch.StartNew();
        var fault = Assert.ThrowsAny<Exception>(() =>
            hangfire.Create<LabelsRunner>(r => r.RunAsync("ljob_locked", CancellationToken.None), new EnqueuedState(JobsOptions.DefaultQueue)));
        Console.WriteLine($"queueing failed after {clock.ElapsedMilliseconds} ms: {fault.GetType().Name}: {fault.InnerException?.Message}");
        Assert.True(JobStorageFaults.IsUnavailable(fault), fault.ToString());

        // what the API answers for it: the exception handler every route goes through
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/v1/projects/prj_x/labels/recompute";
        context.Response.Body = new MemoryStream();
        var handler = ActivatorUtilities.CreateInstance<ProblemExceptionHandler>(services);
        Assert.True(await handler.TryHandleAsync(context, fault, CancellationToken.None));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal(ProblemExceptionHandler.RetryAfterSeconds.ToString(), context.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        var body = JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray()).RootElement;
        Assert.Equal("storage_unavailable", body.GetProperty("code").GetString());
        Assert.Equal(503, body.GetProperty("status").GetInt32());
        Assert.DoesNotContain("SQLite", body.GetRawText(), StringComparison.OrdinalIgnoreCase); // no .NET type or driver names

        // once the other connection lets go, the same call queues the job
        await using (var rollback = holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        Assert.False(string.IsNullOrEmpty(hangfire.Create<LabelsRunner>(r => r.RunAsync("ljob_locked", CancellationToken.None),
            new EnqueuedState(JobsOptions.DefaultQueue))));
    }
}
