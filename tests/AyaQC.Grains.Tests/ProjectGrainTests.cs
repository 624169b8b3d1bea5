using System.Collections.Concurrent;
using AyaQC.Contracts;
using AyaQC.Storage.Assessment;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace AyaQC.Grains.Tests;

/// <summary>One project served through both silos at once: the single activation keeps the overlap and the
/// one-vote-per-assessor rule, and a silo killed mid-way loses no acknowledged vote.</summary>
public class ProjectGrainTests(ProjectClusterFixture f) : IClassFixture<ProjectClusterFixture>
{
    static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The assessor works until there is nothing left, each call through the next factory in turn; returns acknowledged (item) pairs.</summary>
    static async Task WorkAsync(IReadOnlyList<IGrainFactory> through, string projectId, string assessor, int seed,
        ConcurrentBag<(string Assessor, string Item)> acknowledged, CancellationToken ct)
    {
        var random = new Random(seed);
        var call = seed;
        IProjectGrain Grain() => through[call++ % through.Count].GetGrain<IProjectGrain>(projectId);
        for (var attempts = 0; attempts < 2000 && !ct.IsCancellationRequested; attempts++)
        {
            try
            {
                var next = await Grain().NextAsync(assessor, Now);
                Assert.Null(next.Refusal);
                if (next.Item is not { } item)
                {
                    // Nothing for this assessor now, but a row another assessor holds may still need a vote only
                    // someone else can give: stop once every row is finished, as a crowd that keeps asking would.
                    if ((await Grain().GetAsync(Now))!.FinishedRows == ProjectClusterFixture.Rows) return;
                    await Task.Delay(50, ct);
                    continue;
                }
                var verdict = random.NextDouble() < 0.7 ? "good" : "bad";
                var answer = await Grain().AnswerAsync(assessor, item.ItemId, verdict, null, null, Now);
                if (answer.Refusal is null) acknowledged.Add((assessor, item.ItemId));
                else Assert.True(answer.Refusal is ProjectRefusal.NotServed or ProjectRefusal.AlreadyAnswered, $"{answer.Refusal}: {answer.Detail}");
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or OrleansException)
            {
                await Task.Delay(100, CancellationToken.None); // the node hosting the project died: ask again once it has moved
            }
        }
    }

