using AyaQC.Core.Qualification;

namespace AyaQC.Grains.Tests;

[Collection(GrainCluster.Name)]
public class GrainTests(GrainClusterFixture f)
{
    static readonly DateTimeOffset Now = GrainClusterFixture.Now;

    IParticipantGrain Participant(string assessor) => f.Cluster.GrainFactory.GetGrain<IParticipantGrain>(ParticipantKey.Of(f.RoundId, assessor));

    [Fact]
    public async Task A_participant_is_served_in_order_and_each_answer_is_stored_once_and_survives_reactivation()
    {
        var me = Participant("asr_a");
        var first = await me.NextAsync(Now);
        Assert.Equal(ParticipantStatus.Item, first.Status);
        Assert.Equal(f.Items[0].Id, first.Item!.ItemId);
        Assert.DoesNotContain("SECRET", System.Text.Json.JsonSerializer.Serialize(first)); // texts only, never the gold

        var receipt = await me.AnswerAsync(first.Item.ItemId, "good", null, Now);
        Assert.Null(receipt.Rejection);
        Assert.Equal(f.Items[1].Id, receipt.Next!.ItemId);
        // the same item again, and an item not served yet, are refused by Core's rules
        Assert.Equal(nameof(AnswerRejection.AlreadyAnswered), (await me.AnswerAsync(first.Item.ItemId, "good", null, Now)).Rejection);
        Assert.Equal(nameof(AnswerRejection.NotCurrentItem), (await me.AnswerAsync(f.Items[5].Id, "bad", null, Now)).Rejection);
        Assert.Equal(1, (await f.Store.GetParticipantAsync(f.RoundId, "asr_a"))!.Answered); // written through before acknowledging

        // a fresh activation (on either silo) loads the same progress from the store
        await f.Cluster.KillSiloAsync(f.Cluster.SecondarySilos[0]);
        await f.Cluster.StartAdditionalSilosAsync(1);
        var again = await Participant("asr_a").NextAsync(Now);
        Assert.Equal(1, again.Answered);
        Assert.Equal(f.Items[1].Id, again.Item!.ItemId);
        Assert.Single((await f.Store.ListAnswersAsync(f.RoundId)).Where(a => a.AssessorId == "asr_a"));
    }

    [Fact]
    public async Task Concurrent_answers_to_one_participant_are_taken_once()
    {
        var me = Participant("asr_b");
        var item = (await me.NextAsync(Now)).Item!;
        var receipts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => me.AnswerAsync(item.ItemId, "good", null, Now)));
        Assert.Single(receipts, r => r.Rejection is null);
        Assert.Equal(1, (await f.Store.ListAnswersAsync(f.RoundId)).Count(a => a.AssessorId == "asr_b"));
    }

    [Fact]
    public async Task A_reissued_token_and_a_suspension_count_on_every_silo_at_once()
    {
        var assessor = f.Cluster.GrainFactory.GetGrain<IAssessorGrain>("asr_c");
        Assert.True(await assessor.AcceptsAsync("hash-asr_c"));
        Assert.True(await assessor.ReplaceTokenAsync("hash-new"));
        Assert.False(await assessor.AcceptsAsync("hash-asr_c"));
        Assert.True(await assessor.AcceptsAsync("hash-new"));
        Assert.Equal("hash-new", (await f.Store.GetAssessorRecordAsync("asr_c"))!.TokenHash);

        Assert.True(await assessor.SetSuspendedAsync(Now));
        Assert.False(await assessor.AcceptsAsync("hash-new"));
        Assert.False((await assessor.GetProfileAsync())!.Active);
        Assert.True(await assessor.SetSkillAsync("eng-swh", 0.83, Now));
        Assert.Equal(0.83, (await f.Store.GetAssessorRecordAsync("asr_c"))!.Skills["eng-swh"]);
        Assert.True(await assessor.SetSuspendedAsync(null));
        Assert.True(await assessor.AcceptsAsync("hash-new"));
        Assert.False(await f.Cluster.GrainFactory.GetGrain<IAssessorGrain>("asr_nobody").ReplaceTokenAsync("x"));
    }

    [Fact]
    public async Task Closing_the_round_stops_serving_at_once()
    {
        var round = f.Cluster.GrainFactory.GetGrain<IRoundGrain>("rnd_other");
        Assert.Null(await round.GetAsync());
        Assert.False(await round.CloseAsync(Now));
        // a round of its own, so the other tests' round stays open whatever order they run in
        var set = (await f.Store.ListGoldSetsAsync())[0];
        await f.Store.CreateRoundAsync(new Storage.NewRound("rnd_close", "c", set.Id, 4, new QualificationPolicy(), Now, null,
            [new Storage.RoundAssignment("asr_a", f.Items.Take(4).Select(i => i.Id).ToList())]));
        var p = f.Cluster.GrainFactory.GetGrain<IParticipantGrain>(ParticipantKey.Of("rnd_close", "asr_a"));
        Assert.Equal(ParticipantStatus.Item, (await p.NextAsync(Now)).Status);
        Assert.True(await f.Cluster.GrainFactory.GetGrain<IRoundGrain>("rnd_close").CloseAsync(Now));
        Assert.Equal(ParticipantStatus.RoundClosed, (await p.NextAsync(Now)).Status);
        Assert.Equal(nameof(AnswerRejection.RoundClosed), (await p.AnswerAsync(f.Items[0].Id, "good", null, Now)).Rejection);
        Assert.Equal(ParticipantStatus.NotInRound, (await f.Cluster.GrainFactory.GetGrain<IParticipantGrain>(ParticipantKey.Of("rnd_close", "asr_b")).NextAsync(Now)).Status);
    }
}
