namespace AyaQC.Core.Metrics;

/// <summary>
/// Per-thread buffers for chrF statistics: characters become dense alphabet ids (code points, whitespace removed
/// unless kept), words become token ids after chrF++'s punctuation split, and <see cref="NGramMatcher"/> counts
/// the clipped matches of each order.
/// </summary>
internal sealed class ChrFWorkspace
{
    readonly CharBuffer _lowered = new();
    readonly CodePointAlphabet _alphabet = new();
    readonly TokenInterner _tokens = new();
    readonly IntList _hypItems = new();
    readonly IntList _refItems = new();
    readonly int[] _matches = new int[ChrF.MaxOrder];

    internal NGramMatcher Matcher { get; init; } = new();

    public void Count(ChrF metric, ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, Span<long> stats)
    {
        if (metric.Lowercase)
        {
            _lowered.Clear();
            PythonText.AppendLower(reference, _lowered);
            var refLength = _lowered.Length;
            PythonText.AppendLower(hypothesis, _lowered);
            CountAll(metric, _lowered.Chars.AsSpan(refLength, _lowered.Length - refLength), _lowered.Chars.AsSpan(0, refLength), stats);
        }
        else CountAll(metric, hypothesis, reference, stats);
    }

    void CountAll(ChrF metric, ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, Span<long> stats)
    {
        _alphabet.Clear();
        CodePoints(reference, metric.Whitespace, _refItems);
        CodePoints(hypothesis, metric.Whitespace, _hypItems);
        AddOrders(metric.CharOrder, _alphabet.Count, stats);
        if (metric.WordOrder == 0) return;

        _tokens.Clear();
        _refItems.Clear();
        _hypItems.Clear();
        WordTokens(reference, intern: true, _refItems);
        WordTokens(hypothesis, intern: false, _hypItems);
        AddOrders(metric.WordOrder, _tokens.Count, stats[(3 * metric.CharOrder)..]);
    }

    /// <summary>Adds (hyp count, ref count, matches) of orders 1..<paramref name="maxOrder"/>.</summary>
    void AddOrders(int maxOrder, int alphabetSize, Span<long> stats)
    {
        var matches = _matches.AsSpan(0, maxOrder);
        Matcher.Count(_refItems.Span, _hypItems.Span, alphabetSize, matches);
        for (var n = 1; n <= maxOrder; n++)
        {
            var refCount = Math.Max(0, _refItems.Count - n + 1);
            var hypCount = Math.Max(0, _hypItems.Count - n + 1);
            // sacreBLEU: hypothesis n-grams do not count when the reference has none of this order.
            stats[3 * (n - 1)] += refCount > 0 ? hypCount : 0;
            stats[3 * (n - 1) + 1] += refCount;
            stats[3 * (n - 1) + 2] += matches[n - 1];
        }
    }

    /// <summary>Appends the alphabet id of each code point (optionally skipping Python whitespace).</summary>
    void CodePoints(ReadOnlySpan<char> s, bool keepWhitespace, IntList into)
    {
        into.Clear();
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (!keepWhitespace && PythonText.IsWhiteSpace(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                into.Add(_alphabet.IdOf(char.ConvertToUtf32(c, s[i + 1])));
                i++;
            }
            else into.Add(_alphabet.IdOf(c));
        }
    }

    /// <summary>Whitespace tokens with one trailing (else leading) ASCII punctuation character split off, as ids.</summary>
    void WordTokens(ReadOnlySpan<char> s, bool intern, IntList into)
    {
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && PythonText.IsWhiteSpace(s[i])) i++;
            var start = i;
            while (i < s.Length && !PythonText.IsWhiteSpace(s[i])) i++;
            if (i == start) continue;
            var word = s[start..i];
            if (IsOneCodePoint(word)) Add(word);
            else if (ChrF.IsAsciiPunctuation(word[^1])) { Add(word[..^1]); Add(word[^1..]); }
            else if (ChrF.IsAsciiPunctuation(word[0])) { Add(word[..1]); Add(word[1..]); }
            else Add(word);
        }

        void Add(ReadOnlySpan<char> token) => into.Add(intern ? _tokens.Intern(token) : _tokens.Find(token));
    }

    static bool IsOneCodePoint(ReadOnlySpan<char> w) =>
        w.Length == 1 || w.Length == 2 && char.IsHighSurrogate(w[0]) && char.IsLowSurrogate(w[1]);
}
