namespace AyaQC.Core.Metrics;

/// <summary>
/// Translation edit rate with shifts (Snover et al., "A Study of Translation Edit Rate with Targeted Human
/// Annotation", AMTA 2006), reproducing sacreBLEU 2.x exactly: its tercom tokenisation, the banded edit
/// distance (±25 words around the length-scaled diagonal, full last row), the greedy shift search (blocks of at
/// most 10 words, at most 50 positions apart, at most 1,000 candidates per sentence) and its tie-breaking.
/// HTER is TER against a human post-edit of the hypothesis. Thread-safe: scratch space is per thread.
/// </summary>
public sealed class TranslationEditRate(TerOptions? options = null)
{
    public TerOptions Options { get; } = options ?? TerOptions.Default;

    /// <summary>sacreBLEU-style signature, e.g. <c>nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:ayaqc-1</c>.</summary>
    public string Signature => Options.Signature;

    [ThreadStatic] static TerWorkspace? t_workspace;

    /// <summary>Edit counts of one pair; does not allocate once the thread's buffers have grown.</summary>
    public TerStatistics Statistics(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference)
    {
        var ws = Workspace();
        ws.Load(hypothesis, reference);
        return ws.Search.Run(ws.Hyp.Span, ws.Ref.Span, recordShifts: false);
    }

    /// <summary>Sentence TER ×100 (sacreBLEU's <c>sentence_score</c>).</summary>
    public double SentenceScore(string hypothesis, string reference) => Statistics(hypothesis, reference).Score;

    /// <summary>The edit counts plus the tokens, shifts and final alignment, for display.</summary>
    public TerAlignment Align(string hypothesis, string reference)
    {
        var ws = Workspace();
        ws.Load(hypothesis, reference);
        var stats = ws.Search.Run(ws.Hyp.Span, ws.Ref.Span, recordShifts: true);
        string[] Words(ReadOnlySpan<int> ids)
        {
            var words = new string[ids.Length];
            for (var i = 0; i < ids.Length; i++) words[i] = ws.Interner.TextOf(ids[i]);
            return words;
        }
        return new TerAlignment(Words(ws.Hyp.Span), Words(ws.Ref.Span), Words(ws.Search.FinalWords),
            ws.Search.ShiftsMade.ToArray(), ws.Search.FinalOperations().ToArray(), stats);
    }

    /// <summary>Corpus TER over pairs (total edits / total reference length).</summary>
    public TerCorpus CorpusScore(IEnumerable<(string Hypothesis, string Reference)> pairs)
    {
        var corpus = new TerCorpus();
        foreach (var (h, r) in pairs) corpus.Add(Statistics(h, r));
        return corpus;
    }

    /// <summary>The tokens TER compares, joined by spaces (sacreBLEU's tercom tokenizer output).</summary>
    public string Tokenize(string sentence) => Workspace().Tokenizer.TokenizeToString(sentence);

    /// <summary>100 · edits / ref_len; an empty reference gives 100 when anything must be edited, else 0.</summary>
    public static double ScoreOf(long edits, long refLength)
    {
        // Divide first, then scale, as sacreBLEU does: 100 * (1/3) and 100/3 differ in the last bit.
        if (refLength > 0) return 100 * ((double)edits / refLength);
        return edits > 0 ? 100 : 0;
    }

    TerWorkspace Workspace()
    {
        var ws = t_workspace;
        if (ws == null || !ReferenceEquals(ws.Tokenizer.Options, Options) && ws.Tokenizer.Options != Options)
            t_workspace = ws = new TerWorkspace(Options);
        return ws;
    }

    sealed class TerWorkspace(TerOptions options)
    {
        public readonly TerTokenizer Tokenizer = new(options);
        public readonly TokenInterner Interner = new();
        public readonly IntList Hyp = new();
        public readonly IntList Ref = new();
        public readonly ShiftSearch Search = new();

        public void Load(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference)
        {
            Interner.Clear();
            Hyp.Clear();
            Ref.Clear();
            Tokenizer.Tokenize(reference, Interner, Ref);
            Tokenizer.Tokenize(hypothesis, Interner, Hyp);
        }
    }
}
