namespace AyaQC.Core.Metrics;

/// <summary>Per-thread buffers for BLEU statistics: 13a tokenisation into reused char buffers, int-coded n-grams.</summary>
internal sealed class BleuWorkspace
{
    readonly CharBuffer _text = new();
    readonly CharBuffer _scratch = new();
    readonly TokenInterner _tokens = new();
    readonly NGramMatcher _matcher = new();
    readonly IntList _refWords = new();
    readonly IntList _hypWords = new();
    readonly int[] _matches = new int[Bleu.MaxNgramOrder];

    public void Count(Bleu metric, ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, Span<long> stats)
    {
        _tokens.Clear();
        _refWords.Clear();
        _hypWords.Clear();
        Tokenize(metric, reference, intern: true, _refWords);
        Tokenize(metric, hypothesis, intern: false, _hypWords);
        _matcher.Count(_refWords.Span, _hypWords.Span, _tokens.Count, _matches);
        stats[0] += _hypWords.Count;
        stats[1] += _refWords.Count;
        for (var n = 1; n <= Bleu.MaxNgramOrder; n++)
        {
            stats[2 + n - 1] += _matches[n - 1];
            stats[2 + Bleu.MaxNgramOrder + n - 1] += Math.Max(0, _hypWords.Count - n + 1);
        }
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
            WesternPunctuation.UnescapeEntities(_text, _scratch);
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
