namespace AyaQC.Filtering;

/// <summary>Assigns rows to k folds so that each fold holds about the same share of good and bad rows; the seed
/// fixes the assignment.</summary>
public static class StratifiedFolds
{
    public static int[] Assign(IReadOnlyList<bool> labels, int folds, int seed)
    {
        var fold = new int[labels.Count];
        var rng = new Random(seed);
        foreach (var cls in new[] { true, false })
        {
            var rows = Enumerable.Range(0, labels.Count).Where(i => labels[i] == cls).ToArray();
            rng.Shuffle(rows);
            for (var k = 0; k < rows.Length; k++) fold[rows[k]] = k % folds;
        }
        return fold;
    }
}
