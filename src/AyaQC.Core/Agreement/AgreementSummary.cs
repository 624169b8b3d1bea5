using AyaQC.Core.Crowd;

namespace AyaQC.Core.Agreement;

/// <summary>The agreement figures a project lead looks at for one set of votes (and, optionally, one aggregation).</summary>
public sealed record AgreementSummary(
    double KrippendorffAlpha,
    double FleissKappa,
    double PercentAgreement,
    double? MeanPairwiseCohenKappa,
    int CohenPairs,
    double? MeanPosteriorEntropy)
{
    /// <summary>Pairwise Cohen's kappa is skipped above this many vote pairs (it grows with the square of overlap).</summary>
    public const long MaxCohenVotePairs = 20_000_000;

    public static AgreementSummary Of(CrowdAnswers answers, CrowdLabels? result = null, int minSharedTasks = 10)
    {
        long pairs = 0;
        for (var t = 0; t < answers.TaskCount; t++)
        {
            long m = answers.VotesOnTask(t);
            pairs += m * (m - 1) / 2;
        }
        double? meanKappa = null;
        var cohenPairs = 0;
        if (pairs <= MaxCohenVotePairs)
        {
            var kappas = CohenKappa.AllPairs(answers, minSharedTasks).Where(p => !double.IsNaN(p.Kappa)).ToList();
            cohenPairs = kappas.Count;
            if (kappas.Count > 0) meanKappa = kappas.Average(p => p.Kappa);
        }
        return new AgreementSummary(
            Agreement.KrippendorffAlpha.Nominal(answers),
            Agreement.FleissKappa.Compute(answers),
            Agreement.FleissKappa.PercentAgreement(answers),
            meanKappa,
            cohenPairs,
            result == null ? null : PosteriorEntropy.Mean(result));
    }
}
