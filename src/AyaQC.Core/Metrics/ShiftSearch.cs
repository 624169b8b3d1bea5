namespace AyaQC.Core.Metrics;

/// <summary>
/// TER's greedy shift search over int-coded words, with sacreBLEU's limits and tie-breaking (see
/// <see cref="TranslationEditRate"/>). Reuses its buffers between sentences.
/// </summary>
internal sealed class ShiftSearch
{
    const int MaxShiftSize = 10;
    const int MaxShiftDistance = 50;
    const int MaxCandidates = 1000;

    readonly BandedEditDistance _distance = new();
    int[] _words = new int[64];
    int[] _shifted = new int[64];
    int[] _best = new int[64];
    int[] _align = new int[64];
    byte[] _refErr = new byte[64];
    byte[] _hypErr = new byte[64];
    int _hypLength;

    public List<TerShift> ShiftsMade { get; } = [];

    public ReadOnlySpan<int> FinalWords => _words.AsSpan(0, _hypLength);

    public TerStatistics Run(ReadOnlySpan<int> hyp, ReadOnlySpan<int> reference, bool recordShifts)
    {
        var h = hyp.Length;
        var r = reference.Length;
        ShiftsMade.Clear();
        _hypLength = h;
        Grow(ref _words, h);
        hyp.CopyTo(_words);
        if (r == 0) return new TerStatistics(0, h, 0, 0, 0);

        Grow(ref _shifted, h);
        Grow(ref _best, h);
        Grow(ref _hypErr, h);
        Grow(ref _align, r);
        Grow(ref _refErr, r);
        _distance.Begin(reference, h);

        var shifts = 0;
        var checkedCandidates = 0;
        while (true)
        {
            var gain = BestShift(reference, ref checkedCandidates, out var shift);
            if (checkedCandidates >= MaxCandidates) break; // sacreBLEU drops the round that hit the cap
            if (gain <= 0) break;
            shifts++;
            if (recordShifts) ShiftsMade.Add(shift);
            _best.AsSpan(0, h).CopyTo(_words);
        }

        _distance.Distance(_words.AsSpan(0, h));
        var (ins, del, sub) = _distance.CountOperations();
        return new TerStatistics(ins, del, sub, shifts, r);
    }

    public IEnumerable<TerOperation> FinalOperations() => _distance.Operations();

    // State of the current round's best candidate (fields, so the candidate test stays allocation-free).
    bool _found;
    int _bestGain, _bestLength, _bestStart, _bestTarget, _pre, _checked;

    /// <summary>One round of <c>_shift</c>: the gain of the best shift (0 if none), its words left in <c>_best</c>.</summary>
    int BestShift(ReadOnlySpan<int> reference, ref int checkedCandidates, out TerShift bestShift)
    {
        var h = _hypLength;
        var r = reference.Length;
        var words = _words.AsSpan(0, h);
        _pre = _distance.Distance(words);
        _distance.Alignment(_align, _refErr, _hypErr);
        _found = false;
        _checked = checkedCandidates;

        for (var startH = 0; startH < h; startH++)
        {
            var firstR = Math.Max(0, startH - MaxShiftDistance);
            var lastR = Math.Min(r - 1, startH + MaxShiftDistance);
            for (var startR = firstR; startR <= lastR; startR++)
            {
                var length = 0;
                while (length < MaxShiftSize && words[startH + length] == reference[startR + length])
                {
                    length++;
                    // sacreBLEU tests the cap only after a candidate that got past the filters.
                    if (TryCandidate(startH, startR, length) && _checked >= MaxCandidates) goto done;
                    if (startH + length == h || startR + length == r) break;
                }
            }
        }
        done:
        checkedCandidates = _checked;
        bestShift = new TerShift(_bestStart, _bestLength, _bestTarget);
        return _found ? _bestGain : 0;
    }

    bool TryCandidate(int startH, int startR, int length)
    {
        if (!AnyError(_hypErr.AsSpan(startH, length)) || !AnyError(_refErr.AsSpan(startR, length))) return false;
        var aligned = _align[startR];
        if (startH <= aligned && aligned < startH + length) return false;

        var h = _hypLength;
        var previousTarget = -1;
        for (var offset = -1; offset < length; offset++)
        {
            var target = startR + offset == -1 ? 0 : _align[startR + offset] + 1;
            if (target == previousTarget) continue;
            previousTarget = target;

            Shift(_words.AsSpan(0, h), startH, length, target, _shifted.AsSpan(0, h));
            var gain = _pre - _distance.Distance(_shifted.AsSpan(0, h));
            _checked++;
            // Keep the lexicographic maximum of (gain, length, -start, -target).
            if (!_found || gain > _bestGain
                || gain == _bestGain && (length > _bestLength
                    || length == _bestLength && (startH < _bestStart || startH == _bestStart && target < _bestTarget)))
            {
                _found = true;
                _bestGain = gain;
                _bestLength = length;
                _bestStart = startH;
                _bestTarget = target;
                _shifted.AsSpan(0, h).CopyTo(_best);
            }
        }
        return true;
    }

    static bool AnyError(ReadOnlySpan<byte> errors) => errors.IndexOfAnyExcept((byte)0) >= 0;

    /// <summary>sacreBLEU's <c>_perform_shift</c>, including its "inside" case and Python's clamped slices.</summary>
    internal static void Shift(ReadOnlySpan<int> words, int start, int length, int target, Span<int> into)
    {
        var n = words.Length;
        var at = 0;
        void Copy(ReadOnlySpan<int> w, int from, int to, Span<int> dest)
        {
            from = Math.Min(from, n);
            to = Math.Min(to, n);
            if (to > from)
            {
                w[from..to].CopyTo(dest[at..]);
                at += to - from;
            }
        }
        if (target < start)
        {
            Copy(words, 0, target, into);
            Copy(words, start, start + length, into);
            Copy(words, target, start, into);
            Copy(words, start + length, n, into);
        }
        else if (target > start + length)
        {
            Copy(words, 0, start, into);
            Copy(words, start + length, target, into);
            Copy(words, start, start + length, into);
            Copy(words, target, n, into);
        }
        else
        {
            Copy(words, 0, start, into);
            Copy(words, start + length, length + target, into);
            Copy(words, start, start + length, into);
            Copy(words, length + target, n, into);
        }
    }

    static void Grow<T>(ref T[] array, int size)
    {
        if (array.Length < size) array = new T[Math.Max(size, array.Length * 2)];
    }
}
