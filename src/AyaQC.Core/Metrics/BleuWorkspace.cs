namespace AyaQC.Core.Metrics;

/// <summary>Per-thread buffers for BLEU statistics: 13a tokenisation into reused char buffers, int-coded n-grams.</summary>
internal sealed class BleuWorkspace
{
    readonly CharBuffer _text = new();
    readonly CharBuffer _scratch = new();
    readonly TokenInterner _tokens = new();
    readonly NGramInterner _ngrams = new();
    readonly IntList _refWords = new();
    readonly IntList _hypWords = new();
    int[] _refIds = new int[128];
    int[] _hypIds = new int[128];
    int[] _refCounts = new int[512];

    public void Count(Bleu metric, ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, Span<long> stats)
    {
        _tokens.Clear();
        _ngrams.Clear();
        _refWords.Clear();
        _hypWords.Clear();
        Tokenize(metric, reference, intern: true, _refWords);
        Tokenize(metric, hypothesis, intern: false, _hypWords);

        var refWords = _refWords.Span;
        var hypWords = _hypWords.Span;
        int nRef = refWords.Length, nHyp = hypWords.Length;
        stats[0] += nHyp;
        stats[1] += nRef;
        if (_refIds.Length < nRef) _refIds = new int[nRef * 2];
        if (_hypIds.Length < nHyp) _hypIds = new int[nHyp * 2];
        var refIds = _refIds.AsSpan(0, nRef);
        var hypIds = _hypIds.AsSpan(0, nHyp);
        refIds.Fill(-1);
        hypIds.Fill(-1);

        for (var n = 1; n <= Bleu.MaxNgramOrder; n++)
        {
            var refCount = Math.Max(0, nRef - n + 1);
            var hypCount = Math.Max(0, nHyp - n + 1);
            for (var i = 0; i < refCount; i++)
            {
                var id = _ngrams.Intern(NGramInterner.Key(refIds[i], refWords[i + n - 1]));
                refIds[i] = id;
                if (id >= _refCounts.Length) Array.Resize(ref _refCounts, Math.Max(id + 1, _refCounts.Length * 2));
                _refCounts[id]++;
            }
            var matches = 0;
            for (var i = 0; i < hypCount; i++)
            {
                var word = hypWords[i + n - 1];
                if (word < 0 || n > 1 && hypIds[i] < 0) { hypIds[i] = -1; continue; }
                var id = _ngrams.Find(NGramInterner.Key(hypIds[i], word));
                hypIds[i] = id;
                if (id >= 0 && _refCounts[id] > 0)
                {
                    _refCounts[id]--; // clipping: each reference occurrence matches once
                    matches++;
                }
            }
            stats[2 + n - 1] += matches;
            stats[2 + Bleu.MaxNgramOrder + n - 1] += hypCount;
        }
        _refCounts.AsSpan(0, Math.Min(_ngrams.Count, _refCounts.Length)).Clear();
    }

    // sacreBLEU's "char" tokenizer: " ".join(line), i.e. every code point becomes a token.
    void SpaceOutCodePoints()
    {
        var s = _text.Span;
        _scratch.Clear();
        _scratch.EnsureFree(s.Length * 2);
        for (var i = 0; i < s.Length; i++)
        {
            _scratch.AppendUnchecked(s[i]);
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) _scratch.AppendUnchecked(s[++i]);
            _scratch.AppendUnchecked(' ');
        }
        _text.SwapWith(_scratch);
    }

    void Tokenize(Bleu metric, ReadOnlySpan<char> sentence, bool intern, IntList into)
    {
        _text.Clear();
        if (metric.Lowercase) PythonText.AppendLower(sentence, _text);
        else _text.Append(sentence);
        _text.Length = PythonText.RStripLength(_text.Span);
        if (metric.Tokenizer == BleuTokenizer.Thirteen13a)
        {
            WesternPunctuation.ReplaceAll(_text, _scratch, "<skipped>", "");
            WesternPunctuation.ReplaceAll(_text, _scratch, "-\n", "");
            WesternPunctuation.ReplaceAll(_text, _scratch, "\n", " ");
            WesternPunctuation.ReplaceAll(_text, _scratch, "&quot;", "\"");
            WesternPunctuation.ReplaceAll(_text, _scratch, "&amp;", "&");
            WesternPunctuation.ReplaceAll(_text, _scratch, "&lt;", "<");
            WesternPunctuation.ReplaceAll(_text, _scratch, "&gt;", ">");
            WesternPunctuation.Pad(_text, _scratch);
            WesternPunctuation.Split(_text, _scratch, possessives: false);
        }
        else if (metric.Tokenizer == BleuTokenizer.Char)
        {
            SpaceOutCodePoints();
        }
        _tokens.AppendTokens(_text.Span, intern, into);
    }
}
