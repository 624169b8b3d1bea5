using AyaQC.Core.Metrics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Metrics;

public class ChrFTests
{
    /// <summary>Scores through a workspace whose n-gram tables are direct (the default) or always hashed.</summary>
    static double Score(ChrF metric, string hyp, string reference, bool packed)
    {
        var stats = new long[metric.StatisticsLength];
        new ChrFWorkspace { Matcher = new NGramMatcher { MaxDirectTable = packed ? 1 << 20 : 0 } }.Count(metric, hyp, reference, stats);
        return metric.Score(stats);
    }

    static readonly string[] Pieces = ["ka", "wa", "a", "ku", "ya", "na", "ma", "Ki", "é", "😀", "σ", ",", "(", ")", ".", " ", " ", "  "];

    [Property(MaxTest = 300)]
    public Property Direct_and_hashed_n_gram_tables_give_the_same_scores() =>
        Prop.ForAll(Gen.Zip(Gen.ArrayOf(Gen.Elements(Pieces)), Gen.ArrayOf(Gen.Elements(Pieces))).ToArbitrary(), p =>
        {
            var (h, r) = (string.Concat(p.Item1), string.Concat(p.Item2));
            return Score(ChrF.PlusPlus, h, r, packed: true) == Score(ChrF.PlusPlus, h, r, packed: false)
                && Score(ChrF.Standard, h, r, packed: true) == Score(ChrF.Standard, h, r, packed: false);
        });

    [Fact]
    public void Large_alphabets_score_correctly()
    {
        var reference = string.Concat(Enumerable.Range(0x4E00, 1500).Select(c => (char)c));
        var hyp = reference[..1400] + "abc";
        Assert.Equal(100, ChrF.Standard.SentenceScore(reference, reference), 9);
        var score = ChrF.Standard.SentenceScore(hyp, reference);
        Assert.Equal(Score(ChrF.Standard, hyp, reference, packed: false), score);
        Assert.InRange(score, 90, 99.99);
    }

    [Fact]
    public void Character_orders_above_six_are_supported()
    {
        var chrf8 = new ChrF(charOrder: 8);
        Assert.Equal(100, chrf8.SentenceScore("habari za asubuhi", "habari za asubuhi"), 9);
        Assert.True(chrf8.SentenceScore("habari za asubuhi", "habari za jioni") < ChrF.Standard.SentenceScore("habari za asubuhi", "habari za jioni"));
    }

    [Fact]
    public void Corpus_score_sums_statistics_rather_than_averaging_sentences()
    {
        (string, string)[] pairs = [("a", "a"), ("b", "c")];
        var corpus = new ChrF(beta: 3).CorpusScore(pairs);
        var meanOfSentences = pairs.Average(p => new ChrF(beta: 3).SentenceScore(p.Item1, p.Item2));
        Assert.Equal(50.0, corpus, 9);
        Assert.Equal(50.0, meanOfSentences, 9); // equal here by construction; the next pair shows the difference
        (string, string)[] uneven = [("abcdefgh", "abcdefgh"), ("x", "y")];
        Assert.NotEqual(uneven.Average(p => ChrF.Standard.SentenceScore(p.Item1, p.Item2)), ChrF.Standard.CorpusScore(uneven), 6);
    }

    [Fact]
    public void Back_translation_is_scored_as_hypothesis_against_the_source()
    {
        // chrF weighs recall (beta 2): a back-translation missing words scores lower than one with extra words.
        var source = "the cat sat on the mat";
        Assert.True(ChrF.PlusPlus.SentenceScore("the cat sat", source) < ChrF.PlusPlus.SentenceScore("the cat sat on the mat today", source));
        Assert.Equal("nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:ayaqc-1", ChrF.PlusPlus.Signature);
    }
}
