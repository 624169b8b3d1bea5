using AyaQC.Core.Assessment;
using AyaQC.Core.Crowd;
using AyaQC.Core.Qualification;
using FsCheck;
using FsCheck.Fluent;
using AnswerOutcome = AyaQC.Core.Assessment.AnswerOutcome;
using AnswerRejection = AyaQC.Core.Assessment.AnswerRejection;

namespace AyaQC.Core.Tests.Assessment;

public class WatchingAssessorsTests
{
    static readonly AssessmentSettings ControlsOnly = new()
    {
        Overlap = OverlapRule.FixedVotes(3),
        ControlRate = 0.25,
        Suspension = new SuspensionPolicy { Controls = new SignalRule(true, 6, 0.7), Speed = SignalRule.Off, Agreement = SignalRule.Off },
    };

    [Fact]
    public void Spammers_are_suspended_by_control_accuracy_and_honest_assessors_are_not()
    {
        var run = new BoardRun(ControlsOnly, rows: 200, controls: 80, seed: 21);
        run.Run(BoardRun.Crowd(8, 4, 0.92));
        var records = run.Board.Assessors.ToDictionary(a => a.Id);
        for (var i = 0; i < 4; i++)
        {
            var s = records[$"as{i}"];
            Assert.True(s.Suspended, $"spammer as{i}: {s.ControlsCorrect}/{s.Controls} controls, not suspended");
            Assert.Equal(WatchSignal.Controls, s.Suspension!.Signal);
            Assert.True(s.Suspension.WilsonUpper < 0.7);
            Assert.Equal(WilsonInterval.Compute(s.Suspension.Successes, s.Suspension.Count).High, s.Suspension.WilsonUpper);
        }
        Assert.All(Enumerable.Range(0, 8), i => Assert.False(records[$"ah{i}"].Suspended));
    }

    [Fact]
    public void Suspended_assessors_get_no_work_their_answers_are_refused_and_their_votes_stop_counting()
    {
        var settings = ControlsOnly with { Suspension = ControlsOnly.Suspension with { Controls = new SignalRule(true, 1, 0.9) }, ControlRate = 0 };
        var board = new AssessmentBoard(settings with { ControlRate = 1 }, ["r0", "r1"], [new ControlItem("g0", 1), new ControlItem("g1", 1)], new OpaqueItemIds(new byte[32]), 5);
        var t = DateTimeOffset.UnixEpoch;
        var served = board.Next("x", t);
        Assert.True(served.Item.IsControl);
        var outcome = board.Answer("x", served.ItemId!, 0, t.AddSeconds(10)); // wrong: 0/1, Wilson upper 0.79 < 0.9
        Assert.Equal(false, outcome.ControlCorrect);
        Assert.Single(outcome.NewlySuspended);
        Assert.Equal(ServeStatus.Suspended, board.Next("x", t).Status);
        Assert.Equal(AnswerRejection.Suspended, board.Answer("x", served.ItemId!, 1, t).Rejection);
        Assert.True(board.Reinstate("x"));
        Assert.False(board.Assessor("x")!.Suspended);
        Assert.Equal(ServeStatus.Item, board.Next("x", t).Status);
    }

    [Fact]
    public void A_suspended_assessors_votes_are_excluded_and_their_rows_reopen()
    {
        var settings = new AssessmentSettings
        {
            Overlap = OverlapRule.FixedVotes(1), ControlRate = 0,
            Suspension = new SuspensionPolicy { Controls = SignalRule.Off, Agreement = SignalRule.Off, Speed = new SignalRule(true, 3, 0.6), MinSecondsPerItem = 2 },
        };
        var board = new AssessmentBoard(settings, ["r0", "r1", "r2", "r3"], [], new OpaqueItemIds(new byte[32]), 5);
        var t = DateTimeOffset.UnixEpoch;
        AnswerOutcome last = null!;
        for (var i = 0; i < 3; i++)
        {
            var s = board.Next("fast", t);
            last = board.Answer("fast", s.ItemId!, 1, t.AddSeconds(0.5)); // a click every half second
        }
        Assert.Equal(WatchSignal.Speed, Assert.Single(last.NewlySuspended).Suspension!.Signal);
        Assert.Equal(0, Enumerable.Range(0, 4).Sum(r => board.Row(r).Votes));
        // All four rows are open again for others.
        for (var i = 0; i < 4; i++)
        {
            var s = board.Next("slow", t);
            Assert.Equal(ServeStatus.Item, s.Status);
            Assert.True(board.Answer("slow", s.ItemId!, 1, t.AddSeconds(30)).Accepted);
        }
        Assert.Equal(4, board.FinishedRows());
        Assert.True(board.Reinstate("fast"));
        Assert.Equal(7, Enumerable.Range(0, 4).Sum(r => board.Row(r).Votes)); // counted again
    }

    [Fact]
    public void Disagreeing_with_aggregated_labels_feeds_the_same_rule()
    {
        var settings = new AssessmentSettings
        {
            Overlap = OverlapRule.FixedVotes(5), ControlRate = 0,
            Suspension = new SuspensionPolicy { Controls = SignalRule.Off, Speed = SignalRule.Off, Agreement = new SignalRule(true, 10, 0.6) },
        };
        var run = new BoardRun(settings, rows: 60, controls: 0, seed: 8);
        run.Run([.. BoardRun.Crowd(6, 0, 0.95), new Crowdworker("contrarian", 0.0)]);
        var contrarian = run.Board.Assessor("contrarian")!;
        Assert.True(contrarian.Suspended);
        Assert.Equal(WatchSignal.Agreement, contrarian.Suspension!.Signal);
        Assert.All(run.Board.Assessors.Where(a => a.Id != "contrarian"), a => Assert.False(a.Suspended, a.Suspension?.Reason));
    }

    [Fact]
    public void Skill_is_the_beta_posterior_mean_of_control_answers()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, 30)), Arb.From(Gen.Choose(0, 30)), (right, wrong) =>
        {
            var settings = new AssessmentSettings { Overlap = OverlapRule.FixedVotes(1), ControlRate = 1, Skill = new SkillPrior(2, 1),
                Suspension = new SuspensionPolicy { Controls = SignalRule.Off, Speed = SignalRule.Off } };
            var n = right + wrong;
            var board = new AssessmentBoard(settings, ["r"], Enumerable.Range(0, n).Select(i => new ControlItem($"g{i}", 1)).ToList(), new OpaqueItemIds(new byte[32]), n);
            var answers = Enumerable.Repeat(1, right).Concat(Enumerable.Repeat(0, wrong)).ToList();
            foreach (var label in answers)
            {
                var s = board.Next("a", DateTimeOffset.UnixEpoch);
                Assert.True(s.Item.IsControl);
                Assert.True(board.Answer("a", s.ItemId!, label, DateTimeOffset.UnixEpoch.AddSeconds(5)).Accepted);
            }
            var record = board.Assessor("a") ?? new AssessorRecord("a", 0, settings.Skill);
            Assert.Equal((2.0 + right) / (3.0 + n), record.Skill, 12);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    [Fact]
    public void The_policy_signature_names_every_parameter()
    {
        var s = new SuspensionPolicy { Controls = new SignalRule(true, 7, 0.65), MinSecondsPerItem = 1.5 }.Signature;
        Assert.Contains("controls:min:7|below:0.65", s);
        Assert.Contains("@1.5s", s);
        Assert.Contains("agreement:off", s);
    }
}
