using System.Globalization;
using AyaQC.Core.Qualification;

namespace AyaQC.Filtering;

public enum Decision { Drop, Review, Keep }

/// <summary>
/// p_good ≥ <see cref="Keep"/> keeps a row, p_good &lt; <see cref="Drop"/> drops it, anything between goes to review.
/// Always Drop ≤ Keep, so a higher p_good never gets a worse decision.
/// </summary>
public sealed record DecisionThresholds(double Keep, double Drop)
{
    public Decision Decide(double pGood) => pGood >= Keep ? Decision.Keep : pGood < Drop ? Decision.Drop : Decision.Review;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"keep≥{Keep:0.####} drop<{Drop:0.####}");

    /// <summary>
    /// The lowest keep threshold whose kept rows (p ≥ threshold) are at least <paramref name="keepPrecision"/> good,
    /// and the highest drop threshold whose dropped rows (p &lt; threshold) are at least <paramref name="dropPrecision"/>
    /// bad, on held-out probabilities; the drop threshold is capped at the keep threshold. No kept set that meets the
    /// target → keep threshold above 1 (nothing kept); none for drop → 0 (nothing dropped). With <paramref name="z"/> &gt; 0
    /// a set meets its target only when the Wilson lower bound of its share does (the edge of a set chosen on the same
    /// rows is optimistic; the bound keeps the target on rows not seen).
    /// </summary>
    public static DecisionThresholds Choose(IReadOnlyList<double> pGood, IReadOnlyList<bool> good, double keepPrecision, double dropPrecision,
        double z = 0)
    {
        bool Meets(int hits, int n, double target) => z > 0 ? WilsonInterval.Compute(hits, n, z).Low >= target : hits >= target * n;
        var order = Enumerable.Range(0, pGood.Count).OrderByDescending(i => pGood[i]).ToArray();
        // Keep: walk down from the top; a cut is only possible between distinct values.
        var keep = double.PositiveInfinity;
        int goods = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (good[order[k]]) goods++;
            var lastOfTie = k + 1 == order.Length || pGood[order[k + 1]] != pGood[order[k]];
            if (lastOfTie && Meets(goods, k + 1, keepPrecision)) keep = pGood[order[k]];
        }
        var drop = 0.0;
        int bads = 0;
        for (var k = order.Length - 1; k >= 0; k--)
        {
            if (!good[order[k]]) bads++;
            var n = order.Length - k;
            var lastOfTie = k == 0 || pGood[order[k - 1]] != pGood[order[k]];
            // Dropping rows with p < threshold: the threshold just above this tie group.
            if (lastOfTie && Meets(bads, n, dropPrecision)) drop = k == 0 ? double.PositiveInfinity : pGood[order[k - 1]];
        }
        if (double.IsPositiveInfinity(keep)) keep = 1.0 + 1e-9;
        return new DecisionThresholds(keep, Math.Min(drop, keep));
    }
}
