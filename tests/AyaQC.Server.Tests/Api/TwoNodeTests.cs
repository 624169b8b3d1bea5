using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Api;

/// <summary>The deployment of docker-compose.yml in small: two server nodes sharing one PostgreSQL database.</summary>
public class TwoNodeTests
{
    [PostgresFact]
    public async Task Two_nodes_on_one_database_serve_one_round_consistently()
    {
        var storage = await TestDatabases.CreateAsync(TestDatabases.Postgres);
        var key = ApiTokens.NewAdminKey();
        var options = new EmbeddedServer.Options { Storage = storage, AdminKey = key, LoadShippedSets = false };
        // both start at once: the schema upgrade must happen exactly once
        var nodes = await Task.WhenAll(EmbeddedServer.StartAsync(options), EmbeddedServer.StartAsync(options));
        await using var a = nodes[0];
        await using var b = nodes[1];
        using var httpA = new HttpClient { BaseAddress = a.BaseAddress };
        using var httpB = new HttpClient { BaseAddress = b.BaseAddress };
        var adminA = new AyaQCClient(httpA, key);
        var adminB = new AyaQCClient(httpB, key);

        var set = await adminA.ImportGoldSetAsync("shared", SyntheticGoldSet.Jsonl(SyntheticGoldSet.Items()));
        var people = await adminB.RegisterAssessorsAsync(new RegisterAssessorsRequest([new("Amina"), new("Baraka")]));
        var round = await adminA.OpenRoundAsync(new OpenRoundRequest("r", set.Id, 10, Policy: new RoundPolicy(MinItemsBeforeEarlyStop: 100)));
        var token = people.Assessors[0].Token!;
        var onA = adminA.WithToken(token);
        var onB = adminB.WithToken(token);

        // answers alternate between the nodes; each node sees the other's progress
        var item = (await onA.NextItemAsync(round.Id)).Item;
        for (var n = 0; item is not null; n++)
            item = (await (n % 2 == 0 ? onB : onA).AnswerAsync(round.Id, new AnswerRequest(item.ItemId, "good"))).Next;
        Assert.Equal("complete", (await onB.NextItemAsync(round.Id)).Status);

        // the same item answered on both nodes at once: exactly one is accepted
        var other = adminB.WithToken(people.Assessors[1].Token!);
        var first = (await other.NextItemAsync(round.Id)).Item!;
        var race = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Attempt(i % 2 == 0 ? other : adminA.WithToken(people.Assessors[1].Token!))));
        Assert.Equal(1, race.Count(ok => ok));
        async Task<bool> Attempt(AyaQCClient c)
        {
            try { await c.AnswerAsync(round.Id, new AnswerRequest(first.ItemId, "bad")); return true; }
            catch (AyaQCApiException e) when (e.Status == 409) { return false; }
        }

        // a suspension, a reinstatement and a reissued token through one node count on the other at once
        var bOnA = adminA.WithToken(people.Assessors[1].Token!);
        await adminB.SuspendAssessorAsync(people.Assessors[1].Id);
        Assert.Equal(401, (await Refused(() => bOnA.MeAsync()))?.Status);
        await adminA.ReinstateAssessorAsync(people.Assessors[1].Id);
        Assert.Equal(people.Assessors[1].Id, (await adminB.WithToken(people.Assessors[1].Token!).MeAsync()).AssessorId);
        var fresh = await adminB.ReissueTokenAsync(people.Assessors[1].Id);
        Assert.Equal(401, (await Refused(() => bOnA.MeAsync()))?.Status);
        Assert.Equal(people.Assessors[1].Id, (await adminA.WithToken(fresh.Token).MeAsync()).AssessorId);
        static async Task<AyaQCApiException?> Refused<T>(Func<Task<T>> call)
        {
            try { await call(); return null; }
            catch (AyaQCApiException e) { return e; }
        }

        // closing on one node stops answers on the other
        await adminB.CloseRoundAsync(round.Id);
        var next = (await onA.NextItemAsync(round.Id).ContinueWith(t => t.Exception?.InnerException as AyaQCApiException));
        Assert.Equal(409, next?.Status);
        var results = await adminA.GetResultsAsync(round.Id);
        Assert.Equal(11, results.Summary.Answers);
    }
}
