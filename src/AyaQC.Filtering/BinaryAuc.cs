namespace AyaQC.Filtering;

/// <summary>Area under the ROC curve: the probability that a random good row scores above a random bad row, ties
/// counting one half (Mann–Whitney U over average ranks). NaN when either class is absent.</summary>
public static class BinaryAuc
{
    public static double Of(IReadOnlyList<double> scores, IReadOnlyList<bool> good)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumGood = 0;
        long nGood = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            var averageRank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++)
                if (good[order[k]]) { rankSumGood += averageRank; nGood++; }
            i = j + 1;
        }
        long nBad = scores.Count - nGood;
        if (nGood == 0 || nBad == 0) return double.NaN;
        return (rankSumGood - nGood * (nGood + 1) / 2.0) / ((double)nGood * nBad);
    }
}
