using System.Net;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage;
using AyaQC.Tests.Shared;

namespace AyaQC.Server.Tests.Api;

/// <summary>The database going away and coming back: 503 + Retry-After meanwhile (never 500), then service as before.</summary>
public class FaultTests
{
    [PostgresFact]
    public async Task With_the_database_down_requests_get_503_and_the_service_recovers_without_a_restart()
    {
        // durable: an immediate stop must not lose what was committed before it (synchronous_commit=off could)
        await using var pg = await ThrowawayPostgres.StartAsync(durable: true);
        var storage = new StorageOptions { Provider = "postgres", ConnectionString = await pg.CreateDatabaseAsync("faults") + ";Timeout=3" };
        var key = ApiTokens.NewAdminKey();
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options { Storage = storage, AdminKey = key, LoadShippedSets = false });
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var admin = new AyaQCClient(http, key);
        var set = await admin.ImportGoldSetAsync("s", SyntheticGoldSet.Jsonl(SyntheticGoldSet.Items()));
        var people = await admin.RegisterAssessorsAsync(new RegisterAssessorsRequest([new("Amina")]));
        var round = await admin.OpenRoundAsync(new OpenRoundRequest("r", set.Id, 10));
        var me = admin.WithToken(people.Assessors[0].Token!);
        var first = (await me.NextItemAsync(round.Id)).Item!;

        await pg.StopAsync();
        foreach (var (path, token) in new[] { ("health", (string?)null), ("api/v1/gold-sets", key), ("api/v1/rounds", key) })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null) request.Headers.Authorization = new("Bearer", token);
            var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path}: {(int)response.StatusCode} {body}");
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("Npgsql", body);
        }
        var answer = await Assert.ThrowsAsync<AyaQCApiException>(() => me.AnswerAsync(round.Id, new AnswerRequest(first.ItemId, "good")));
        Assert.Equal(503, answer.Status);

        await pg.StartAgainAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await http.GetAsync("health")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the service did not recover after the database came back");
            await Task.Delay(250);
        }
        AnswerResponse? accepted = null;
        while (accepted is null && DateTime.UtcNow < deadline)
            try { accepted = await me.AnswerAsync(round.Id, new AnswerRequest(first.ItemId, "good")); }
            catch (AyaQCApiException e) when (e.Status == 503) { await Task.Delay(250); }
        Assert.Equal(1, accepted!.Answered);
        Assert.Single((await admin.GetResultsAsync(round.Id)).Assessors, a => a.Answered == 1);
    }
}
