using AyaQC.Cli.Assessment;
using AyaQC.Cli.Qualification;
using AyaQC.Tests.Shared;

namespace AyaQC.Cli.Tests.Assessment;

public class SimulateAssessmentTests
{
    [Fact]
    public async Task The_simulated_assessment_suspends_bad_assessors_beats_majority_vote_and_saves_votes_with_dynamic_overlap()
    {
        var (name, jsonl) = GoldSetSource.Load(RepoPaths.InRepo("qualification-sets", "en-sw"));
        var settings = new AssessmentSimulation.Settings();
        var outcome = await SimulateAssessmentCommand.RunInProcessAsync(jsonl, name, RepoPaths.InRepo("docs", "examples", "en-sw-dataset.jsonl"),
            settings, CancellationToken.None);
        var report = SimulateAssessmentCommand.Report(outcome, settings);

        Assert.True(outcome.PoolRoles.GetValueOrDefault(WorkerRole.LuckySpammer) > 0, report);
        Assert.Equal(0, outcome.PoolRoles.GetValueOrDefault(WorkerRole.Spammer)); // qualification stopped the plain spammers
        var (fixedRun, dynamicRun) = (outcome.Projects[0], outcome.Projects[1]);
        Assert.True(dynamicRun.VotesPerRow < fixedRun.VotesPerRow, report);
        foreach (var p in outcome.Projects)
        {
            Assert.True(p.ServiceAccuracy >= p.MajorityVoteAccuracy, report);
            Assert.True(p.ServiceAccuracy > 0.9, report);
            Assert.Equal(0, p.HonestSuspended);
            Assert.True(p.Suspensions.Count(s => s.Suspended) * 2 >= p.BadInPool, report);
            Assert.All(p.Suspensions.Where(s => s.Suspended), s => Assert.NotNull(s.Reason));
        }
        Assert.Contains("cost/accepted", report);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_run_and_another_seed_a_different_one()
    {
        var (name, jsonl) = GoldSetSource.Load(RepoPaths.InRepo("qualification-sets", "en-sw"));
        var dir = Directory.CreateTempSubdirectory("ayaqc-simulate-seed-");
        try
        {
            var rows = Path.Combine(dir.FullName, "rows.jsonl");
            File.WriteAllLines(rows, File.ReadLines(RepoPaths.InRepo("docs", "examples", "en-sw-dataset.jsonl")).Take(80));
            async Task<string> Run(int seed)
            {
                var settings = new AssessmentSimulation.Settings(Assessors: 12, Seed: seed);
                var outcome = await SimulateAssessmentCommand.RunInProcessAsync(jsonl, name, rows, settings, CancellationToken.None);
                return string.Join('\n', SimulateAssessmentCommand.Report(outcome, settings).Split('\n').Where(l => !l.StartsWith("elapsed")));
            }
            var first = await Run(7);
            Assert.Equal(first, await Run(7));
            Assert.NotEqual(first, await Run(8));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
