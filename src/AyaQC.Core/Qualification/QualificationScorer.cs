using System.Globalization;

namespace AyaQC.Core.Qualification;

/// <summary>One answer of an assessor next to the gold it is graded against.</summary>
public sealed record GradedAnswer(Verdict Gold, string? GoldErrorType, Verdict Answer, string? AnsweredErrorType)
{
    public bool IsCorrect => Gold == Answer;
}

public enum QualificationDecision { Pass, Fail, Undecided }

public sealed record ErrorTypeTally(int Correct, int Total)
{
    public double Accuracy => Total == 0 ? 0 : Correct / (double)Total;
}

/// <summary>An assessor's qualification result with the evidence behind it.</summary>
/// <param name="CohensKappa">Agreement with gold beyond chance; null when undefined (one class only on both sides).</param>
/// <param name="BadRecall">Share of bad items called bad; null when no bad item was answered.</param>
/// <param name="ErrorTypeNamed">Of the bad items correctly called bad where the assessor named an error type, the share named right.</param>
/// <param name="DecidedAfter">Answers after which the decision was taken (all answers when not early).</param>
public sealed record AssessorScore(
    int Answered,
    int Correct,
    double Accuracy,
    double BalancedAccuracy,
    double? CohensKappa,
    double? BadRecall,
    double WilsonLow,
    double WilsonHigh,
    IReadOnlyDictionary<string, ErrorTypeTally> PerErrorType,
    double? ErrorTypeNamed,
    QualificationDecision Decision,
    bool DecidedEarly,
    int DecidedAfter,
    int ItemsSaved,
    string Reason);

/// <summary>Scores an assessor's answers against gold and decides pass / fail under a <see cref="QualificationPolicy"/>.</summary>
public static class QualificationScorer
{
    /// <summary>Scores answers given in order, replaying the answer path's early decision along them (simulations, offline sets).</summary>
    /// <param name="answersInOrder">Answers in the order given; early stopping is judged along this order.</param>
    /// <param name="plannedItems">Items the assessor was drawn; decides whether the round is complete for them.</param>
    public static AssessorScore Score(IReadOnlyList<GradedAnswer> answersInOrder, int plannedItems, QualificationPolicy policy)
    {
        var (at, decision) = ReplayEarlyDecision(answersInOrder, plannedItems, policy);
        return Score(at > 0 ? answersInOrder.Take(at).ToList() : answersInOrder, plannedItems, policy, decision);
    }

    /// <summary>Scores the answers a round stored, taking the early decision the answer path made (never judging it again).</summary>
    /// <param name="decidedEarly">The decision <see cref="AnswerRules"/> stored with the last answer; null when not decided early.</param>
    public static AssessorScore Score(IReadOnlyList<GradedAnswer> used, int plannedItems, QualificationPolicy policy, QualificationDecision? decidedEarly) =>
        Score(AnswerTally.Of(used), plannedItems, policy, decidedEarly);

    /// <summary>Scores an assessor from the counts the answer path keeps (<see cref="AnswerTally"/>), with its early decision.</summary>
    public static AssessorScore Score(AnswerTally used, int plannedItems, QualificationPolicy policy, QualificationDecision? decidedEarly)
    {
        var sprt = new SequentialProbabilityRatioTest(policy);
        int n = used.Answered, correct = used.Correct;
        var earlyAt = decidedEarly is null ? 0 : n;
        double accuracy = n == 0 ? 0 : correct / (double)n;
        var (low, high) = WilsonInterval.Compute(correct, n);
        double? goodRecall = used.GoodTotal == 0 ? null : used.GoodCorrect / (double)used.GoodTotal;
        double? badRecall = used.BadTotal == 0 ? null : used.BadCorrect / (double)used.BadTotal;
        double balanced = (goodRecall, badRecall) switch
        {
            (double g, double b) => (g + b) / 2,
            (double g, null) => g,
            (null, double b) => b,
            _ => 0,
        };
        var perType = used.PerErrorType.ToDictionary(e => e.Key, e => e.Value); // ordinal order, as the results list them
        double? namedRight = used.Named == 0 ? null : used.NamedRight / (double)used.Named;

        QualificationDecision decision;
        string reason;
        var ci = F($"Wilson 95% [{low:0.000}, {high:0.000}] over {n} answers");
        if (earlyAt > 0)
        {
            decision = decidedEarly!.Value;
            reason = F($"SPRT accepted p{(decision == QualificationDecision.Pass ? $"={policy.SprtP1:0.##}" : $"={policy.SprtP0:0.##}")} after {earlyAt} of {plannedItems} items (LLR {sprt.LogLikelihoodRatio(correct, n):0.00}; bounds {sprt.LowerBound:0.00}, {sprt.UpperBound:0.00}); {ci}");
        }
        else
        {
            var recallOk = badRecall is null || badRecall >= policy.MinBadRecall;
            var complete = n >= plannedItems;
            if (low >= policy.PassThreshold && recallOk)
                (decision, reason) = (QualificationDecision.Pass, F($"{ci}: lower bound ≥ {policy.PassThreshold:0.00}"));
            else if (low >= policy.PassThreshold)
                (decision, reason) = (QualificationDecision.Fail, F($"bad recall {badRecall:0.000} < {policy.MinBadRecall:0.00} (missed bad translations); {ci}"));
            else if (complete || high < policy.PassThreshold)
                (decision, reason) = (QualificationDecision.Fail, F($"{ci}: lower bound < {policy.PassThreshold:0.00}"));
            else
                (decision, reason) = (QualificationDecision.Undecided, F($"{ci} straddles {policy.PassThreshold:0.00} with {plannedItems - n} items unanswered"));
        }

        return new AssessorScore(n, correct, accuracy, balanced, CohensKappa(used), badRecall, low, high, perType, namedRight,
            decision, earlyAt > 0, n, earlyAt > 0 ? Math.Max(0, plannedItems - earlyAt) : 0, reason);
    }

    /// <summary>Where and how <see cref="AnswerRules.EarlyDecision"/> stops these answers (0 and null when it does not).</summary>
    static (int At, QualificationDecision? Decision) ReplayEarlyDecision(IReadOnlyList<GradedAnswer> answers, int plannedItems, QualificationPolicy policy)
    {
        var correct = 0;
        for (var i = 0; i < answers.Count; i++)
        {
            if (answers[i].IsCorrect) correct++;
            if (AnswerRules.EarlyDecision(i + 1, correct, plannedItems, policy) is { } d) return (i + 1, d);
        }
        return (0, null);
    }

    /// <summary>Whether an assessor with these answers so far is decided and should get no more items.</summary>
    public static bool IsDecidedEarly(IReadOnlyList<GradedAnswer> answersInOrder, int plannedItems, QualificationPolicy policy) =>
        ReplayEarlyDecision(answersInOrder, plannedItems, policy).At > 0;

    /// <summary>Cohen's kappa (1960) between the assessor's verdicts and gold.</summary>
    public static double? CohensKappa(IReadOnlyList<GradedAnswer> answers) => CohensKappa(AnswerTally.Of(answers));

    /// <summary>Cohen's kappa from the counts; null when undefined (no answers, or one class only on both sides).</summary>
    public static double? CohensKappa(AnswerTally t)
    {
        var n = t.Answered;
        if (n == 0) return null;
        double observed = t.Correct / (double)n;
        double goldGood = t.GoodTotal / (double)n;
        double answerGood = t.AnsweredGood / (double)n;
        var expected = goldGood * answerGood + (1 - goldGood) * (1 - answerGood);
        return expected >= 1 ? null : (observed - expected) / (1 - expected);
    }

    static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
