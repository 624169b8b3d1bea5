using AyaQC.Core.Crowd;

namespace AyaQC.Core.Agreement;

/// <summary>Per-task uncertainty: Shannon entropy (nats) of the posterior over labels; 0 = certain, ln K = uniform.</summary>
public static class PosteriorEntropy
{
    public static double[] PerTask(CrowdLabels result)
    {
        var k = result.Answers.LabelCount;
        var entropy = new double[result.Answers.TaskCount];
        for (var t = 0; t < entropy.Length; t++) entropy[t] = Of(result.Posteriors.AsSpan(t * k, k));
        return entropy;
    }

    public static double Of(ReadOnlySpan<double> distribution)
    {
        var h = 0.0;
        foreach (var p in distribution) if (p > 0) h -= p * Math.Log(p);
        return h;
    }

    public static double Mean(CrowdLabels result) => result.Answers.TaskCount == 0 ? double.NaN : PerTask(result).Average();
}
