namespace AyaQC.Core.Metrics;

/// <summary>
/// Clipped n-gram matches, Σ min(count in hypothesis, count in reference), for orders 1..N of two sequences of
/// dense item ids (characters for chrF, words for chrF++ and BLEU). Order n's n-grams get dense ids from the
/// pair (id of the (n-1)-gram prefix, next item): a direct table indexed by prefix × alphabet when that fits,
/// a hash table otherwise. The reference is counted first; a hypothesis n-gram whose prefix is absent from the
/// reference cannot match and is skipped. No allocation once the buffers have grown.
/// </summary>
internal sealed class NGramMatcher
{
    const int Absent = -1;
    int[] _refIds = new int[256];
    int[] _hypIds = new int[256];
    int[] _counts = new int[256];
    int[] _table = new int[8192];
    int[] _stamps = new int[8192];
    int _generation;
    readonly NGramInterner _interner = new();

    /// <summary>Largest prefix × alphabet table used before switching to hashing (tests lower it).</summary>
    internal int MaxDirectTable { get; init; } = 1 << 20;

    /// <param name="refItems">Reference item ids, each in [0, alphabetSize).</param>
    /// <param name="hypItems">Hypothesis item ids in [0, alphabetSize), or -1 for items absent from the reference.</param>
    /// <param name="matches">Receives the clipped match count of each order 1..matches.Length.</param>
    public void Count(ReadOnlySpan<int> refItems, ReadOnlySpan<int> hypItems, int alphabetSize, Span<int> matches)
    {
        int nRef = refItems.Length, nHyp = hypItems.Length;
        if (_refIds.Length < nRef) _refIds = new int[nRef * 2];
        if (_hypIds.Length < nHyp) _hypIds = new int[nHyp * 2];
        var needCounts = Math.Max(alphabetSize, nRef);
        if (_counts.Length < needCounts) _counts = new int[needCounts * 2];
        var refIds = _refIds.AsSpan(0, nRef);
        var hypIds = _hypIds.AsSpan(0, nHyp);
        var counts = _counts;
        matches.Clear();

        // Order 1: the items are their own ids.
        counts.AsSpan(0, alphabetSize).Clear();
        refItems.CopyTo(refIds);
        hypItems.CopyTo(hypIds);
        foreach (var item in refItems) counts[item]++;
        var m = 0;
        foreach (var item in hypItems)
            if (item >= 0 && counts[item] > 0) { counts[item]--; m++; }
        if (matches.Length > 0) matches[0] = m;

        var prefixes = alphabetSize;
        for (var n = 2; n <= matches.Length; n++)
        {
            var refCount = nRef - n + 1;
            var hypCount = nHyp - n + 1;
            if (refCount <= 0 || hypCount <= 0) break;
            var size = (long)prefixes * alphabetSize;
            var next = size <= MaxDirectTable
                ? DirectOrder(refItems, hypItems, refIds, hypIds, n, alphabetSize, (int)size, out m)
                : HashedOrder(refItems, hypItems, refIds, hypIds, n, out m);
            matches[n - 1] = m;
            prefixes = next;
        }
    }

    int DirectOrder(ReadOnlySpan<int> refItems, ReadOnlySpan<int> hypItems, Span<int> refIds, Span<int> hypIds,
        int n, int alphabetSize, int size, out int matches)
    {
        if (_table.Length < size)
        {
            _table = new int[size * 2];
            _stamps = new int[size * 2];
            _generation = 0;
        }
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
            _generation = 1;
        }
        var table = new DirectTable(_table, _stamps, _generation, alphabetSize);
        return CountOrder(ref table, refItems, hypItems, refIds, hypIds, n, out matches);
    }

    int HashedOrder(ReadOnlySpan<int> refItems, ReadOnlySpan<int> hypItems, Span<int> refIds, Span<int> hypIds, int n, out int matches)
    {
        _interner.Clear();
        var table = new HashedTable(_interner);
        return CountOrder(ref table, refItems, hypItems, refIds, hypIds, n, out matches);
    }

    /// <summary>
    /// One order: reference n-grams get ids (extending their prefix ids in place) and are counted; each hypothesis
    /// n-gram takes one remaining reference occurrence. Generic over the table so each kind is compiled inline.
    /// Returns the number of distinct reference n-grams (the prefix count of the next order).
    /// </summary>
    int CountOrder<TTable>(ref TTable table, ReadOnlySpan<int> refItems, ReadOnlySpan<int> hypItems, Span<int> refIds,
        Span<int> hypIds, int n, out int matches) where TTable : struct, INGramTable
    {
        var counts = _counts;
        var next = 0;
        for (var i = 0; i < refItems.Length - n + 1; i++)
        {
            var id = table.Intern(refIds[i], refItems[i + n - 1], ref next, out var added);
            refIds[i] = id;
            counts[id] = added ? 1 : counts[id] + 1;
        }
        matches = 0;
        for (var i = 0; i < hypItems.Length - n + 1; i++)
        {
            var prefix = hypIds[i];
            var item = hypItems[i + n - 1];
            var id = prefix == Absent || item < 0 ? Absent : table.Find(prefix, item);
            hypIds[i] = id;
            if (id != Absent && counts[id] > 0) { counts[id]--; matches++; }
        }
        return next;
    }

    interface INGramTable
    {
        /// <summary>The id of (prefix, item), giving it id <paramref name="next"/> (then incremented) when new.</summary>
        int Intern(int prefix, int item, ref int next, out bool added);

        /// <summary>The id of (prefix, item), or -1 when the reference does not have it.</summary>
        int Find(int prefix, int item);
    }

    /// <summary>Ids in a prefix × alphabet array; a slot belongs to this order when its stamp is the generation.</summary>
    readonly struct DirectTable(int[] table, int[] stamps, int generation, int alphabetSize) : INGramTable
    {
        public int Intern(int prefix, int item, ref int next, out bool added)
        {
            var index = prefix * alphabetSize + item;
            added = stamps[index] != generation;
            if (added)
            {
                stamps[index] = generation;
                table[index] = next++;
            }
            return table[index];
        }

        public int Find(int prefix, int item)
        {
            var index = prefix * alphabetSize + item;
            return stamps[index] == generation ? table[index] : Absent;
        }
    }

    /// <summary>Ids from a hash table of (prefix, item) keys, for prefix × alphabet spaces too large for an array.</summary>
    readonly struct HashedTable(NGramInterner interner) : INGramTable
    {
        public int Intern(int prefix, int item, ref int next, out bool added)
        {
            var id = interner.Intern(NGramInterner.Key(prefix, item));
            added = id == next;
            if (added) next++;
            return id;
        }

        public int Find(int prefix, int item) => interner.Find(NGramInterner.Key(prefix, item));
    }
}
