using AyaQC.Core.Crowd;

namespace AyaQC.Core.Tests.Crowd;

public class DynamicOverlapTests
{
    static readonly WorkerSkills Skilled = new("test", [0.9, 0.9, 0.6], null, 2);
    static readonly double[] Even = [0.5, 0.5];

    [Fact]
    public void Two_agreeing_good_workers_are_enough()
    {
        // Posterior = 0.81 / (0.81 + 0.01) ≈ 0.988 ≥ 0.95.
        var d = new DynamicOverlapPolicy().Decide([0, 1], [1, 1], Skilled, Even);
        Assert.False(d.NeedsAnotherVote);
        Assert.Equal(1, d.BestLabel);
        Assert.Equal(0.81 / 0.82, d.Posterior, 9);
    }

    [Fact]
    public void Disagreement_asks_for_another_vote_until_the_cap()
    {
        var policy = new DynamicOverlapPolicy { MaxVotes = 3 };
        Assert.True(policy.Decide([0, 1], [1, 0], Skilled, Even).NeedsAnotherVote);
        Assert.False(policy.Decide([0, 1, 2], [1, 0, 1], Skilled, Even).NeedsAnotherVote); // cap reached
        Assert.True(policy.Decide([0], [1], Skilled, Even).NeedsAnotherVote);                // below MinVotes
    }

    [Fact]
    public void Unknown_workers_count_with_the_default_accuracy()
    {
        var d = new DynamicOverlapPolicy { UnknownWorkerAccuracy = 0.7 }.Decide([7, 8], [0, 0], Skilled, Even);
        Assert.Equal(0.49 / (0.49 + 0.09), d.Posterior, 9);
        Assert.True(d.NeedsAnotherVote);
    }

    [Fact]
    public void Dynamic_overlap_spends_less_than_fixed_five_and_beats_fixed_three()
    {
        var report = OverlapSimulation.Run(
            new CrowdSimulationOptions { Tasks = 1500, Workers = 60, Labels = 2, SpammerShare = 0.2, Seed = 4 },
            new DynamicOverlapPolicy(), [3, 5]);
        var three = report.Outcomes.Single(o => o.Strategy == "fixed-3");
        var five = report.Outcomes.Single(o => o.Strategy == "fixed-5");
        var dynamic = report.Outcomes.Single(o => o.Strategy == "dynamic");
        Assert.Equal(3.0, three.VotesPerTask);
        Assert.True(dynamic.Votes < five.Votes, $"dynamic {dynamic.Votes} vs fixed-5 {five.Votes}");
        Assert.True(dynamic.DawidSkeneAccuracy > three.DawidSkeneAccuracy, $"dynamic {dynamic.DawidSkeneAccuracy} vs fixed-3 {three.DawidSkeneAccuracy}");
    }
}
