namespace AyaQC.Core.Metrics;

/// <summary>
/// Per-thread buffers for chrF statistics. N-grams are int ids built order by order: the id of an n-gram is the
/// interned pair (id of its (n-1)-gram prefix, last item), so each order costs one hash probe per position.
/// Reference n-grams are counted first; a hypothesis n-gram only needs a lookup, and one whose prefix is absent
/// from the reference cannot match, so it is never interned.
/// </summary>
internal sealed class ChrFWorkspace
{
    readonly CharBuffer _lowered = new();
    readonly NGramInterner _ngrams = new();
    readonly TokenInterner _tokens = new();
    readonly IntList _hypItems = new();
    readonly IntList _refItems = new();
    int[] _hypIds = new int[256];
    int[] _refIds = new int[256];
    int[] _refCounts = new int[1024];

    const int Absent = -1;

    public void Count(ChrF metric, ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, Span<long> stats)
    {
        _ngrams.Clear();
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
        CodePoints(reference, metric.Whitespace, _refItems);
        CodePoints(hypothesis, metric.Whitespace, _hypItems);
        CountOrders(metric.CharOrder, stats);
        if (metric.WordOrder == 0) return;

        _ngrams.Clear(); // word ids would collide with code points in the same table
        _tokens.Clear();
        _refItems.Clear();
        _hypItems.Clear();
        WordTokens(reference, intern: true, _refItems);
        WordTokens(hypothesis, intern: false, _hypItems);
        CountOrders(metric.WordOrder, stats[(3 * metric.CharOrder)..]);
    }

    /// <summary>Adds (hyp count, ref count, matches) for orders 1..<paramref name="maxOrder"/> of the item sequences.</summary>
    void CountOrders(int maxOrder, Span<long> stats)
    {
        var refItems = _refItems.Span;
        var hypItems = _hypItems.Span;
        int nRef = refItems.Length, nHyp = hypItems.Length;
        if (_refIds.Length < nRef) _refIds = new int[nRef * 2];
        if (_hypIds.Length < nHyp) _hypIds = new int[nHyp * 2];
        var refIds = _refIds.AsSpan(0, nRef);
        var hypIds = _hypIds.AsSpan(0, nHyp);
        refIds.Fill(-1);
        hypIds.Fill(-1);

        for (var n = 1; n <= maxOrder; n++)
        {
            var refCount = Math.Max(0, nRef - n + 1);
            var hypCount = Math.Max(0, nHyp - n + 1);
            for (var i = 0; i < refCount; i++)
            {
                var id = _ngrams.Intern(NGramInterner.Key(refIds[i], refItems[i + n - 1]));
                refIds[i] = id;
                if (id >= _refCounts.Length) Array.Resize(ref _refCounts, Math.Max(id + 1, _refCounts.Length * 2));
                _refCounts[id]++;
            }
            var matches = 0;
            for (var i = 0; i < hypCount; i++)
            {
                var prefix = hypIds[i];
                if (n > 1 && prefix == Absent) continue;
                var id = _ngrams.Find(NGramInterner.Key(prefix, hypItems[i + n - 1]));
                hypIds[i] = id;
                if (id >= 0 && _refCounts[id] > 0)
                {
                    _refCounts[id]--; // each reference occurrence matches at most one hypothesis occurrence
                    matches++;
                }
            }
            // sacreBLEU: hypothesis n-grams do not count when the reference has none of this order.
            stats[3 * (n - 1)] += refCount > 0 ? hypCount : 0;
            stats[3 * (n - 1) + 1] += refCount;
            stats[3 * (n - 1) + 2] += matches;
        }
        _refCounts.AsSpan(0, Math.Min(_ngrams.Count, _refCounts.Length)).Clear();
    }

    static void CodePoints(ReadOnlySpan<char> s, bool keepWhitespace, IntList into)
    {
        into.Clear();
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (!keepWhitespace && PythonText.IsWhiteSpace(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                into.Add(char.ConvertToUtf32(c, s[i + 1]));
                i++;
            }
            else into.Add(c);
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
