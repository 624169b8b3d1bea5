namespace AyaQC.Core.Metrics;

/// <summary>
/// A metric scored from integer sufficient statistics, as sacreBLEU's chrF and BLEU are: a sentence score is the
/// formula on one pair's statistics, a corpus score the formula on their sum (a micro average).
/// </summary>
public abstract class StatisticsMetric
{
    /// <summary>How many statistics one pair has.</summary>
    public abstract int StatisticsLength { get; }

    /// <summary>sacreBLEU-style signature naming every option.</summary>
    public abstract string Signature { get; }

    /// <summary>The score of (summed) statistics.</summary>
    public abstract double Score(ReadOnlySpan<long> stats);

    /// <summary>Adds one pair's statistics to <paramref name="stats"/>; no allocation once the thread's buffers have grown.</summary>
    protected abstract void Count(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, Span<long> stats);

    public void AddStatistics(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, Span<long> stats)
    {
        if (stats.Length != StatisticsLength) throw new ArgumentException($"expected {StatisticsLength} statistics", nameof(stats));
        Count(hypothesis, reference, stats);
    }

    /// <summary>Sentence score, 0..100.</summary>
    public double SentenceScore(string hypothesis, string reference) => SentenceScore(hypothesis.AsSpan(), reference.AsSpan());

    public double SentenceScore(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference)
    {
        Span<long> stats = stackalloc long[StatisticsLength];
        Count(hypothesis, reference, stats);
        return Score(stats);
    }

    /// <summary>Corpus score: statistics summed over all pairs, then the formula once (sacreBLEU's <c>corpus_score</c>).</summary>
    public double CorpusScore(IEnumerable<(string Hypothesis, string Reference)> pairs)
    {
        var stats = new long[StatisticsLength];
        foreach (var (h, r) in pairs) Count(h, r, stats);
        return Score(stats);
    }
}
