using AyaQC.Core.Crowd;

namespace AyaQC.Core.Agreement;

/// <summary>
/// Fleiss' kappa, and the raw percent agreement it is built on. Tasks may have different numbers of votes: each
/// task's agreement is the share of agreeing ordered vote pairs, n_ij(n_ij − 1) / (n_i(n_i − 1)); tasks with fewer
/// than two votes are skipped. Chance agreement Σ_j p_j² uses the label shares over the votes of those tasks.
/// <para>J. L. Fleiss, "Measuring nominal scale agreement among many raters", Psychological Bulletin 76(5), 1971.</para>
/// </summary>
public static class FleissKappa
{
    public const string Signature = "fleiss-kappa|unequal-votes:per-task|version:ayaqc-1";

    public static double Compute(CrowdAnswers answers)
    {
        var (agreement, chance) = Agreements(answers);
        if (double.IsNaN(agreement)) return double.NaN;
        return chance >= 1 ? 1.0 : (agreement - chance) / (1 - chance);
    }

    /// <summary>Mean share of agreeing vote pairs per task (tasks with ≥ 2 votes); NaN if there is none.</summary>
    public static double PercentAgreement(CrowdAnswers answers) => Agreements(answers).Observed;

    static (double Observed, double Chance) Agreements(CrowdAnswers answers)
    {
        var k = answers.LabelCount;
        var counts = new int[k];
        var labelTotals = new double[k];
        var start = answers.TaskStart;
        var labels = answers.VoteLabel;
        double sum = 0, votes = 0;
        var tasks = 0;
        for (var t = 0; t < answers.TaskCount; t++)
        {
            var m = start[t + 1] - start[t];
            if (m < 2) continue;
            Array.Clear(counts);
            for (var v = start[t]; v < start[t + 1]; v++) counts[labels[v]]++;
            var agreeing = 0.0;
            for (var c = 0; c < k; c++)
            {
                agreeing += counts[c] * (counts[c] - 1.0);
                labelTotals[c] += counts[c];
            }
            sum += agreeing / (m * (m - 1.0));
            votes += m;
            tasks++;
        }
        if (tasks == 0) return (double.NaN, double.NaN);
        var chance = 0.0;
        for (var c = 0; c < k; c++) chance += labelTotals[c] / votes * (labelTotals[c] / votes);
        return (sum / tasks, chance);
    }
}
