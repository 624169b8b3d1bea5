using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage;
using AyaQC.Storage.Assessment;
using AyaQC.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Assessment;

/// <summary>A project grain that cannot answer in time (its write waits on a locked database) is reported as a timeout, not as the database being down.</summary>
public class BusyProjectTests
{
    [Fact]
    public async Task An_answer_whose_grain_call_times_out_gets_503_saying_so_and_may_still_be_stored()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite);
        var w = await ProjectSetup.CreateAsync(api, rows: 6, assessors: 1);
        var project = await ProjectFlowTests.OpenProjectAsync(api, w, new OverlapRequest(Fixed: 1), controlRate: 0);
        var me = api.As(w.Assessors[0].Token!);
        var item = (await me.NextInProjectAsync(project.Id)).Item!;

        // Another process-like writer holds SQLite's write lock: the project's write waits (busy timeout 30 s) far
        // beyond the silo's 5 s response timeout, so the API's call to the grain times out while the database is up.
        var db = (SqliteDatabase)api.Server.Services.GetRequiredService<SqlDatabase>();
        await using var blocker = new SqliteConnection(db.ConnectionString);
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }
        HttpResponseMessage response;
        string body;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/projects/{project.Id}/answers")
            {
                Content = JsonContent.Create(new { itemId = item.ItemId, verdict = "good" }),
            };
            request.Headers.Authorization = new("Bearer", w.Assessors[0].Token);
            response = await api.Http.SendAsync(request);
            body = await response.Content.ReadAsStringAsync();
        }
        finally
        {
            await using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {body}");
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("timeout", problem.GetProperty("code").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("did not finish this request in time", detail);
        Assert.DoesNotContain("cannot be reached", detail);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("Orleans", body);

        // As the answer says, the request may still complete: once the lock is gone the vote is stored, and sending
        // it again is refused as already given.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var store = api.Server.Services.GetRequiredService<ProjectStore>();
        while ((await store.VotesAsync(project.Id)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the vote was not stored after the lock was released");
            await Task.Delay(100);
        }
        var again = await Assert.ThrowsAsync<AyaQC.Client.AyaQCApiException>(() =>
            me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, "good")));
        Assert.Equal(409, again.Status);
    }
}
