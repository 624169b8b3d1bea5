namespace AyaQC.Core.Qualification;

/// <summary>
/// "Select the assessors that perform better than the others": the k best among those who passed, ranked by the
/// lower Wilson bound (a sure 0.85 beats a lucky 1.0 on three items), then accuracy, then id for a stable order.
/// Failed and undecided assessors are never selected, so fewer than k come back when fewer passed.
/// </summary>
public static class TopKSelection
{
    public static IReadOnlyList<string> Select(IEnumerable<(string Assessor, AssessorScore Score)> scores, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be at least 1");
        return scores
            .Where(s => s.Score.Decision == QualificationDecision.Pass)
            .OrderByDescending(s => s.Score.WilsonLow)
            .ThenByDescending(s => s.Score.Accuracy)
            .ThenBy(s => s.Assessor, StringComparer.Ordinal)
            .Take(k)
            .Select(s => s.Assessor)
            .ToList();
    }
}
