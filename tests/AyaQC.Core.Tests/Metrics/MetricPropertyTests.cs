using AyaQC.Core.Metrics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Metrics;

/// <summary>Invariants of TER and chrF over random sentences from a small vocabulary (so words repeat and shifts occur).</summary>
public class MetricPropertyTests
{
    static readonly string[] Vocabulary = ["a", "b", "c", "d", "e", "kwa", "ya", "na", "habari", "Habari"];

    static Gen<string> Sentence(int maxWords) =>
        Gen.Choose(0, maxWords).SelectMany(n => Gen.ArrayOf(Gen.Elements(Vocabulary), n)).Select(w => string.Join(' ', w));

    static Arbitrary<(string, string)> Pairs(int maxWords) =>
        Gen.Zip(Sentence(maxWords), Sentence(maxWords)).ToArbitrary();

    static readonly TranslationEditRate Ter = new();

    static int Words(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    [Property(MaxTest = 200)]
    public Property Ter_of_a_sentence_with_itself_is_zero() =>
        Prop.ForAll(Sentence(40).ToArbitrary(), s => Ter.Statistics(s, s).Edits == 0 && Ter.SentenceScore(s, s) == 0);

    [Property(MaxTest = 300)]
    public Property Ter_is_non_negative_and_edits_are_bounded_by_the_longer_side_plus_shifts() =>
        Prop.ForAll(Pairs(30), p =>
        {
            var s = Ter.Statistics(p.Item1, p.Item2);
            return s.Score >= 0 && s.Edits - s.Shifts <= Math.Max(Words(p.Item1), Words(p.Item2)) + s.Shifts;
        });

    [Property(MaxTest = 200)]
    public Property Alignment_consumes_every_word_of_both_sides_and_counts_agree() =>
        Prop.ForAll(Pairs(25), p =>
        {
            var a = Ter.Align(p.Item1, p.Item2);
            var ops = a.Operations;
            var refSide = ops.Count(o => o != TerOperation.Deletion);
            var hypSide = ops.Count(o => o != TerOperation.Insertion);
            var stats = a.Statistics;
            var consistent = stats.RefLength == 0 || (refSide == a.Reference.Count && hypSide == a.ShiftedHypothesis.Count
                && ops.Count(o => o == TerOperation.Substitution) == stats.Substitutions
                && ops.Count(o => o == TerOperation.Insertion) == stats.Insertions
                && ops.Count(o => o == TerOperation.Deletion) == stats.Deletions
                && a.Shifts.Count == stats.Shifts);
            var samePermutation = a.ShiftedHypothesis.Order().SequenceEqual(a.Hypothesis.Order());
            return consistent && samePermutation && stats == Ter.Statistics(p.Item1, p.Item2);
        });

    [Property(MaxTest = 100)]
    public Property Corpus_ter_is_the_reference_length_weighted_mean_of_sentence_ters() =>
        Prop.ForAll(Gen.ListOf(Gen.Zip(Sentence(20), Sentence(20).Where(s => s.Length > 0))).Where(l => l.Count > 0).ToArbitrary(), pairs =>
        {
            var corpus = Ter.CorpusScore(pairs);
            var stats = pairs.Select(p => Ter.Statistics(p.Item1, p.Item2)).ToList();
            var weighted = stats.Sum(s => s.Score * s.RefLength) / stats.Sum(s => s.RefLength);
            return Math.Abs(corpus.Score - weighted) < 1e-9;
        });

    [Property(MaxTest = 200)]
    public Property ChrF_is_symmetric_when_both_sides_have_the_same_number_of_characters() =>
        Prop.ForAll(Pairs(15), p =>
        {
            var (h, r) = p;
            var length = Math.Min(h.Replace(" ", "").Length, r.Replace(" ", "").Length);
            // Trim both to the same character count so every order has as many n-grams on both sides.
            h = Truncate(h, length);
            r = Truncate(r, length);
            return Math.Abs(ChrF.Standard.SentenceScore(h, r) - ChrF.Standard.SentenceScore(r, h)) < 1e-9;
        });

    [Property(MaxTest = 200)]
    public Property ChrF_of_a_sentence_with_itself_is_100_and_scores_stay_in_range() =>
        Prop.ForAll(Pairs(20), p =>
        {
            var nonEmpty = p.Item1.Trim().Length > 0;
            var self = ChrF.PlusPlus.SentenceScore(p.Item1, p.Item1);
            var score = ChrF.PlusPlus.SentenceScore(p.Item1, p.Item2);
            var bleu = Bleu.Sentence.SentenceScore(p.Item1, p.Item2);
            return (!nonEmpty || Math.Abs(self - 100) < 1e-9) && score is >= 0 and <= 100 + 1e-9 && bleu is >= 0 and <= 100 + 1e-9;
        });

    static string Truncate(string s, int nonSpaceChars)
    {
        var kept = 0;
        var end = 0;
        while (end < s.Length && kept < nonSpaceChars)
        {
            if (s[end] != ' ') kept++;
            end++;
        }
        return s[..end];
    }
}
