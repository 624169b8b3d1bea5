using AyaQC.Core.Assessment;
using AyaQC.Core.Crowd;
using AyaQC.Core.Metrics;

namespace AyaQC.Core.Tests.Assessment;

public class AssessmentLabelsTests
{
    [Fact]
    public void Dawid_Skene_with_controls_beats_majority_vote_on_a_board_with_lucky_spammers()
    {
        // Controls off for suspension, so spammer votes stay in: the labels alone must cope with them.
        var settings = new AssessmentSettings
        {
            Overlap = OverlapRule.FixedVotes(5), ControlRate = 0.2,
            Suspension = new SuspensionPolicy { Controls = SignalRule.Off, Speed = SignalRule.Off },
        };
        var run = new BoardRun(settings, rows: 300, controls: 60, seed: 17);
        run.Run(BoardRun.Crowd(5, 5, 0.85));
        var (votes, known) = AssessmentLabels.FromBoard(run.Board);
        var ds = AssessmentLabels.Compute(votes, known, "ds", settings.Labels);
        var mv = AssessmentLabels.Compute(votes, known, "mv", settings.Labels);
        double Accuracy(LabelSet set) => set.Tasks.Where(t => !t.Known).Average(t =>
            run.Board.TryGetItem(t.Task, out var item) && settings.Labels[run.TruthOf(item)] == t.Label ? 1.0 : 0.0);
        Assert.True(Accuracy(ds) > Accuracy(mv) + 0.02, $"DS {Accuracy(ds):F3} vs MV {Accuracy(mv):F3}");
        Assert.All(ds.Tasks.Where(t => t.Known), t => Assert.Equal(1.0, t.Posterior));
        Assert.Contains("known:", ds.Signature);
        Assert.InRange(ds.Alpha, -1, 1);
        Assert.All(ds.Tasks, t => Assert.InRange(t.Entropy, 0, Math.Log(2) + 1e-12));
    }

    [Fact]
    public void Labels_equal_the_crowd_method_on_the_same_votes_in_the_same_order()
    {
        var crowd = CrowdSimulator.Generate(new CrowdSimulationOptions { Tasks = 80, Workers = 9, Labels = 3, VotesPerTask = 3, SpammerShare = 0.3, Seed = 2 });
        var a = crowd.Answers;
        var votes = new List<LabelVote>();
        for (var v = 0; v < a.VoteCount; v++) votes.Add(new(a.TaskNames[a.VoteTask[v]], a.WorkerNames[a.VoteWorker[v]], a.LabelNames[a.VoteLabel[v]]));
        foreach (var method in CrowdMethods.Names)
        {
            // Worker ids are numbered in a different order here, so sums run in another order; GLAD's truncated
            // conjugate-gradient M-step amplifies that (see SimulationPropertyTests), the others agree to rounding.
            var tolerance = method == "glad" ? 0.05 : 1e-9;
            var direct = CrowdMethods.Create(method).Aggregate(a);
            var set = AssessmentLabels.Compute(votes, method: method);
            for (var t = 0; t < a.TaskCount; t++)
            {
                if (method != "glad") Assert.True(direct.LabelName(t) == set.Tasks[t].Label, $"{method}: task {t}");
                Assert.True(Math.Abs(direct.Posterior(t)[direct.Labels[t]] - set.Tasks[t].Posterior) < tolerance, $"{method}: task {t} posterior");
            }
        }
    }

    [Fact]
    public void Post_edit_hter_is_ter_of_the_translation_against_the_post_edit()
    {
        var score = new PostEditScore(new TerOptions(CaseSensitive: true));
        Assert.Equal(0, score.Hter("Habari ya asubuhi", "Habari ya asubuhi"));
        Assert.Equal(new TranslationEditRate(new TerOptions(CaseSensitive: true)).SentenceScore("habari yako", "Habari yako leo"),
            score.Hter("habari yako", "Habari yako leo"));
        Assert.StartsWith("hter|nrefs:1|case:mixed", score.Signature);
    }
}
