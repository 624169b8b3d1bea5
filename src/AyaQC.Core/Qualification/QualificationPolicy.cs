using System.Globalization;

namespace AyaQC.Core.Qualification;

/// <summary>
/// How a qualification round decides. An assessor passes when the lower bound of the Wilson 95% interval of their
/// accuracy clears <paramref name="PassThreshold"/> and they caught at least <paramref name="MinBadRecall"/> of the
/// bad items (a missed bad translation is the costly error). Wald's sequential probability ratio test of
/// accuracy p0 (not good enough) against p1 (good) stops clear cases early.
/// </summary>
public sealed record QualificationPolicy(
    double PassThreshold = 0.70,
    double SprtP0 = 0.60,
    double SprtP1 = 0.85,
    double SprtAlpha = 0.05,
    double SprtBeta = 0.05,
    int MinItemsBeforeEarlyStop = 8,
    int? TopK = null,
    double MinBadRecall = 0.60)
{
    public const string Version = "2"; // 2: top-k selects passers only

    /// <summary>Names every option, so a reported decision can be reproduced (sacreBLEU-style).</summary>
    public string Signature => string.Create(CultureInfo.InvariantCulture,
        $"qual|pass:wilson95-low>={PassThreshold:0.###}|bad-recall>={MinBadRecall:0.###}" +
        $"|sprt:p0={SprtP0:0.###},p1={SprtP1:0.###},alpha={SprtAlpha:0.###},beta={SprtBeta:0.###},min={MinItemsBeforeEarlyStop}" +
        $"|topk:{(TopK?.ToString(CultureInfo.InvariantCulture) ?? "none")}|version:{Version}");

    /// <summary>Throws naming the field when the options cannot work together.</summary>
    public QualificationPolicy Validated()
    {
        static void Check(bool ok, string field, string message)
        {
            if (!ok) throw new ArgumentException($"{field}: {message}", field);
        }
        Check(PassThreshold is > 0 and < 1, nameof(PassThreshold), "must lie strictly between 0 and 1");
        Check(MinBadRecall is >= 0 and <= 1, nameof(MinBadRecall), "must lie between 0 and 1");
        Check(SprtP0 is > 0 and < 1 && SprtP1 is > 0 and < 1, nameof(SprtP0), "p0 and p1 must lie strictly between 0 and 1");
        Check(SprtP0 < SprtP1, nameof(SprtP1), "p1 must be greater than p0");
        Check(SprtAlpha is > 0 and < 0.5 && SprtBeta is > 0 and < 0.5, nameof(SprtAlpha), "alpha and beta must lie in (0, 0.5)");
        Check(MinItemsBeforeEarlyStop >= 1, nameof(MinItemsBeforeEarlyStop), "must be at least 1");
        Check(TopK is null or >= 1, nameof(TopK), "must be at least 1 when given");
        return this;
    }
}
