namespace AyaQC.Core.Metrics;

/// <summary>
/// chrF (Popović, "chrF: character n-gram F-score for automatic MT evaluation", WMT 2015) and chrF++
/// (Popović, WMT 2017, adding word n-grams), reproducing sacreBLEU 2.x: character n-grams over code points
/// with all Python whitespace removed, word n-grams over whitespace tokens with one leading or trailing ASCII
/// punctuation character split off, F-beta of the precision and recall averaged over the orders that occur
/// (effective order), or the mean of per-order F-scores with 1e-16 smoothing (<c>eps_smoothing</c>).
/// Case-sensitive unless <see cref="Lowercase"/>. Thread-safe: scratch space is per thread.
/// </summary>
public sealed class ChrF
{
    /// <summary>chrF2: character order 6, no word n-grams, beta 2 (sacreBLEU's <c>CHRF()</c>).</summary>
    public static ChrF Standard { get; } = new();

    /// <summary>chrF2++: character order 6, word order 2, beta 2 (sacreBLEU's <c>CHRF(word_order=2)</c>).</summary>
    public static ChrF PlusPlus { get; } = new(wordOrder: 2);

    public const int MaxOrder = 16;

    public ChrF(int charOrder = 6, int wordOrder = 0, int beta = 2, bool epsSmoothing = false, bool lowercase = false, bool whitespace = false)
    {
        if (charOrder < 1 || wordOrder < 0 || charOrder + wordOrder > MaxOrder)
            throw new ArgumentOutOfRangeException(nameof(charOrder), $"need 1 ≤ char order and 0 ≤ word order, {MaxOrder} orders at most");
        if (beta < 1) throw new ArgumentOutOfRangeException(nameof(beta), "beta must be at least 1");
        CharOrder = charOrder;
        WordOrder = wordOrder;
        Beta = beta;
        EpsSmoothing = epsSmoothing;
        Lowercase = lowercase;
        Whitespace = whitespace;
    }

    public int CharOrder { get; }
    public int WordOrder { get; }
    public int Beta { get; }
    public bool EpsSmoothing { get; }
    public bool Lowercase { get; }
    /// <summary>Keep whitespace inside character n-grams (sacreBLEU's <c>whitespace=True</c>).</summary>
    public bool Whitespace { get; }

    /// <summary>Number of statistics per sentence: (hyp count, ref count, matches) for each order.</summary>
    public int StatisticsLength => 3 * (CharOrder + WordOrder);

    /// <summary>The name sacreBLEU prints, e.g. <c>chrF2</c> or <c>chrF2++</c>.</summary>
    public string Name => $"chrF{Beta}" + new string('+', WordOrder);

    /// <summary>sacreBLEU-style signature, e.g. <c>nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:ayaqc-1</c>.</summary>
    public string Signature =>
        $"nrefs:1|case:{(Lowercase ? "lc" : "mixed")}|eff:{(EpsSmoothing ? "no" : "yes")}|nc:{CharOrder}|nw:{WordOrder}" +
        $"|space:{(Whitespace ? "yes" : "no")}|version:{MetricVersion.Value}";

    [ThreadStatic] static ChrFWorkspace? t_workspace;

    /// <summary>Sentence chrF, 0..100.</summary>
    public double SentenceScore(string hypothesis, string reference) =>
        SentenceScore(hypothesis.AsSpan(), reference.AsSpan());

    public double SentenceScore(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference)
    {
        Span<long> stats = stackalloc long[StatisticsLength];
        AddStatistics(hypothesis, reference, stats);
        return Score(stats);
    }

    /// <summary>Adds this pair's statistics to <paramref name="stats"/> (length <see cref="StatisticsLength"/>); summing them is corpus chrF.</summary>
    public void AddStatistics(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, Span<long> stats)
    {
        if (stats.Length != StatisticsLength) throw new ArgumentException($"expected {StatisticsLength} statistics", nameof(stats));
        (t_workspace ??= new ChrFWorkspace()).Count(this, hypothesis, reference, stats);
    }

    /// <summary>Corpus chrF: statistics summed over all pairs, then one F-score (sacreBLEU's <c>corpus_score</c>).</summary>
    public double CorpusScore(IEnumerable<(string Hypothesis, string Reference)> pairs)
    {
        var stats = new long[StatisticsLength];
        foreach (var (h, r) in pairs) AddStatistics(h, r, stats);
        return Score(stats);
    }

    /// <summary>The chrF score of (summed) statistics, following sacreBLEU's <c>_compute_f_score</c> step by step.</summary>
    public double Score(ReadOnlySpan<long> stats)
    {
        const double eps = 1e-16;
        var factor = (double)Beta * Beta;
        double score = 0, avgPrecision = 0, avgRecall = 0;
        var effectiveOrder = 0;
        var orders = CharOrder + WordOrder;
        for (var i = 0; i < orders; i++)
        {
            long nHyp = stats[3 * i], nRef = stats[3 * i + 1], nMatch = stats[3 * i + 2];
            var precision = nHyp > 0 ? (double)nMatch / nHyp : eps;
            var recall = nRef > 0 ? (double)nMatch / nRef : eps;
            var denominator = factor * precision + recall;
            score += denominator > 0 ? (1 + factor) * precision * recall / denominator : eps;
            if (nHyp > 0 && nRef > 0)
            {
                avgPrecision += precision;
                avgRecall += recall;
                effectiveOrder++;
            }
        }
        if (EpsSmoothing) return 100 * score / orders;
        if (effectiveOrder == 0) return 0;
        avgPrecision /= effectiveOrder;
        avgRecall /= effectiveOrder;
        if (avgPrecision + avgRecall == 0) return 0;
        var f = (1 + factor) * avgPrecision * avgRecall;
        f /= factor * avgPrecision + avgRecall;
        return 100 * f;
    }

    /// <summary>ASCII <c>string.punctuation</c>, the set chrF++ splits off words.</summary>
    internal static bool IsAsciiPunctuation(char c) =>
        c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~');
}