    static void AssertStored(IReadOnlyList<StoredVote> votes, int minVotes, int maxVotes)
    {
        Assert.Equal(votes.Count, votes.Select(v => (v.AssessorId, v.ItemId)).Distinct().Count()); // never twice to one assessor
        var perRow = votes.GroupBy(v => v.ItemId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(ProjectClusterFixture.Rows, perRow.Count);
        Assert.All(perRow.Values, n => Assert.InRange(n, minVotes, maxVotes)); // never more than the overlap needs
        Assert.Equal(votes.Count, votes.Select(v => v.Seq).Distinct().Count());
    }

    public static TheoryData<int?, int, int> Overlaps => new() { { 3, 3, 3 }, { null, 2, 4 } };

    [Theory, MemberData(nameof(Overlaps))]
    public async Task Assessors_answering_through_both_silos_fill_each_row_to_its_overlap_and_never_twice(int? fixedVotes, int min, int max)
    {
        var projectId = await f.CreateProjectAsync(fixedVotes is { } k ? new OverlapRequest(Fixed: k) : new OverlapRequest(MinVotes: min, MaxVotes: max), Now);
        var through = f.Cluster.Silos.Select(f.Through).ToList();
        var acknowledged = new ConcurrentBag<(string, string)>();
        await Task.WhenAll(f.Assessors.Select((a, i) => Task.Run(() => WorkAsync(through, projectId, a, i, acknowledged, CancellationToken.None))));

        var votes = await f.Projects.VotesAsync(projectId);
        AssertStored(votes, min, max);
        Assert.Equal(acknowledged.Order(), votes.Select(v => (v.AssessorId, v.ItemId)).Order());
        var summary = (await through[1].GetGrain<IProjectGrain>(projectId).GetAsync(Now))!;
        Assert.Equal((ProjectClusterFixture.Rows, (long)votes.Count), (summary.FinishedRows, summary.Votes));
        if (fixedVotes is null) Assert.Contains(votes.GroupBy(v => v.ItemId), g => g.Count() < max); // dynamic overlap stops early on clear rows
    }

    [Fact]
    public async Task A_silo_killed_mid_way_loses_no_acknowledged_vote_and_the_project_goes_on()
    {
        await f.Cluster.StartAdditionalSilosAsync(1); // three silos: the one hosting the project dies, the primary (membership) stays
        // Placement is the cluster's choice (resource-optimized): take a project whose activation is not on the
        // primary silo, which holds the test cluster's membership and must stay.
        string projectId = "";
        SiloAddress host = f.Cluster.Primary.SiloAddress;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var attempt = 0; DateTime.UtcNow < deadline && host.Equals(f.Cluster.Primary.SiloAddress); attempt++)
        {
            projectId = await f.CreateProjectAsync(new OverlapRequest(Fixed: 2), Now);
            var entry = f.Cluster.SecondarySilos[attempt % f.Cluster.SecondarySilos.Count]; // first calls enter by each secondary in turn
            Assert.Null((await f.Through(entry).GetGrain<IProjectGrain>(projectId).NextAsync("asr_p01", Now)).Refusal);
            host = await HostOfAsync(projectId);
        }
        Assert.NotEqual(f.Cluster.Primary.SiloAddress, host);
        var victim = f.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));

        var survivors = f.Cluster.Silos.Where(s => s != victim).Select(f.Through).ToList();
        var acknowledged = new ConcurrentBag<(string, string)>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var firstHalf = f.Assessors.Take(6).Select((a, i) => Task.Run(() => WorkAsync(survivors, projectId, a, i, acknowledged, stop.Token))).ToList();
        while (acknowledged.Count < 25 && !firstHalf.All(t => t.IsCompleted) && !stop.IsCancellationRequested) await Task.Delay(20);
        await f.Cluster.KillSiloAsync(victim);
        var before = acknowledged.ToList();
        await Task.WhenAll(firstHalf);
        await Task.WhenAll(f.Assessors.Skip(6).Select((a, i) => Task.Run(() => WorkAsync(survivors, projectId, a, 6 + i, acknowledged, stop.Token))));
        Assert.False(stop.IsCancellationRequested, "the project did not finish within 90 s of the kill");

        var votes = await f.Projects.VotesAsync(projectId);
        var stored = votes.Select(v => (v.AssessorId, v.ItemId)).ToHashSet();
        Assert.All(acknowledged, a => Assert.Contains(a, stored)); // every acknowledged vote, before and after the kill
        Assert.True(before.Count >= 25);
        AssertStored(votes, 2, 2);
    }

    [Fact]
    public async Task Past_its_deadline_the_project_refuses_work_on_every_silo_and_stores_nothing_more()
    {
        var deadline = Now.AddMinutes(30);
        var projectId = await f.CreateProjectAsync(new OverlapRequest(Fixed: 2), Now, deadline);
        var (first, second) = (f.Through(f.Cluster.Silos[0]).GetGrain<IProjectGrain>(projectId), f.Through(f.Cluster.Silos[1]).GetGrain<IProjectGrain>(projectId));

        var justBefore = deadline.AddSeconds(-1);
        var served = await first.NextAsync("asr_p01", justBefore);
        Assert.NotNull(served.Item);
        var answered = await second.AnswerAsync("asr_p01", served.Item!.ItemId, "good", null, null, justBefore);
        Assert.Null(answered.Refusal);
        var held = answered.Item!; // served before the deadline, answered after it
        Assert.Equal("open", (await first.GetAsync(justBefore))!.State);

        foreach (var grain in new[] { first, second })
        {
            Assert.Equal("expired", (await grain.GetAsync(deadline))!.State);
            Assert.Equal(ProjectRefusal.NotOpen, (await grain.NextAsync("asr_p02", deadline)).Refusal);
            var late = await grain.AnswerAsync("asr_p01", held.ItemId, "bad", null, null, deadline.AddMinutes(5));
            Assert.Equal(ProjectRefusal.NotOpen, late.Refusal);
            Assert.Contains("expired", late.Detail);
            Assert.Equal("project_expired", (await grain.SetStateAsync("open", deadline.AddMinutes(5))).Code);
        }
        Assert.Equal([("asr_p01", served.Item!.ItemId)], (await f.Projects.VotesAsync(projectId)).Select(v => (v.AssessorId, v.ItemId)));
        Assert.Equal("open", (await f.Projects.GetAsync(projectId))!.State); // expiry is read from the clock, never written

        await second.ReloadAsync(); // rebuilt from the database: still one vote, still expired, still refusing
        var summary = (await first.GetAsync(deadline))!;
        Assert.Equal(("expired", 1L), (summary.State, summary.Votes));
        Assert.Equal(ProjectRefusal.NotOpen, (await first.AnswerAsync("asr_p01", held.ItemId, "bad", null, null, deadline)).Refusal);
        Assert.Single(await f.Projects.VotesAsync(projectId));
    }

    async Task<SiloAddress> HostOfAsync(string projectId)
    {
        var management = f.Cluster.Client.GetGrain<IManagementGrain>(0);
        var id = f.Cluster.Client.GetGrain<IProjectGrain>(projectId).GetGrainId();
        return (await management.GetDetailedGrainStatistics()).Single(s => s.GrainId == id).SiloAddress;
    }
}
