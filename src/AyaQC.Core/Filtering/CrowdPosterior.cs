namespace AyaQC.Core.Filtering;

/// <summary>
/// Posterior probability that a row is good given its votes, each weighted by its voter's accuracy under the
/// one-coin model (Dawid–Skene with a symmetric confusion per voter): log-odds = prior log-odds + Σ ±log(a/(1−a)).
/// Accuracies are clamped to [0.01, 0.99] so that one voter can never decide a row alone.
/// </summary>
public static class CrowdPosterior
{
    public const double MinSkill = 0.01, MaxSkill = 0.99;

    public static double Good(IReadOnlyList<RowVote> votes, double priorGood = 0.5)
    {
        var logOdds = Math.Log(priorGood / (1 - priorGood));
        foreach (var vote in votes)
        {
            var a = Math.Clamp(vote.Skill, MinSkill, MaxSkill);
            var weight = Math.Log(a / (1 - a));
            logOdds += vote.Good ? weight : -weight;
        }
        return 1 / (1 + Math.Exp(-logOdds));
    }

    /// <summary>Binary entropy in nats: 0 = certain, ln 2 = undecided.</summary>
    public static double Entropy(double pGood)
    {
        double h = 0;
        if (pGood > 0) h -= pGood * Math.Log(pGood);
        if (pGood < 1) h -= (1 - pGood) * Math.Log(1 - pGood);
        return h;
    }
}
