namespace AyaQC.Core.Metrics;

/// <summary>
/// Word-level Levenshtein distance restricted to sacreBLEU's band: row i (hypothesis words) computes columns
/// floor(i·R/H) ± beam, beam = 25 or ceil(R/H/2 + 25) when R/H/2 exceeds 25, and the last row is computed in
/// full to its right end (its left edge is not reset). Cells outside the band stay infinite, so the result can
/// exceed the exact distance when the lengths differ a lot; that is what sacreBLEU computes.
/// Ties prefer the diagonal, then consuming a hypothesis word, then consuming a reference word.
/// Rows are kept between calls and only the rows after the common prefix with the previous hypothesis are
/// recomputed (the hypothesis length, hence the band, is fixed per sentence because shifts keep it).
/// </summary>
internal sealed class BandedEditDistance
{
    const int Infinity = 1 << 29;
    const int Beam = 25;
    const byte OpMatch = 0, OpSubstitute = 1, OpReferenceWord = 2, OpHypothesisWord = 3, OpUndefined = 4;

    int[] _cost = new int[1024];
    byte[] _op = new byte[1024];
    int[] _reference = new int[64];
    int[] _rowWords = new int[64];
    int[] _low = new int[64];
    int[] _high = new int[64];
    byte[] _trace = new byte[128];
    int _traceLength;
    int _h, _r, _width, _validRows;

    public void Begin(ReadOnlySpan<int> reference, int hypLength)
    {
        _h = hypLength;
        _r = reference.Length;
        _width = _r + 1;
        var cells = (_h + 1) * _width;
        if (_cost.Length < cells) { _cost = new int[cells * 2]; _op = new byte[cells * 2]; }
        if (_reference.Length < _r) _reference = new int[_r * 2];
        if (_rowWords.Length < _h) _rowWords = new int[_h * 2];
        if (_low.Length < _h + 1) { _low = new int[_h * 2 + 2]; _high = new int[_h * 2 + 2]; }
        reference.CopyTo(_reference);

        for (var j = 0; j <= _r; j++) { _cost[j] = j; _op[j] = OpReferenceWord; }
        _cost.AsSpan(_width, cells - _width).Fill(Infinity);
        _op.AsSpan(_width, cells - _width).Fill(OpUndefined);

        var ratio = _h > 0 ? (double)_r / _h : 1.0;
        var beam = Beam < ratio / 2 ? (int)Math.Ceiling(ratio / 2 + Beam) : Beam;
        for (var i = 1; i <= _h; i++)
        {
            var diagonal = (int)Math.Floor(i * ratio);
            _low[i] = Math.Max(0, diagonal - beam);
            _high[i] = i == _h ? _r + 1 : Math.Min(_r + 1, diagonal + beam);
        }
        _validRows = 0;
    }

    /// <summary>The banded distance between <paramref name="words"/> (length H) and the reference.</summary>
    public int Distance(ReadOnlySpan<int> words)
    {
        var common = 0;
        while (common < _validRows && words[common] == _rowWords[common]) common++;
        var cost = _cost;
        var op = _op;
        var reference = _reference;
        var width = _width;
        for (var i = common + 1; i <= _h; i++)
        {
            var word = words[i - 1];
            _rowWords[i - 1] = word;
            var row = i * width;
            var above = row - width;
            for (int j = _low[i], end = _high[i]; j < end; j++)
            {
                if (j == 0)
                {
                    cost[row] = cost[above] + 1;
                    op[row] = OpHypothesisWord;
                    continue;
                }
                var best = cost[above + j - 1] + (word == reference[j - 1] ? 0 : 1);
                var bestOp = word == reference[j - 1] ? OpMatch : OpSubstitute;
                if (best >= Infinity) { best = Infinity; bestOp = OpUndefined; }
                var up = cost[above + j] + 1;
                if (up < best) { best = up; bestOp = OpHypothesisWord; }
                var left = cost[row + j - 1] + 1;
                if (left < best) { best = left; bestOp = OpReferenceWord; }
                cost[row + j] = best;
                op[row + j] = bestOp;
            }
        }
        _validRows = _h;
        return cost[_h * width + _r];
    }

    void BackTrace()
    {
        if (_trace.Length < _h + _r) _trace = new byte[(_h + _r) * 2];
        var n = 0;
        int i = _h, j = _r;
        while (i > 0 || j > 0)
        {
            var o = _op[i * _width + j];
            _trace[n++] = o;
            switch (o)
            {
                case OpMatch or OpSubstitute: i--; j--; break;
                case OpReferenceWord: j--; break;
                case OpHypothesisWord: i--; break;
                default: throw new InvalidOperationException("TER band left the alignment path undefined");
            }
        }
        _trace.AsSpan(0, n).Reverse();
        _traceLength = n;
    }

    /// <summary>
    /// sacreBLEU's <c>trace_to_alignment</c> on the trace of the last distance computed: for each reference position the hypothesis position
    /// it is aligned to (the current one, possibly -1, for a reference-only word), and error flags on both sides.
    /// </summary>
    public void Alignment(int[] align, byte[] refErr, byte[] hypErr)
    {
        BackTrace();
        int posH = -1, posR = -1;
        for (var k = 0; k < _traceLength; k++)
        {
            switch (_trace[k])
            {
                case OpMatch:
                    posH++; posR++; align[posR] = posH; hypErr[posH] = 0; refErr[posR] = 0; break;
                case OpSubstitute:
                    posH++; posR++; align[posR] = posH; hypErr[posH] = 1; refErr[posR] = 1; break;
                case OpHypothesisWord:
                    posH++; hypErr[posH] = 1; break;
                default:
                    posR++; align[posR] = posH; refErr[posR] = 1; break;
            }
        }
    }

    public (int Insertions, int Deletions, int Substitutions) CountOperations()
    {
        BackTrace();
        int ins = 0, del = 0, sub = 0;
        foreach (var o in _trace.AsSpan(0, _traceLength))
        {
            if (o == OpSubstitute) sub++;
            else if (o == OpReferenceWord) ins++;
            else if (o == OpHypothesisWord) del++;
        }
        return (ins, del, sub);
    }

    /// <summary>The trace found by the last <see cref="CountOperations"/>.</summary>
    public IEnumerable<TerOperation> Operations()
    {
        var ops = new TerOperation[_traceLength];
        for (var k = 0; k < _traceLength; k++)
            ops[k] = _trace[k] switch
            {
                OpMatch => TerOperation.Match,
                OpSubstitute => TerOperation.Substitution,
                OpReferenceWord => TerOperation.Insertion,
                _ => TerOperation.Deletion,
            };
        return ops;
    }
}
