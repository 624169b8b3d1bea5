namespace AyaQC.Core.Metrics;

/// <summary>Smoothing of zero n-gram precisions (Chen &amp; Cherry, WMT 2014), as in sacreBLEU.</summary>
public enum BleuSmoothing
{
    None,
    /// <summary>Method 1: a zero count becomes <c>smooth_value</c> (default 0.1).</summary>
    Floor,
    /// <summary>Method 2: add <c>smooth_value</c> (default 1) to matches and totals of orders ≥ 2.</summary>
    AddK,
    /// <summary>Method 3, NIST/mteval-v13a: successive zero orders get 1/2, 1/4, ... of a match.</summary>
    Exp,
}

/// <summary>Tokenisation before BLEU: mteval-v13a (sacreBLEU's default), none (whitespace split only), or one token per code point.</summary>
public enum BleuTokenizer
{
    Thirteen13a,
    None,
    Char,
}

/// <summary>
/// BLEU (Papineni et al., ACL 2002) as sacreBLEU 2.x computes it: 13a tokenisation, clipped n-gram matches up
/// to order 4, brevity penalty, smoothing; corpus BLEU sums statistics over sentences. Use <see cref="Sentence"/>
/// for per-sentence scores (effective order, as sacreBLEU's <c>sentence_bleu</c>) and <see cref="Corpus"/> for
/// corpus scores (<c>corpus_bleu</c>). Thread-safe: scratch space is per thread.
/// </summary>
public sealed class Bleu
{
    public const int MaxNgramOrder = 4;

    /// <summary>Statistics per pair: hyp length, ref length, 4 match counts, 4 totals.</summary>
    public const int StatisticsLength = 2 + 2 * MaxNgramOrder;

    /// <summary>sacreBLEU's <c>sentence_bleu</c>: exp smoothing, effective order.</summary>
    public static Bleu Sentence { get; } = new(effectiveOrder: true);

    /// <summary>sacreBLEU's <c>BLEU()</c> / <c>corpus_bleu</c>: exp smoothing, all four orders.</summary>
    public static Bleu Corpus { get; } = new();

    public Bleu(BleuSmoothing smoothing = BleuSmoothing.Exp, double? smoothValue = null, bool effectiveOrder = false,
        bool lowercase = false, BleuTokenizer tokenizer = BleuTokenizer.Thirteen13a)
    {
        Smoothing = smoothing;
        SmoothValue = smoothValue ?? smoothing switch { BleuSmoothing.Floor => 0.1, BleuSmoothing.AddK => 1, _ => 0 };
        EffectiveOrder = effectiveOrder;
        Lowercase = lowercase;
        Tokenizer = tokenizer;
    }

    public BleuSmoothing Smoothing { get; }
    public double SmoothValue { get; }
    public bool EffectiveOrder { get; }
    public bool Lowercase { get; }
    public BleuTokenizer Tokenizer { get; }

    /// <summary>sacreBLEU-style signature, e.g. <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:ayaqc-1</c>.</summary>
    public string Signature
    {
        get
        {
            var smooth = Smoothing switch
            {
                BleuSmoothing.None => "none",
                BleuSmoothing.Floor => $"floor[{SmoothValue:0.00}]",
                BleuSmoothing.AddK => $"add-k[{SmoothValue:0}]",
                _ => "exp",
            };
            var tok = Tokenizer switch { BleuTokenizer.Thirteen13a => "13a", BleuTokenizer.Char => "char", _ => "none" };
            return $"nrefs:1|case:{(Lowercase ? "lc" : "mixed")}|eff:{(EffectiveOrder ? "yes" : "no")}|tok:{tok}|smooth:{smooth}|version:{MetricVersion.Value}";
        }
    }

    [ThreadStatic] static BleuWorkspace? t_workspace;

    public double SentenceScore(string hypothesis, string reference) => SentenceScore(hypothesis.AsSpan(), reference.AsSpan());

    public double SentenceScore(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference)
    {
        Span<long> stats = stackalloc long[StatisticsLength];
        AddStatistics(hypothesis, reference, stats);
        return Score(stats);
    }

    /// <summary>Adds this pair's statistics to <paramref name="stats"/>; summing them over pairs gives corpus BLEU.</summary>
    public void AddStatistics(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, Span<long> stats)
    {
        if (stats.Length != StatisticsLength) throw new ArgumentException($"expected {StatisticsLength} statistics", nameof(stats));
        (t_workspace ??= new BleuWorkspace()).Count(this, hypothesis, reference, stats);
    }

    public double CorpusScore(IEnumerable<(string Hypothesis, string Reference)> pairs)
    {
        var stats = new long[StatisticsLength];
        foreach (var (h, r) in pairs) AddStatistics(h, r, stats);
        return Score(stats);
    }

    /// <summary>sacreBLEU's <c>compute_bleu</c>, operation for operation (the last bits of the score depend on it).</summary>
    public double Score(ReadOnlySpan<long> stats)
    {
        long sysLength = stats[0], refLength = stats[1];
        Span<double> correct = stackalloc double[MaxNgramOrder];
        Span<double> total = stackalloc double[MaxNgramOrder];
        var anyCorrect = false;
        for (var n = 0; n < MaxNgramOrder; n++)
        {
            correct[n] = stats[2 + n];
            total[n] = stats[2 + MaxNgramOrder + n];
            anyCorrect |= correct[n] != 0;
        }

        var brevityPenalty = sysLength < refLength
            ? sysLength > 0 ? Math.Exp(1 - (double)refLength / sysLength) : 0.0
            : 1.0;
        if (!anyCorrect) return 0;

        Span<double> precisions = stackalloc double[MaxNgramOrder];
        precisions.Clear();
        var smoothMteval = 1.0;
        var effectiveOrder = MaxNgramOrder;
        for (var n = 1; n <= MaxNgramOrder; n++)
        {
            if (Smoothing == BleuSmoothing.AddK && n > 1)
            {
                correct[n - 1] += SmoothValue;
                total[n - 1] += SmoothValue;
            }
            if (total[n - 1] == 0) break;
            if (EffectiveOrder) effectiveOrder = n;
            if (correct[n - 1] == 0)
            {
                if (Smoothing == BleuSmoothing.Exp)
                {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
                }
                else if (Smoothing == BleuSmoothing.Floor)
                {
                    precisions[n - 1] = 100.0 * SmoothValue / total[n - 1];
                }
            }
            else precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
        }

        var sum = 0.0;
        for (var n = 0; n < effectiveOrder; n++) sum += precisions[n] == 0 ? -9999999999 : Math.Log(precisions[n]);
        return brevityPenalty * Math.Exp(sum / effectiveOrder);
    }
}
