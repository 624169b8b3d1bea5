using AyaQC.Core.Metrics;

namespace AyaQC.Core.Tests.Metrics;

/// <summary>
/// sacreBLEU's own unit-test vectors (its test/ folder at v2.6.0), as listed in shared/research/mt-metrics.md §4.
/// Where the team re-ran sacreBLEU 2.6.0 on them, the re-run output is the expected value (to 1e-9); the
/// published rounded figure is checked to 4 decimals as well.
/// </summary>
public class SacreBleuPublishedVectorTests
{
    static (string, string)[] Corpus(string hyp, string reference) => [(hyp, reference)];

    [Theory]
    [InlineData("aaaa bbbb cccc dddd", "aaaa bbbb cccc dddd", 0.0)]
    [InlineData("dddd eeee ffff", "aaaa bbbb cccc", 100.0)]
    [InlineData("", "a", 100.0)]
    [InlineData("a", "", 100.0)]
    [InlineData("", "", 0.0)]
    [InlineData("d e f g h a b c", "a b c d e f g h", 12.5)]
    public void Ter_test_vectors(string hyp, string reference, double expected)
    {
        var corpus = new TranslationEditRate().CorpusScore(Corpus(hyp, reference));
        Assert.Equal(expected, corpus.Score, 4);
    }

    [Theory]
    [InlineData(false, false, false, "a b c d", "a b c d")]
    [InlineData(false, false, false, "", "")]
    [InlineData(false, false, false, "a b c d.", "a b c d.")]
    [InlineData(false, false, false, "A B C D.", "a b c d.")]
    [InlineData(false, true, false, "a b c d.", "a b c d")]
    [InlineData(false, true, false, "A ; B ) C : D.", "a b c d")]
    [InlineData(true, false, false, "a b (c) d.", "a b ( c ) d .")]
    [InlineData(true, false, false, "Jim's car.", "jim 's car .")]
    [InlineData(true, false, false, "4.2", "4.2")]
    [InlineData(true, false, true, "美众院公布对特", "美 众 院 公 布 对 特")]
    [InlineData(true, false, true, "りの拳銃を持", "りの 拳 銃 を 持")]
    public void Ter_tokenizer_test_vectors(bool normalized, bool noPunct, bool asian, string input, string expected)
    {
        var ter = new TranslationEditRate(new TerOptions(Normalized: normalized, NoPunct: noPunct, AsianSupport: asian));
        Assert.Equal(expected, ter.Tokenize(input));
    }

