using AyaQC.Core.Qualification;
using FsCheck;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Qualification;

public class AnswerRulesTests
{
    static readonly string[] Items = ["i0", "i1", "i2", "i3", "i4", "i5"];

    /// <summary>Whatever is submitted, only the served item is taken, each at most once, in order.</summary>
    [Property(MaxTest = 300)]
    public void Only_the_current_item_is_ever_accepted(int[] picks, bool[] verdicts)
    {
        var state = new ParticipantState("r", "a", Items, 0, 0, null);
        var policy = new QualificationPolicy(MinItemsBeforeEarlyStop: 100); // no early stop here
        var accepted = new List<string>();
        for (var k = 0; k < picks.Length; k++)
        {
            var item = Items[Math.Abs(picks[k] % Items.Length)];
            var v = k < verdicts.Length && verdicts[k] ? Verdict.Good : Verdict.Bad;
            var outcome = AnswerRules.Apply(state, RoundStatus.Open, new AnswerSubmission("r", "a", item, v, null), Verdict.Good, policy);
            if (outcome.Accepted)
            {
                Assert.Equal(state.CurrentItemId, item);
                accepted.Add(item);
                state = outcome.Progress!;
            }
        }
        Assert.Equal(Items.Take(accepted.Count), accepted);
        Assert.Equal(accepted.Count, state.Answered);
        Assert.InRange(state.Correct, 0, state.Answered);
    }

    /// <summary>The server stops an assessor exactly where Core's scorer says the decision was made early.</summary>
    [Property(MaxTest = 300)]
    public void Serving_stops_where_the_scorer_decides_early(bool[] rightOrWrong, byte plannedSeed, byte minSeed)
    {
        var planned = plannedSeed % 40 + 1;
        var policy = new QualificationPolicy(MinItemsBeforeEarlyStop: minSeed % 12 + 1);
        var ids = Enumerable.Range(0, planned).Select(i => $"i{i}").ToArray();
        var state = new ParticipantState("r", "a", ids, 0, 0, null);
        var graded = new List<GradedAnswer>();
        foreach (var right in rightOrWrong.Take(planned))
        {
            if (state.Complete) break;
            var answer = right ? Verdict.Good : Verdict.Bad;
            state = AnswerRules.Apply(state, RoundStatus.Open, new AnswerSubmission("r", "a", state.CurrentItemId!, answer, null), Verdict.Good, policy).Progress!;
            graded.Add(new GradedAnswer(Verdict.Good, null, answer, null));
        }
        var score = QualificationScorer.Score(graded, planned, policy);
        Assert.Equal(state.EarlyDecision is not null, score.DecidedEarly);
        if (state.EarlyDecision is { } d) Assert.Equal(d, score.Decision);
        Assert.Equal(QualificationScorer.IsDecidedEarly(graded, planned, policy), state.EarlyDecision is not null);
    }

    [Fact]
    public void Closed_rounds_reject_before_anything_else()
    {
        var state = new ParticipantState("r", "a", Items, 0, 0, null);
        var answer = new AnswerSubmission("r", "a", "i0", Verdict.Good, null);
        Assert.Equal(AnswerRejection.RoundClosed, AnswerRules.Apply(state, RoundStatus.Closed, answer, Verdict.Good, new()).Rejection);
        Assert.Equal(AnswerRejection.RoundExpired, AnswerRules.Apply(state, RoundStatus.Expired, answer, Verdict.Good, new()).Rejection);
    }

    [Fact]
    public void Early_decision_needs_the_minimum_items_and_never_on_the_last_item()
    {
        var policy = new QualificationPolicy(MinItemsBeforeEarlyStop: 8);
        Assert.Null(AnswerRules.EarlyDecision(7, 7, 40, policy));
        Assert.Null(AnswerRules.EarlyDecision(40, 40, 40, policy)); // finished normally, not early
        Assert.Equal(QualificationDecision.Pass, AnswerRules.EarlyDecision(30, 30, 40, policy));
        Assert.Equal(QualificationDecision.Fail, AnswerRules.EarlyDecision(30, 0, 40, policy));
    }
}

public class StoredDecisionTests
{
    /// <summary>Results take the decision stored by the answer path, even under a policy that would now judge otherwise.</summary>
    [Fact]
    public void Scoring_stored_answers_uses_the_stored_early_decision()
    {
        // 9 of 10 right: Wilson's lower bound 0.60 is below 0.7, so without an early decision it is undecided.
        var answers = Enumerable.Range(0, 10).Select(i => new GradedAnswer(Verdict.Good, null, i == 4 ? Verdict.Bad : Verdict.Good, null)).ToList();
        var strict = new QualificationPolicy(MinItemsBeforeEarlyStop: 30); // would not stop after 10 answers
        var stored = QualificationScorer.Score(answers, 40, strict, QualificationDecision.Pass);
        Assert.True(stored.DecidedEarly);
        Assert.Equal(QualificationDecision.Pass, stored.Decision);
        Assert.Equal(30, stored.ItemsSaved);
        var notStored = QualificationScorer.Score(answers, 40, strict, decidedEarly: null);
        Assert.False(notStored.DecidedEarly);
        Assert.Equal(QualificationDecision.Undecided, notStored.Decision);
    }
}
