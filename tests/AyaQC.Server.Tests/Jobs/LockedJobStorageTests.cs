using System.Text;
using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Server.Apis;
using AyaQC.Server.Jobs;
using AyaQC.Server.Tests.Filtering;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage.Assessment;
using AyaQC.Storage.Datasets;
using AyaQC.Storage.Filtering;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Jobs;

/// <summary>
/// While another connection holds Hangfire's SQLite file (BEGIN EXCLUSIVE), queueing a job fails with sqlite-net's
/// "database is locked", which must be answered like our own store's faults (503 + Retry-After + problem details), not 500.
/// </summary>
public class LockedJobStorageTests
{
    static async Task<SqliteConnection> LockAsync(string connectionString)
    {
        var holder = new SqliteConnection(connectionString + ";Pooling=False");
        await holder.OpenAsync();
        await using var begin = holder.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE";
        await begin.ExecuteNonQueryAsync();
        return holder;
    }

    /// <remarks>
    /// The route writes its own job row first; on the embedded default Hangfire shares that file, so one lock held
    /// from the start would fail the row's write first (our store's 503, already handled). The case that surfaced as
    /// 500 is a lock that comes between the two; here Hangfire gets its own SQLite file, held by another connection,
    /// so the route's write passes and its queueing meets the lock.
    /// </remarks>
    [Fact]
    public async Task Starting_a_job_while_the_job_storage_file_is_locked_is_a_503_with_retry_after_and_leaves_no_queued_job()
    {
        await using var api = await ApiServer.StartAsync("sqlite"); // no Jobs:Queues: nothing runs jobs here
        var services = api.Server.Services;
        var (rows, _, _) = FilterJobTests.Data(40);
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(rows)), signals: "mt_score");
        var file = Path.Combine(Path.GetTempPath(), $"ayaqc-locked-{Guid.NewGuid():N}.db");
        try
        {
            var jobs = new BackgroundJobClient(new SQLiteStorage(file, new SQLiteStorageOptions()));
            await using var holder = await LockAsync($"Data Source={file}");
            var fault = await Assert.ThrowsAnyAsync<Exception>(() => JobsApi.StartFilterJob(ds.Id, new StartFilterJobRequest(Folds: 3),
                services.GetRequiredService<DatasetStore>(), services.GetRequiredService<FilterJobStore>(), services.GetRequiredService<ProjectStore>(),
                services.GetRequiredService<DecisionStore>(), jobs, CancellationToken.None));
            Assert.True(JobStorageFaults.IsUnavailable(fault), fault.ToString());

            // what the API answers for it: the exception handler every route goes through
            var context = new DefaultHttpContext { RequestServices = services };
            context.Request.Method = "POST";
            context.Request.Path = $"/api/v1/datasets/{ds.Id}/filter-jobs";
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

            // the filter job that could not be queued is not left waiting for a run that will never come
            var job = Assert.Single(await api.Admin.ListFilterJobsAsync(ds.Id));
            Assert.Equal("failed", job.State);
            Assert.Contains("could not be queued", job.Error);

            // once the other connection lets go, queueing works again
            await using (var rollback = holder.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }
            Assert.False(string.IsNullOrEmpty(jobs.Create<LabelsRunner>(r => r.RunAsync("ljob_after", CancellationToken.None),
                new EnqueuedState(JobsOptions.DefaultQueue))));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(file) + "*")) File.Delete(f);
        }
    }
}