    [Theory]
    [InlineData("abcdefg", "hijklmnop", 0.0)]
    [InlineData("a", "b", 0.0)]
    [InlineData("", "b", 0.0)]
    [InlineData("", "ref", 0.0)]
    [InlineData("", "reference", 0.0)]
    [InlineData("aa", "ab", 8.333333333333343)]
    [InlineData("a", "a", 16.666666666666668)]
    [InlineData("a b c", "a b c", 50.0)]
    [InlineData("a b c", "abc", 50.0)]
    [InlineData(" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 63.36173005106315)]
    [InlineData(" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. ",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 64.13022155933443)]
    [InlineData("Niemand hat die Absicht, eine Mauer zu errichten", "Niemand hat die Absicht, eine Mauer zu errichten", 100.0)]
    public void ChrF_beta3_eps_smoothing_test_vectors(string hyp, string reference, double expected)
    {
        var score = new ChrF(beta: 3, epsSmoothing: true).CorpusScore(Corpus(hyp, reference));
        Assert.Equal(expected, score, 1e-9 * Math.Max(1, expected));
    }

    [Fact]
    public void ChrF_beta3_eps_two_line_corpus()
    {
        var score = new ChrF(beta: 3, epsSmoothing: true).CorpusScore([("a", "a"), ("b", "c")]);
        Assert.Equal(8.333333333333343, score, 1e-9);
    }

    [Theory]
    [InlineData("a", "a", 100.0)]
    [InlineData("", "reference", 0.0)]
    [InlineData("a b c", "a b c", 100.0)]
    [InlineData("a b c", "abc", 100.0)]
    [InlineData("", "c", 0.0)]
    [InlineData("aa", "ab", 25.0)]
    public void ChrF_beta3_effective_order_test_vectors(string hyp, string reference, double expected)
    {
        Assert.Equal(expected, new ChrF(beta: 3).CorpusScore(Corpus(hyp, reference)), 1e-9);
    }

    [Fact]
    public void ChrF_beta3_effective_order_two_line_corpus()
    {
        Assert.Equal(50.0, new ChrF(beta: 3).CorpusScore([("a", "a"), ("b", "c")]), 1e-9);
    }

    [Theory]
    [InlineData("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 67.34816062977241)]
    [InlineData("risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 65.24144274491823)]
    public void ChrF_beta3_keep_whitespace_test_vectors(string hyp, string reference, double expected)
    {
        Assert.Equal(expected, new ChrF(beta: 3, whitespace: true).CorpusScore(Corpus(hyp, reference)), 1e-9);
    }

    [Theory]
    [InlineData("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
        "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", 39.14078509431498)]
    [InlineData("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
        "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557078732341)]
    [InlineData("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
        "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", 57.15704366556671)]
    public void ChrF_sentence_beta2_eps_test_vectors(string hyp, string reference, double expected)
    {
        Assert.Equal(expected, new ChrF(epsSmoothing: true).SentenceScore(hyp, reference), 1e-9);
    }

    const string BleuHyp = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
    const string BleuRef = "producţia de zahăr brut se exprimă în zahăr alb;";

    [Theory]
    [InlineData(BleuSmoothing.Exp, null, BleuTokenizer.Thirteen13a, false, 8.493)]
    [InlineData(BleuSmoothing.None, null, BleuTokenizer.Thirteen13a, false, 0.0)]
    [InlineData(BleuSmoothing.Floor, null, BleuTokenizer.Thirteen13a, false, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.5, BleuTokenizer.Thirteen13a, false, 10.10)]
    [InlineData(BleuSmoothing.AddK, null, BleuTokenizer.Thirteen13a, false, 14.882)]
    [InlineData(BleuSmoothing.AddK, 2.0, BleuTokenizer.Thirteen13a, false, 21.389)]
    [InlineData(BleuSmoothing.Exp, null, BleuTokenizer.None, false, 7.347)]
    [InlineData(BleuSmoothing.Exp, null, BleuTokenizer.Char, false, 40.8759)]
    [InlineData(BleuSmoothing.Exp, null, BleuTokenizer.Char, true, 42.0267)]
    public void Sentence_bleu_test_vectors(BleuSmoothing smoothing, double? value, BleuTokenizer tokenizer, bool lowercase, double expected)
    {
        var bleu = new Bleu(smoothing, value, effectiveOrder: true, lowercase: lowercase, tokenizer: tokenizer);
        // The published figures are the score cut after as many decimals as shown (sacreBLEU's test allows 1e-3).
        var decimals = expected.ToString(System.Globalization.CultureInfo.InvariantCulture).Split('.') is [_, var d] ? d.Length : 0;
        var scale = Math.Pow(10, decimals);
        var actual = bleu.SentenceScore(BleuHyp, BleuRef);
        Assert.True(Math.Abs(Math.Truncate(actual * scale) / scale - expected) < 1e-9, $"expected {expected} (truncated), got {actual:R}");
    }

    [Theory]
    [InlineData(BleuSmoothing.None)]
    [InlineData(BleuSmoothing.Floor)]
    [InlineData(BleuSmoothing.AddK)]
    [InlineData(BleuSmoothing.Exp)]
    public void Sentence_bleu_without_matches_is_zero_for_every_smoothing(BleuSmoothing smoothing)
    {
        Assert.Equal(0.0, new Bleu(smoothing, effectiveOrder: true).SentenceScore("this is a cat", "okay thanks"));
    }
}
