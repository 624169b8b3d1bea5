using System.Collections.Immutable;

namespace AyaQC.Core.Qualification;

/// <summary>
/// Running counts of an assessor's graded answers: everything <see cref="QualificationScorer"/> needs, so the answer
/// path can keep its decision current one answer at a time instead of re-reading every answer.
/// </summary>
/// <param name="PerErrorType">Bad gold items with a named error type: how many were called bad, of how many.</param>
/// <param name="Named">Bad items rightly called bad where both the gold and the assessor named an error type.</param>
/// <param name="NamedRight">Of <paramref name="Named"/>, those where the assessor's type is the gold one.</param>
public sealed record AnswerTally(
    int GoodTotal, int GoodCorrect, int BadTotal, int BadCorrect,
    ImmutableSortedDictionary<string, ErrorTypeTally> PerErrorType, int Named, int NamedRight)
{
    public static readonly AnswerTally Empty =
        new(0, 0, 0, 0, ImmutableSortedDictionary.Create<string, ErrorTypeTally>(StringComparer.Ordinal), 0, 0);

    public int Answered => GoodTotal + BadTotal;
    public int Correct => GoodCorrect + BadCorrect;
    /// <summary>Answers that said "good" (right on good items, wrong on bad ones).</summary>
    public int AnsweredGood => GoodCorrect + BadTotal - BadCorrect;

    public AnswerTally Add(GradedAnswer a)
    {
        var right = a.IsCorrect ? 1 : 0;
        if (a.Gold == Verdict.Good) return this with { GoodTotal = GoodTotal + 1, GoodCorrect = GoodCorrect + right };
        var next = this with { BadTotal = BadTotal + 1, BadCorrect = BadCorrect + right };
        if (a.GoldErrorType is not { } type) return next;
        var tally = PerErrorType.GetValueOrDefault(type) ?? new ErrorTypeTally(0, 0);
        next = next with { PerErrorType = PerErrorType.SetItem(type, new ErrorTypeTally(tally.Correct + right, tally.Total + 1)) };
        return a.IsCorrect && a.AnsweredErrorType is { } named
            ? next with { Named = Named + 1, NamedRight = NamedRight + (named == type ? 1 : 0) }
            : next;
    }

    public static AnswerTally Of(IEnumerable<GradedAnswer> answers) => answers.Aggregate(Empty, (t, a) => t.Add(a));
}
