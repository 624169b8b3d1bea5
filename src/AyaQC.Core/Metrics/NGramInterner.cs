namespace AyaQC.Core.Metrics;

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
