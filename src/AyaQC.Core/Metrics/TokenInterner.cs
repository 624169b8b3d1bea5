namespace AyaQC.Core.Metrics;

/// <summary>
/// Gives each distinct token (a span of text) a dense integer id, so metrics compare ints instead of strings.
/// Open addressing over a copy of the token text; <see cref="Clear"/> keeps the arrays for the next sentence.
/// </summary>
internal sealed class TokenInterner
{
    char[] _text = new char[1024];
    int _textLength;
    int[] _starts = new int[128];
    int[] _lengths = new int[128];
    int[] _hashes = new int[128];
    int[] _slots = new int[256]; // id + 1, 0 = empty
    int _count;

    public int Count => _count;

    public void Clear()
    {
        if (_count > 0) Array.Clear(_slots);
        _count = 0;
        _textLength = 0;
    }

    /// <summary>The id of <paramref name="token"/>, adding it when new.</summary>
    public int Intern(ReadOnlySpan<char> token) => Lookup(token, add: true);

    /// <summary>The id of <paramref name="token"/>, or -1 when it was never interned.</summary>
    public int Find(ReadOnlySpan<char> token) => Lookup(token, add: false);

    /// <summary>
    /// Splits <paramref name="s"/> on Python whitespace and appends each token's id; with <paramref name="add"/>
    /// false, unseen tokens get -1 (a hypothesis token absent from the reference can match nothing).
    /// </summary>
    public void AppendTokens(ReadOnlySpan<char> s, bool add, IntList ids)
    {
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && PythonText.IsWhiteSpace(s[i])) i++;
            var start = i;
            while (i < s.Length && !PythonText.IsWhiteSpace(s[i])) i++;
            if (i > start) ids.Add(Lookup(s[start..i], add));
        }
    }

    public string TextOf(int id) => new(_text, _starts[id], _lengths[id]);

    int Lookup(ReadOnlySpan<char> token, bool add)
    {
        var hash = string.GetHashCode(token);
        var mask = _slots.Length - 1;
        var slot = hash & mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0) break;
            var id = entry - 1;
            if (_hashes[id] == hash && _text.AsSpan(_starts[id], _lengths[id]).SequenceEqual(token)) return id;
            slot = (slot + 1) & mask;
        }
        if (!add) return -1;
        return Add(token, hash, slot);
    }

    int Add(ReadOnlySpan<char> token, int hash, int slot)
    {
        var id = _count++;
        if (id == _starts.Length)
        {
            Array.Resize(ref _starts, id * 2);
            Array.Resize(ref _lengths, id * 2);
            Array.Resize(ref _hashes, id * 2);
        }
        if (_textLength + token.Length > _text.Length) Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + token.Length));
        token.CopyTo(_text.AsSpan(_textLength));
        _starts[id] = _textLength;
        _lengths[id] = token.Length;
        _hashes[id] = hash;
        _textLength += token.Length;
        _slots[slot] = id + 1;
        if (_count * 2 > _slots.Length) Rehash();
        return id;
    }

    void Rehash()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var id = 0; id < _count; id++)
        {
            var slot = _hashes[id] & mask;
            while (_slots[slot] != 0) slot = (slot + 1) & mask;
            _slots[slot] = id + 1;
        }
    }
}

/// <summary>
/// Dense ids for n-grams built one item at a time: the id of (prefix id, next item) is interned as one 64-bit key,
/// so an n-gram of any order costs one table probe. Cleared per sentence without reallocating.
/// </summary>
internal sealed class NGramInterner
{
    long[] _keys = new long[1024];
    int[] _slots = new int[2048]; // id + 1, 0 = empty
    int _count;

    public int Count => _count;

    public void Clear()
    {
        if (_count > 0) Array.Clear(_slots);
        _count = 0;
    }

    /// <summary>Key for an n-gram extending the n-gram <paramref name="prefixId"/> (-1 for none) by <paramref name="item"/>.</summary>
    public static long Key(int prefixId, int item) => ((long)(prefixId + 2) << 32) | (uint)item;

    public int Intern(long key)
    {
        var mask = _slots.Length - 1;
        var slot = Mix(key) & mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0) break;
            if (_keys[entry - 1] == key) return entry - 1;
            slot = (slot + 1) & mask;
        }
        var id = _count++;
        if (id == _keys.Length) Array.Resize(ref _keys, id * 2);
        _keys[id] = key;
        _slots[slot] = id + 1;
        if (_count * 2 > _slots.Length) Rehash();
        return id;
    }

    /// <summary>The id of <paramref name="key"/>, or -1 when absent.</summary>
    public int Find(long key)
    {
        var mask = _slots.Length - 1;
        var slot = Mix(key) & mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0) return -1;
            if (_keys[entry - 1] == key) return entry - 1;
            slot = (slot + 1) & mask;
        }
    }

    static int Mix(long key)
    {
        var h = (ulong)key * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 32);
    }

    void Rehash()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var id = 0; id < _count; id++)
        {
            var slot = Mix(_keys[id]) & mask;
            while (_slots[slot] != 0) slot = (slot + 1) & mask;
            _slots[slot] = id + 1;
        }
    }
}
