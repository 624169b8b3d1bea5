using System.Net;
using System.Text;
using AyaQC.Contracts;
using AyaQC.Server.Hosting;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage;
using AyaQC.Storage.Datasets;
using AyaQC.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Datasets;

/// <summary>PostgreSQL stopped in the middle of a back-translation job: the API answers 503 with Retry-After, the job
/// waits and retries, and once the database is back it finishes with every row exactly once.</summary>
public class DatabaseOutageTests
{
    [PostgresFact]
    public async Task A_job_outlives_a_database_outage_and_the_api_answers_503_meanwhile()
    {
        // Durable settings: an immediate stop is a crash, and without fsync/synchronous_commit it would lose commits
        // the job was told were made (the job then rightly stops; here it must resume without losing a row).
        await using var pg = await ThrowawayPostgres.StartAsync(durable: true);
        var cs = await pg.CreateDatabaseAsync("outage");
        var key = AyaQC.Server.Auth.ApiTokens.NewAdminKey();
        var settings = BackTranslationJobTests.JobSettings();
        settings["Jobs:MaxRetryDelaySeconds"] = "1"; // the job notices the database is back within a second
        settings["Jobs:StaleAfterSeconds"] = "5";
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
        {
            Storage = new StorageOptions { Provider = "postgres", ConnectionString = cs },
            AdminKey = key,
            LoadShippedSets = false,
            Settings = settings,
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var admin = new AyaQC.Client.AyaQCClient(http, key);
        var ds = await admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(BackTranslationJobTests.Rows(300))));
        var job = await admin.StartBackTranslationAsync(ds.Id, new StartBackTranslationRequest(BatchSize: 4, Queue: "default"));
        await BackTranslationJobTests.WaitAsync(admin, job.Id, TimeSpan.FromSeconds(120), j => j.RowsDone > 10);

        await pg.StopAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/jobs/{job.Id}"))
        {
            request.Headers.Authorization = new("Bearer", key);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("storage_unavailable", await response.Content.ReadAsStringAsync());
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // the job is retrying with back-off meanwhile
        await pg.StartAgainAsync();

        var done = await BackTranslationJobTests.WaitAsync(admin, job.Id, TimeSpan.FromSeconds(240));
        Assert.Equal("succeeded", done.State);
        Assert.Equal(300, done.RowsDone + done.RowsFailed);
        var (results, distinct) = await server.Services.GetRequiredService<BackTranslationJobStore>().CountResultsAsync(job.Id);
        Assert.Equal((300L, 300L), (results, distinct));
    }
}
