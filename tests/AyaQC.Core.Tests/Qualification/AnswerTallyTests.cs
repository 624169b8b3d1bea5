using AyaQC.Core.Qualification;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Qualification;

/// <summary>The counts the answer path keeps one answer at a time are the counts of the whole list.</summary>
public class AnswerTallyTests
{
    static readonly string?[] Types = [null, ErrorTypes.All[0], ErrorTypes.All[1], ErrorTypes.All[2]];

    static List<GradedAnswer> Answers(byte[] seeds) => seeds.Select(b =>
    {
        var gold = (b & 1) == 0 ? Verdict.Good : Verdict.Bad;
        return new GradedAnswer(gold, gold == Verdict.Bad ? Types[(b >> 1) % 4] : null, (b & 8) == 0 ? Verdict.Good : Verdict.Bad, Types[(b >> 4) % 4]);
    }).ToList();

    [Property(MaxTest = 300)]
    public void Incremental_counts_equal_the_counts_over_all_answers(byte[] seeds)
    {
        var answers = Answers(seeds);
        var tally = answers.Aggregate(AnswerTally.Empty, (t, a) => t.Add(a));
        Assert.Equal(answers.Count, tally.Answered);
        Assert.Equal(answers.Count(a => a.IsCorrect), tally.Correct);
        Assert.Equal(answers.Count(a => a.Answer == Verdict.Good), tally.AnsweredGood);
        Assert.Equal(answers.Count(a => a.Gold == Verdict.Bad), tally.BadTotal);
        var perType = answers.Where(a => a.Gold == Verdict.Bad && a.GoldErrorType != null).GroupBy(a => a.GoldErrorType!)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count(a => a.IsCorrect), g.Count()));
        Assert.Equal(perType, tally.PerErrorType.Select(e => (e.Key, e.Value.Correct, e.Value.Total)));
        var named = answers.Where(a => a.Gold == Verdict.Bad && a.IsCorrect && a.GoldErrorType != null && a.AnsweredErrorType != null).ToList();
        Assert.Equal((named.Count, named.Count(a => a.AnsweredErrorType == a.GoldErrorType)), (tally.Named, tally.NamedRight));
    }
}
