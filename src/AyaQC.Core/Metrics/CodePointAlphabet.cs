namespace AyaQC.Core.Metrics;

/// <summary>Dense per-pair ids for code points (0, 1, 2, ... in order of first appearance).</summary>
internal sealed class CodePointAlphabet
{
    const int Direct = 4096;
    readonly int[] _direct = new int[Direct];
    readonly int[] _directStamp = new int[Direct];
    readonly Dictionary<int, int> _other = [];
    int _generation;

    public int Count { get; private set; }

    public void Clear()
    {
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_directStamp);
            _generation = 1;
        }
        if (_other.Count > 0) _other.Clear();
        Count = 0;
    }

    public int IdOf(int codePoint)
    {
        if ((uint)codePoint < Direct)
        {
            if (_directStamp[codePoint] == _generation) return _direct[codePoint];
            _directStamp[codePoint] = _generation;
            return _direct[codePoint] = Count++;
        }
        if (_other.TryGetValue(codePoint, out var id)) return id;
        _other[codePoint] = Count;
        return Count++;
    }
}
