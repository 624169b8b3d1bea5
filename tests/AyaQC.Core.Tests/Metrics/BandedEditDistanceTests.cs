using AyaQC.Core.Metrics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Metrics;

/// <summary>The bit-parallel shortcut must give exactly the banded distance, inside and outside its safe zone.</summary>
public class BandedEditDistanceTests
{
    static Gen<int[]> Words(int min, int max, int vocabulary) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, vocabulary - 1), n));

    [Property(MaxTest = 500)]
    public Property Candidate_distance_equals_banded_distance() =>
        Prop.ForAll(Gen.Zip(Words(0, 70, 6), Words(0, 70, 6)).ToArbitrary(), p =>
        {
            var (hyp, reference) = p;
            var d = new BandedEditDistance();
            d.Begin(reference, hyp.Length);
            var fast = d.CandidateDistance(hyp);
            var full = d.Distance(hyp);
            return fast == full;
        });

    [Property(MaxTest = 200)]
    public Property Banded_distance_is_at_least_levenshtein_and_equal_for_short_sentences() =>
        Prop.ForAll(Gen.Zip(Words(0, 30, 4), Words(0, 140, 4)).ToArbitrary(), p =>
        {
            var (hyp, reference) = p;
            var d = new BandedEditDistance();
            d.Begin(reference, hyp.Length);
            var banded = d.Distance(hyp);
            var exact = Levenshtein(hyp, reference);
            return banded >= exact && (reference.Length > 25 || hyp.Length > 25 || banded == exact);
        });

    [Fact]
    public void Band_exceeds_levenshtein_when_the_reference_is_much_longer()
    {
        // Hypothesis words that match far from the length-scaled diagonal cannot be aligned inside the band.
        int[] reference = [.. Enumerable.Range(0, 60), .. Enumerable.Repeat(99, 60)];
        int[] hyp = [.. Enumerable.Range(0, 30)];
        var d = new BandedEditDistance();
        d.Begin(reference, hyp.Length);
        Assert.Equal(90, Levenshtein(hyp, reference));
        Assert.True(d.Distance(hyp) > 90);
    }

    static int Levenshtein(int[] a, int[] b)
    {
        var prev = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var cur = new int[b.Length + 1];
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            prev = cur;
        }
        return prev[b.Length];
    }
}
