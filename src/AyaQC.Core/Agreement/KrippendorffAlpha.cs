using AyaQC.Core.Crowd;

namespace AyaQC.Core.Agreement;

/// <summary>
/// Krippendorff's alpha for nominal data: 1 − observed / expected disagreement, from the coincidence matrix of
/// pairable values. Every vote is a value (a worker voting twice on a task gives two values); tasks with fewer
/// than two values are dropped; 1.0 when only one value occurs at all.
/// <para>K. Krippendorff, "Computing Krippendorff's alpha-reliability", 2011.</para>
/// </summary>
public static class KrippendorffAlpha
{
    public const string Signature = "krippendorff-alpha|metric:nominal|version:ayaqc-1";

    public static double Nominal(CrowdAnswers answers)
    {
        var k = answers.LabelCount;
        var coincidence = new double[k * k];
        var counts = new int[k];
        var start = answers.TaskStart;
        var labels = answers.VoteLabel;
        for (var t = 0; t < answers.TaskCount; t++)
        {
            var m = start[t + 1] - start[t];
            if (m < 2) continue;
            Array.Clear(counts);
            for (var v = start[t]; v < start[t + 1]; v++) counts[labels[v]]++;
            for (var c = 0; c < k; c++)
            {
                if (counts[c] == 0) continue;
                for (var d = 0; d < k; d++)
                {
                    var pairs = c == d ? counts[c] * (counts[c] - 1.0) : (double)counts[c] * counts[d];
                    coincidence[c * k + d] += pairs / (m - 1);
                }
            }
        }
        var marginal = new double[k];
        var n = 0.0;
        for (var c = 0; c < k; c++)
            for (var d = 0; d < k; d++) { marginal[c] += coincidence[c * k + d]; n += coincidence[c * k + d]; }
        double observed = 0, expected = 0;
        for (var c = 0; c < k; c++)
            for (var d = 0; d < k; d++)
            {
                if (c == d) continue;
                observed += coincidence[c * k + d];
                expected += marginal[c] * marginal[d];
            }
        if (n < 2) return double.NaN; // nothing pairable
        expected /= n - 1;
        return expected == 0 ? 1.0 : 1 - observed / expected;
    }
}
