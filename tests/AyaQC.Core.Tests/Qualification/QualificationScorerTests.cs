using AyaQC.Core.Qualification;
using static AyaQC.Core.Qualification.Verdict;

namespace AyaQC.Core.Tests.Qualification;

public class QualificationScorerTests
{
    static readonly QualificationPolicy Policy = new();

    static GradedAnswer A(Verdict gold, Verdict answer, string? type = null, string? named = null) =>
        new(gold, gold == Bad ? type ?? ErrorTypes.Mistranslation : null, answer, named);

    [Fact]
    public void Wilson_interval_matches_hand_computation()
    {
        // p = 0.8, n = 10, z = 1.96: centre 0.71674, half-width 0.22658.
        var (low, high) = WilsonInterval.Compute(8, 10);
        Assert.Equal(0.4902, low, 4);
        Assert.Equal(0.9433, high, 4);
        Assert.Equal((0.0, 1.0), WilsonInterval.Compute(0, 0));
    }

    [Fact]
    public void Kappa_accuracy_balanced_accuracy_and_bad_recall_by_hand()
    {
        // gold G G B B, answers G B B B: po = 0.75, pe = 0.5·0.25 + 0.5·0.75 = 0.5, κ = 0.5.
        var answers = new[] { A(Good, Good), A(Good, Bad), A(Bad, Bad), A(Bad, Bad) };
        var score = QualificationScorer.Score(answers, plannedItems: 4, Policy);
        Assert.Equal(0.75, score.Accuracy, 10);
        Assert.Equal(0.5, score.CohensKappa!.Value, 10);
        Assert.Equal(1.0, score.BadRecall!.Value, 10);
        Assert.Equal(0.75, score.BalancedAccuracy, 10); // (0.5 + 1.0) / 2
    }

    [Fact]
    public void Kappa_is_undefined_when_both_sides_use_one_class()
    {
        Assert.Null(QualificationScorer.CohensKappa([A(Good, Good), A(Good, Good)]));
        Assert.Equal(-1.0, QualificationScorer.CohensKappa([A(Good, Bad), A(Bad, Good)]));
    }

    [Fact]
    public void Per_error_type_accuracy_and_named_error_types()
    {
        var answers = new[]
        {
            A(Bad, Bad, ErrorTypes.WordSense, ErrorTypes.WordSense),
            A(Bad, Good, ErrorTypes.WordSense),
            A(Bad, Bad, ErrorTypes.Omission, ErrorTypes.Addition),
            A(Good, Good),
        };
        var score = QualificationScorer.Score(answers, 4, Policy);
        Assert.Equal(new ErrorTypeTally(1, 2), score.PerErrorType[ErrorTypes.WordSense]);
        Assert.Equal(new ErrorTypeTally(1, 1), score.PerErrorType[ErrorTypes.Omission]);
        Assert.Equal(0.5, score.ErrorTypeNamed!.Value, 10);
    }

    [Fact]
    public void Sprt_bounds_and_decisions_by_hand()
    {
        // ln(0.85/0.6) = 0.35364 per correct answer, ln(0.15/0.4) = -0.98083 per wrong one, bounds ±ln 19 = ±2.94444.
        var sprt = new SequentialProbabilityRatioTest(0.6, 0.85, 0.05, 0.05);
        Assert.Equal(Math.Log(19), sprt.UpperBound, 10);
        Assert.Equal(SprtOutcome.Continue, sprt.Evaluate(8, 8));    // 2.829
        Assert.Equal(SprtOutcome.AcceptH1, sprt.Evaluate(9, 9));    // 3.183
        Assert.Equal(SprtOutcome.Continue, sprt.Evaluate(0, 3));    // -2.942
        Assert.Equal(SprtOutcome.AcceptH0, sprt.Evaluate(0, 4));    // -3.923
    }

