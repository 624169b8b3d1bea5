namespace AyaQC.Core.Qualification;

/// <summary>
/// Draws an assessor's items from a gold set: half good, half bad (as far as the set allows), the bad half spread
/// evenly over error types, then shuffled so neither label nor type can be guessed from position.
/// </summary>
public static class RoundDraw
{
    public static IReadOnlyList<GoldItem> Draw(IReadOnlyList<GoldItem> set, int size, Random rng)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), "size must be at least 1");
        if (size > set.Count) throw new ArgumentOutOfRangeException(nameof(size), $"size {size} exceeds the set's {set.Count} items");

        var good = Shuffled(set.Where(i => i.Label == Verdict.Good), rng);
        var badByType = set.Where(i => i.Label == Verdict.Bad)
            .GroupBy(i => i.ErrorType ?? "")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Shuffled(g, rng))
            .ToList();
        var badCount = badByType.Sum(q => q.Count);

        var wantBad = Math.Min(badCount, Math.Max(size - good.Count, size / 2 + (size % 2 == 1 ? rng.Next(2) : 0)));
        var drawn = new List<GoldItem>(size);
        // Round-robin over error types starting at a random one, so small rounds do not always favour the same types.
        for (var t = rng.Next(Math.Max(1, badByType.Count)); drawn.Count < wantBad; t = (t + 1) % badByType.Count)
            if (badByType[t].Count > 0) drawn.Add(badByType[t].Dequeue());
        while (drawn.Count < size) drawn.Add(good.Dequeue());

        return Shuffled(drawn, rng).ToList();
    }

    static Queue<GoldItem> Shuffled(IEnumerable<GoldItem> items, Random rng)
    {
        var array = items.ToArray();
        rng.Shuffle(array);
        return new Queue<GoldItem>(array);
    }
}
