using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Core.Datasets;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage.Datasets;
using AyaQC.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Datasets;

/// <summary>Back-translation jobs on Hangfire with the tiny NLLB fixture, on SQLite and PostgreSQL: every row once,
/// failed rows with their reason, flags with reasons, a signature, cancel, the dashboard behind the admin role.</summary>
public class BackTranslationJobTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    public static string TinyModel => RepoPaths.InRepo("tests", "AyaQC.Translation.Tests", "Fixtures", "tiny-nllb");

    public static Dictionary<string, string?> JobSettings() => new()
    {
        ["BackTranslation:ModelPath"] = TinyModel,
        ["BackTranslation:Device"] = "cpu",
        ["BackTranslation:MaxSourceTokens"] = "64",
        ["Jobs:PollIntervalSeconds"] = "0.2",
        ["Jobs:SchedulePollIntervalSeconds"] = "0.2", // retries start as soon as their delay is over
    };

    /// <summary>n rows; every 10th in a language the tiny model does not know, every 25th far too long, a few copied.</summary>
    public static string Rows(int n) => string.Concat(Enumerable.Range(1, n).Select(i =>
    {
        var target = i % 10 == 0 ? "zul_Latn" : "swh_Latn";
        var translation = i % 25 == 0 ? string.Join(' ', Enumerable.Repeat("neno refu sana", 60))
            : i % 7 == 0 ? $"Sentence {i} about the market." : $"Sentensi ya {i} kuhusu soko.";
        return $$"""{"id":"r{{i}}","source_lang":"eng_Latn","target_lang":"{{target}}","source":"Sentence {{i}} about the market.","translation":"{{translation}}"}""" + "\n";
    }));

    public static async Task<JobResponse> WaitAsync(AyaQCClient admin, string jobId, TimeSpan timeout, Func<JobResponse, bool>? until = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await admin.GetJobAsync(jobId);
            if (until?.Invoke(job) ?? job.State is "succeeded" or "failed" or "cancelled") return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {jobId} still {job.State} after {timeout}: {job.RowsDone} done, {job.RowsFailed} failed");
            await Task.Delay(200);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_job_writes_every_row_once_failing_rows_alone_with_their_reason(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider, settings: JobSettings());
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(Rows(120))));
        var started = await api.Admin.StartBackTranslationAsync(ds.Id, new StartBackTranslationRequest(BatchSize: 16, Queue: "default"));
        Assert.Contains("model:tiny-nllb", started.Signature);
        Assert.Contains("minchrf:35", started.Signature);
        var job = await WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(240));

        Assert.Equal("succeeded", job.State);
        Assert.Equal(120, job.RowsTotal);
        Assert.Equal(12 + 2, job.RowsFailed);               // 12 unknown-language rows (every 10th), too long: r25 and r75
        Assert.Equal(120 - 14, job.RowsDone);
        Assert.True(job.RowsPerSecond > 0);
        Assert.Equal("CPU", job.Device);
        var (results, distinct) = await api.Server.Services.GetRequiredService<BackTranslationJobStore>().CountResultsAsync(job.Id);
        Assert.Equal((120L, 120L), (results, distinct));

        var failed = (await api.Admin.GetDatasetRowsAsync(ds.Id, limit: 1000, failed: true)).Rows;
        Assert.Equal(14, failed.Count);
        Assert.All(failed.Where(r => r.TargetLang == "zul_Latn"), r => Assert.StartsWith("unknown language", r.Result!.Failure));
        Assert.Contains(failed, r => r.Id == "r25" && r.Result!.Failure!.StartsWith("too long"));
        var done = (await api.Admin.GetDatasetRowsAsync(ds.Id, limit: 1000, failed: false)).Rows;
        Assert.All(done, r => Assert.True(r.Result!.ChrF is >= 0 and <= 100 && r.Result.BackTranslation is not null));
        var copied = (await api.Admin.GetDatasetRowsAsync(ds.Id, limit: 1000, flag: RowFlags.CopiedSource)).Rows;
        Assert.Contains(copied, r => r.Id == "r7");
        Assert.All(copied, r => Assert.Contains(r.Result!.Flags, f => f.Flag == RowFlags.CopiedSource && f.Reason.Length > 0));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_job_started_through_the_api_is_picked_up_at_once_not_at_the_next_queue_poll(string provider)
    {
        // Idle workers poll their queues every two minutes here; a job queued by this process must wake one at once.
        var settings = JobSettings();
        settings["Jobs:PollIntervalSeconds"] = "120";
        settings["Jobs:SchedulePollIntervalSeconds"] = "120";
        await using var api = await ApiServer.StartAsync(provider, settings: settings);
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(Rows(9))));
        // The first job only makes sure the worker has looked at the queue and is now waiting out its poll interval.
        var first = await WaitAsync(api.Admin, (await api.Admin.StartBackTranslationAsync(ds.Id, new StartBackTranslationRequest(BatchSize: 4, Queue: "default"))).Id,
            TimeSpan.FromSeconds(150));
        Assert.Equal("succeeded", first.State);
        await Task.Delay(500);
        var second = await WaitAsync(api.Admin, (await api.Admin.StartBackTranslationAsync(ds.Id, new StartBackTranslationRequest(BatchSize: 4, Queue: "default"))).Id,
            TimeSpan.FromSeconds(40));
        Assert.Equal(("succeeded", 9L), (second.State, second.RowsDone + second.RowsFailed));
        Assert.True(second.StartedAt!.Value - second.CreatedAt < TimeSpan.FromSeconds(30), $"picked up {second.StartedAt - second.CreatedAt} after it was queued");
    }

    [Fact]
    public async Task Servers_started_together_in_one_process_each_run_their_own_jobs()
    {
        // Hangfire's defaults are process-wide (JobStorage.Current, JobActivator.Current): servers starting together
        // took each other's storage or services, and a job then waited forever in another server's queue.
        var servers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ApiServer.StartAsync(TestDatabases.Sqlite, settings: JobSettings())));
        try
        {
            var jobs = await Task.WhenAll(servers.Select(async api =>
            {
                var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(Rows(9))));
                var started = await api.Admin.StartBackTranslationAsync(ds.Id, new StartBackTranslationRequest(BatchSize: 4, Queue: "default"));
                return await WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(60));
            }));
            Assert.All(jobs, j => Assert.Equal(("succeeded", 9L), (j.State, j.RowsDone + j.RowsFailed)));
            var storages = servers.Select(api => api.Server.Services.GetRequiredService<Hangfire.JobStorage>()).ToList();
            Assert.Equal(3, storages.Distinct().Count());
        }
        finally
        {
            foreach (var api in servers) await api.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_stopped_server_leaves_no_connection_to_its_database()
    {
        string database, admin;
        await using (var api = await ApiServer.StartAsync(TestDatabases.Postgres, settings: JobSettings()))
        {
            var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(Rows(3))));
            await WaitAsync(api.Admin, (await api.Admin.StartBackTranslationAsync(ds.Id, new StartBackTranslationRequest(Queue: "default"))).Id,
                TimeSpan.FromSeconds(60));
            await using var c = await api.Server.Services.GetRequiredService<AyaQC.Storage.SqlDatabase>().OpenReadAsync(default);
            database = c.Database;
            admin = new Npgsql.NpgsqlConnectionStringBuilder(c.ConnectionString) { Database = "postgres", Pooling = false, Multiplexing = false }.ConnectionString;
        }
        // Idle pooled connections (Hangfire's, ours) would hold PostgreSQL's connection slots for minutes after each server.
        await using var conn = new Npgsql.NpgsqlConnection(admin);
        await conn.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @d", conn);
        count.Parameters.AddWithValue("d", database);
        var left = -1L;
        for (var i = 0; i < 50 && left != 0; i++, await Task.Delay(100)) // a closed backend leaves the view within moments
            left = (long)(await count.ExecuteScalarAsync())!;
        Assert.Equal(0L, left);
    }

    [Fact]
    public async Task Without_a_model_a_job_is_refused_naming_the_setting()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite);
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(Rows(3))));
        var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.StartBackTranslationAsync(ds.Id, new()));
        Assert.Equal(409, e.Status);
        Assert.Contains("BackTranslation:ModelPath", e.Detail);
        Assert.Equal(404, (await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.StartBackTranslationAsync("ds_nope", new()))).Status);
    }

    [Fact]
    public async Task A_cancelled_job_stops_and_the_dashboard_is_for_admins_only()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite, settings: JobSettings());
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(Rows(3000))));
        var started = await api.Admin.StartBackTranslationAsync(ds.Id, new StartBackTranslationRequest(BatchSize: 2));
        await WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(120), j => j.RowsDone > 0);
        await api.Admin.CancelJobAsync(started.Id);
        var job = await WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(120));
        Assert.Equal("cancelled", job.State);
        Assert.True(job.RowsDone + job.RowsFailed < 3000);
        var (results, _) = await api.Server.Services.GetRequiredService<BackTranslationJobStore>().CountResultsAsync(job.Id);
        Assert.Equal(job.RowsDone + job.RowsFailed, results);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Http.GetAsync("/hangfire")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await api.Http.SendAsync(request)).StatusCode);
    }
}