    [Fact]
    public void A_clear_expert_passes_early_and_the_saving_is_counted()
    {
        var answers = Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? A(Good, Good) : A(Bad, Bad)).ToList();
        var score = QualificationScorer.Score(answers, plannedItems: 30, Policy);
        Assert.Equal(QualificationDecision.Pass, score.Decision);
        Assert.True(score.DecidedEarly);
        Assert.Equal(9, score.DecidedAfter);
        Assert.Equal(21, score.ItemsSaved);
        Assert.Contains("SPRT", score.Reason);
        Assert.True(QualificationScorer.IsDecidedEarly(answers.Take(9).ToList(), 30, Policy));
        Assert.False(QualificationScorer.IsDecidedEarly(answers.Take(8).ToList(), 30, Policy));
    }

    [Fact]
    public void A_spammer_fails_early()
    {
        // Always "good" on alternating gold: correct, wrong, correct, wrong...
        var answers = Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? A(Good, Good) : A(Bad, Good)).ToList();
        var score = QualificationScorer.Score(answers, 30, Policy);
        Assert.Equal(QualificationDecision.Fail, score.Decision);
        Assert.True(score.DecidedEarly);
        Assert.Equal(0.0, score.BadRecall!.Value, 10);
    }

    [Fact]
    public void Without_early_stop_the_wilson_lower_bound_decides()
    {
        var policy = Policy with { MinItemsBeforeEarlyStop = 1000 };
        // 26 of 30 correct: Wilson low = 0.703 ≥ 0.70 → pass; 25 of 30: 0.664 → fail.
        var pass = Enumerable.Range(0, 30).Select(i => A(i % 2 == 0 ? Good : Bad, i < 4 ? Flip(i % 2 == 0 ? Good : Bad) : (i % 2 == 0 ? Good : Bad))).ToList();
        Assert.Equal(QualificationDecision.Pass, QualificationScorer.Score(pass, 30, policy).Decision);
        var fail = Enumerable.Range(0, 30).Select(i => A(i % 2 == 0 ? Good : Bad, i < 5 ? Flip(i % 2 == 0 ? Good : Bad) : (i % 2 == 0 ? Good : Bad))).ToList();
        var failScore = QualificationScorer.Score(fail, 30, policy);
        Assert.Equal(QualificationDecision.Fail, failScore.Decision);
        Assert.False(failScore.DecidedEarly);
        // Half answered and the interval straddles the threshold: undecided, not failed.
        Assert.Equal(QualificationDecision.Undecided, QualificationScorer.Score(fail.Take(10).ToList(), 30, policy).Decision);
    }

    [Fact]
    public void High_accuracy_with_poor_bad_recall_fails()
    {
        var policy = Policy with { MinItemsBeforeEarlyStop = 1000, MinBadRecall = 0.6 };
        // 40 good items all right, 5 bad items with 2 caught: accuracy 42/45 but bad recall 0.4.
        var answers = Enumerable.Range(0, 40).Select(_ => A(Good, Good))
            .Concat([A(Bad, Bad), A(Bad, Bad), A(Bad, Good), A(Bad, Good), A(Bad, Good)]).ToList();
        var score = QualificationScorer.Score(answers, 45, policy);
        Assert.Equal(QualificationDecision.Fail, score.Decision);
        Assert.Contains("bad recall", score.Reason);
    }

    [Fact]
    public void Top_k_ranks_by_lower_bound_and_skips_failed_and_undecided()
    {
        AssessorScore S(int correct, int n, QualificationDecision d)
        {
            var (lo, hi) = WilsonInterval.Compute(correct, n);
            return new AssessorScore(n, correct, correct / (double)n, 0, null, null, lo, hi,
                new Dictionary<string, ErrorTypeTally>(), null, d, false, n, 0, "");
        }
        var picked = TopKSelection.Select(
        [
            ("lucky", S(3, 3, QualificationDecision.Undecided)),
            ("steady", S(27, 30, QualificationDecision.Pass)),
            ("good", S(24, 30, QualificationDecision.Pass)),
            ("failed", S(30, 30, QualificationDecision.Fail)),
        ], 2);
        Assert.Equal(["steady", "good"], picked);
    }

    [Fact]
    public void Policy_signature_names_every_option_and_bad_options_are_named()
    {
        var sig = new QualificationPolicy(TopK: 20).Signature;
        Assert.Equal("qual|pass:wilson95-low>=0.7|bad-recall>=0.6|sprt:p0=0.6,p1=0.85,alpha=0.05,beta=0.05,min=8|topk:20|version:2", sig);
        var e = Assert.Throws<ArgumentException>(() => new QualificationPolicy(SprtP0: 0.9, SprtP1: 0.8).Validated());
        Assert.Contains("SprtP1", e.Message);
    }

    static Verdict Flip(Verdict v) => v == Good ? Bad : Good;
}
