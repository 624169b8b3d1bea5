using AyaQC.Core.Metrics;
using AyaQC.Tests.Shared;

namespace AyaQC.Core.Tests.Metrics;

/// <summary>The 27 shared edge cases against sacreBLEU 2.6.0's outputs (TER exact, floats to 1e-9).</summary>
public class SharedEdgeCaseTests
{
    [SharedDataFact]
    public void Ter_defaults_match_sacrebleu_on_every_edge_case()
    {
        var pairs = EdgeCaseVectors.Pairs();
        var (rows, corpusLines) = EdgeCaseVectors.Expected("edge_cases.expected.tsv");
        Assert.Equal(27, pairs.Count);
        var ter = new TranslationEditRate();
        var corpus = new TerCorpus();
        for (var i = 0; i < pairs.Count; i++)
        {
            var (h, r) = pairs[i];
            var s = ter.Statistics(h, r);
            corpus.Add(s);
            var row = rows[i];
            Assert.True(int.Parse(row["ter_edits"]) == s.Edits, $"row {row["id"]}: edits expected {row["ter_edits"]}, got {s.Edits}");
            Assert.Equal(int.Parse(row["ter_ref_len"]), s.RefLength);
            Assert.Equal(EdgeCaseVectors.Number(row["ter"]), s.Score); // same operations, same bits
            Assert.Equal(row["ter_hyp_tok"], ter.Tokenize(h));
            Assert.Equal(row["ter_ref_tok"], ter.Tokenize(r));
        }
        var terLine = corpusLines.Single(c => c[1] == "TER");
        Assert.Equal(EdgeCaseVectors.Number(terLine[2]), corpus.Score);
        Assert.Equal("edits=" + corpus.Edits, terLine[3]);
        Assert.Equal("ref_len=" + corpus.RefLength, terLine[4]);
    }

    [SharedDataFact]
    public void Ter_normalized_case_sensitive_matches_sacrebleu()
    {
        var pairs = EdgeCaseVectors.Pairs();
        var (rows, corpusLines) = EdgeCaseVectors.Expected("edge_cases.expected.ter-normalized-cs.tsv");
        var ter = new TranslationEditRate(new TerOptions(CaseSensitive: true, Normalized: true));
        var corpus = new TerCorpus();
        for (var i = 0; i < pairs.Count; i++)
        {
            var s = ter.Statistics(pairs[i].Hypothesis, pairs[i].Reference);
            corpus.Add(s);
            Assert.True(int.Parse(rows[i]["ter_edits"]) == s.Edits, $"row {i + 1}: edits expected {rows[i]["ter_edits"]}, got {s.Edits}");
            Assert.Equal(int.Parse(rows[i]["ter_ref_len"]), s.RefLength);
            Assert.Equal(rows[i]["ter_hyp_tok"], ter.Tokenize(pairs[i].Hypothesis));
            Assert.Equal(rows[i]["ter_ref_tok"], ter.Tokenize(pairs[i].Reference));
        }
        Assert.Equal(EdgeCaseVectors.Number(corpusLines[0][2]), corpus.Score);
    }

    [SharedDataFact]
    public void ChrF_and_chrF_plus_plus_defaults_match_sacrebleu()
    {
        var pairs = EdgeCaseVectors.Pairs();
        var (rows, corpusLines) = EdgeCaseVectors.Expected("edge_cases.expected.tsv");
        for (var i = 0; i < pairs.Count; i++)
        {
            var (h, r) = pairs[i];
            EdgeCaseVectors.Close(EdgeCaseVectors.Number(rows[i]["chrf"]), ChrF.Standard.SentenceScore(h, r), $"chrF row {i + 1}");
            EdgeCaseVectors.Close(EdgeCaseVectors.Number(rows[i]["chrfpp"]), ChrF.PlusPlus.SentenceScore(h, r), $"chrF++ row {i + 1}");
        }
        EdgeCaseVectors.Close(EdgeCaseVectors.Number(corpusLines.Single(c => c[1] == "chrf")[2]), ChrF.Standard.CorpusScore(pairs), "corpus chrF");
        EdgeCaseVectors.Close(EdgeCaseVectors.Number(corpusLines.Single(c => c[1] == "chrf++")[2]), ChrF.PlusPlus.CorpusScore(pairs), "corpus chrF++");
        Assert.Equal(corpusLines.Single(c => c[1] == "chrf")[4].Replace("version:2.6.0", "version:ayaqc-1"), ChrF.Standard.Signature);
        Assert.Equal("chrF2++", ChrF.PlusPlus.Name);
    }

    [SharedDataFact]
    public void ChrF_eps_smoothing_matches_sacrebleu()
    {
        var pairs = EdgeCaseVectors.Pairs();
        var (rows, corpusLines) = EdgeCaseVectors.Expected("edge_cases.expected.chrf-eps.tsv");
        var chrf = new ChrF(epsSmoothing: true);
        var chrfpp = new ChrF(wordOrder: 2, epsSmoothing: true);
        for (var i = 0; i < pairs.Count; i++)
        {
            var (h, r) = pairs[i];
            EdgeCaseVectors.Close(EdgeCaseVectors.Number(rows[i]["chrf"]), chrf.SentenceScore(h, r), $"chrF eps row {i + 1}");
            EdgeCaseVectors.Close(EdgeCaseVectors.Number(rows[i]["chrfpp"]), chrfpp.SentenceScore(h, r), $"chrF++ eps row {i + 1}");
        }
        EdgeCaseVectors.Close(EdgeCaseVectors.Number(corpusLines[0][2]), chrf.CorpusScore(pairs), "corpus chrF eps");
        EdgeCaseVectors.Close(EdgeCaseVectors.Number(corpusLines[1][2]), chrfpp.CorpusScore(pairs), "corpus chrF++ eps");
        Assert.Equal(corpusLines[1][4].Replace("version:2.6.0", "version:ayaqc-1"), chrfpp.Signature);
    }

    [SharedDataFact]
    public void Bleu_sentence_and_corpus_match_sacrebleu()
    {
        var pairs = EdgeCaseVectors.Pairs();
        var (rows, corpusLines) = EdgeCaseVectors.Expected("edge_cases.expected.tsv");
        for (var i = 0; i < pairs.Count; i++)
            EdgeCaseVectors.Close(EdgeCaseVectors.Number(rows[i]["bleu"]), Bleu.Sentence.SentenceScore(pairs[i].Hypothesis, pairs[i].Reference), $"BLEU row {i + 1}");
        var bleuLine = corpusLines.Single(c => c[1] == "bleu");
        EdgeCaseVectors.Close(EdgeCaseVectors.Number(bleuLine[2]), Bleu.Corpus.CorpusScore(pairs), "corpus BLEU");
        Assert.Equal(bleuLine[4].Replace("version:2.6.0", "version:ayaqc-1"), Bleu.Corpus.Signature);
    }
}
