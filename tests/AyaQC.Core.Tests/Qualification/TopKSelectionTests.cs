using AyaQC.Core.Qualification;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Qualification;

public class TopKSelectionTests
{
    static AssessorScore Score(int correct, int n, QualificationDecision d)
    {
        var (lo, hi) = WilsonInterval.Compute(correct, n);
        return new AssessorScore(n, correct, n == 0 ? 0 : correct / (double)n, 0, null, null, lo, hi,
            new Dictionary<string, ErrorTypeTally>(), null, d, false, n, 0, "");
    }

    [Fact]
    public void An_undecided_assessor_with_0_of_1_is_not_selected_even_when_k_exceeds_the_passers()
    {
        var picked = TopKSelection.Select(
        [
            ("passed", Score(30, 34, QualificationDecision.Pass)),
            ("zero-of-one", Score(0, 1, QualificationDecision.Undecided)),
            ("failed", Score(3, 20, QualificationDecision.Fail)),
        ], 10);
        Assert.Equal(["passed"], picked);
    }

    /// <summary>Whatever the scores and k: only passers are selected, at most k, and no passer left out ranks above one taken.</summary>
    [Property(MaxTest = 300)]
    public void Never_selects_failed_or_undecided_and_takes_the_best_passers(byte[] correctSeeds, byte[] decisionSeeds, byte kSeed)
    {
        var scores = correctSeeds.Select((c, i) =>
        {
            var n = 1 + i % 40;
            var decision = (QualificationDecision)((i < decisionSeeds.Length ? decisionSeeds[i] : c) % 3);
            return ($"a{i:D3}", Score(c % (n + 1), n, decision));
        }).ToList();
        var k = kSeed % 12 + 1;
        var picked = TopKSelection.Select(scores, k);
        var byId = scores.ToDictionary(s => s.Item1, s => s.Item2);
        var passers = scores.Where(s => s.Item2.Decision == QualificationDecision.Pass).ToList();

        Assert.All(picked, id => Assert.Equal(QualificationDecision.Pass, byId[id].Decision));
        Assert.Equal(Math.Min(k, passers.Count), picked.Count);
        var worstTaken = picked.Count == 0 ? double.MaxValue : picked.Min(id => byId[id].WilsonLow);
        Assert.All(passers.Where(p => !picked.Contains(p.Item1)), p => Assert.True(p.Item2.WilsonLow <= worstTaken));
    }
}
