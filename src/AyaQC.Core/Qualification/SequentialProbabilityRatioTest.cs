namespace AyaQC.Core.Qualification;

public enum SprtOutcome { Continue, AcceptH0, AcceptH1 }

/// <summary>
/// Wald's sequential probability ratio test (Wald, 1945) for a Bernoulli success rate:
/// H0: p = p0 (not good enough) against H1: p = p1 (good). After each answer the log-likelihood ratio
/// is compared with ln((1-β)/α) (accept H1) and ln(β/(1-α)) (accept H0).
/// </summary>
public sealed class SequentialProbabilityRatioTest
{
    readonly double logSuccess, logFailure;

    public SequentialProbabilityRatioTest(double p0, double p1, double alpha, double beta)
    {
        if (!(p0 > 0 && p0 < p1 && p1 < 1)) throw new ArgumentException("need 0 < p0 < p1 < 1");
        logSuccess = Math.Log(p1 / p0);
        logFailure = Math.Log((1 - p1) / (1 - p0));
        UpperBound = Math.Log((1 - beta) / alpha);
        LowerBound = Math.Log(beta / (1 - alpha));
    }

    public SequentialProbabilityRatioTest(QualificationPolicy policy)
        : this(policy.SprtP0, policy.SprtP1, policy.SprtAlpha, policy.SprtBeta) { }

    public double UpperBound { get; }
    public double LowerBound { get; }

    public double LogLikelihoodRatio(int correct, int n) => correct * logSuccess + (n - correct) * logFailure;

    public SprtOutcome Evaluate(int correct, int n)
    {
        var llr = LogLikelihoodRatio(correct, n);
        return llr >= UpperBound ? SprtOutcome.AcceptH1
            : llr <= LowerBound ? SprtOutcome.AcceptH0
            : SprtOutcome.Continue;
    }
}
