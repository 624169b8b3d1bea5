using AyaQC.Core.Metrics;

namespace AyaQC.Core.Tests.Metrics;

/// <summary>Hand-worked TER cases, one per edit kind, with the alignment checked.</summary>
public class TranslationEditRateTests
{
    readonly TranslationEditRate _ter = new();

    [Fact]
    public void Substitution_is_one_edit()
    {
        var s = _ter.Statistics("a b c", "a x c");
        Assert.Equal(new TerStatistics(Insertions: 0, Deletions: 0, Substitutions: 1, Shifts: 0, RefLength: 3), s);
        Assert.Equal(100.0 / 3, s.Score, 12);
    }

    [Fact]
    public void Missing_reference_word_is_an_insertion()
    {
        var a = _ter.Align("a c", "a b c");
        Assert.Equal(new TerStatistics(1, 0, 0, 0, 3), a.Statistics);
        Assert.Equal([TerOperation.Match, TerOperation.Insertion, TerOperation.Match], a.Operations);
    }

    [Fact]
    public void Extra_hypothesis_word_is_a_deletion()
    {
        var a = _ter.Align("a b x c", "a b c");
        Assert.Equal(new TerStatistics(0, 1, 0, 0, 3), a.Statistics);
        Assert.Equal([TerOperation.Match, TerOperation.Match, TerOperation.Deletion, TerOperation.Match], a.Operations);
    }

    [Fact]
    public void Block_moved_to_its_place_is_one_shift()
    {
        var a = _ter.Align("d e f g h a b c", "a b c d e f g h");
        Assert.Equal(new TerStatistics(0, 0, 0, 1, 8), a.Statistics);
        Assert.Equal(12.5, a.Statistics.Score);
        Assert.Equal(a.Reference, a.ShiftedHypothesis);
        // The edit-distance alignment matches "d e f g h" already, so only the unmatched block "a b c" may move
        // (a shifted block must contain a hypothesis error); it goes to the front.
        Assert.Equal(new TerShift(Start: 5, Length: 3, Target: 0), Assert.Single(a.Shifts));
        Assert.All(a.Operations, op => Assert.Equal(TerOperation.Match, op));
    }

    [Fact]
    public void Shift_plus_substitution_counts_both()
    {
        // "the cat sat" -> "sat the cat" is one shift; a changed word adds a substitution.
        var s = _ter.Statistics("the dog sat on mat", "on mat the dog stood");
        Assert.Equal(1, s.Shifts);
        Assert.Equal(1, s.Substitutions);
        Assert.Equal(2, s.Edits);
    }

    [Fact]
    public void Case_is_ignored_unless_case_sensitive()
    {
        Assert.Equal(0, _ter.Statistics("The Cat", "the cat").Edits);
        Assert.Equal(2, new TranslationEditRate(new TerOptions(CaseSensitive: true)).Statistics("The Cat", "the cat").Substitutions);
    }

    [Fact]
    public void Empty_sides_follow_sacrebleu()
    {
        Assert.Equal(new TerStatistics(0, 2, 0, 0, 0), _ter.Statistics("hypothesis only", ""));
        Assert.Equal(100, _ter.SentenceScore("hypothesis only", ""));
        Assert.Equal(new TerStatistics(2, 0, 0, 0, 2), _ter.Statistics("", "reference only"));
        Assert.Equal(0, _ter.SentenceScore("", "  "));
    }

    [Fact]
    public void No_punct_drops_punctuation_before_matching()
    {
        var ter = new TranslationEditRate(new TerOptions(NoPunct: true));
        Assert.Equal(0, ter.Statistics("Hello, world!", "hello world").Edits);
        Assert.Equal(2, _ter.Statistics("Hello, world!", "hello world").Edits);
    }

    [Fact]
    public void Corpus_score_is_total_edits_over_total_reference_length()
    {
        var corpus = _ter.CorpusScore([("a b c d", "a b c d"), ("x", "y z")]);
        Assert.Equal(2, corpus.Edits);
        Assert.Equal(6, corpus.RefLength);
        Assert.Equal(100 * (2.0 / 6), corpus.Score);
    }

    [Fact]
    public void Signature_names_every_option()
    {
        Assert.Equal("nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:ayaqc-1", _ter.Signature);
        Assert.Equal("nrefs:1|case:mixed|tok:tercom|norm:yes|punct:no|asian:yes|version:ayaqc-1",
            new TranslationEditRate(new TerOptions(true, true, true, true)).Signature);
    }

    [Fact]
    public void Band_makes_long_reference_against_short_hypothesis_costlier_than_levenshtein()
    {
        // 2 hypothesis words against 120 reference words: the band (ratio 60, beam 55) cannot reach "w5".
        var reference = string.Join(' ', Enumerable.Range(0, 120).Select(i => "w" + i));
        var s = _ter.Statistics("w5 w100", reference);
        Assert.Equal(118, s.Edits); // exact Levenshtein would give 118 too here; the shared row 26 pins the band
        Assert.Equal(120, s.RefLength);
    }

    [Fact]
    public void Shift_helper_reproduces_python_slices_including_the_inside_case()
    {
        int[] w = [0, 1, 2, 3, 4, 5];
        var into = new int[6];
        ShiftSearch.Shift(w, 3, 2, 1, into);
        Assert.Equal([0, 3, 4, 1, 2, 5], into);
        ShiftSearch.Shift(w, 0, 2, 5, into);
        Assert.Equal([2, 3, 4, 0, 1, 5], into);
        ShiftSearch.Shift(w, 1, 2, 3, into); // target == start+length: block moves after the next two words
        Assert.Equal([0, 3, 4, 1, 2, 5], into);
        ShiftSearch.Shift(w, 3, 2, 5, into); // slice clamped at the end
        Assert.Equal([0, 1, 2, 5, 3, 4], into);
    }
}
