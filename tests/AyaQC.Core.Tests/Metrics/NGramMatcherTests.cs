using AyaQC.Core.Metrics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Metrics;

/// <summary>The int-coded n-gram matcher against a plain dictionary count of joined n-grams.</summary>
public class NGramMatcherTests
{
    static int[] Naive(int[] reference, int[] hyp, int maxOrder)
    {
        var matches = new int[maxOrder];
        for (var n = 1; n <= maxOrder; n++)
        {
            var counts = new Dictionary<string, int>();
            for (var i = 0; i + n <= reference.Length; i++)
            {
                var key = string.Join(",", reference[i..(i + n)]);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            for (var i = 0; i + n <= hyp.Length; i++)
            {
                var key = string.Join(",", hyp[i..(i + n)]);
                if (counts.GetValueOrDefault(key) > 0) { counts[key]--; matches[n - 1]++; }
            }
        }
        return matches;
    }

    [Property(MaxTest = 400)]
    public Property Matches_equal_a_naive_count_for_direct_and_hashed_tables() =>
        Prop.ForAll(Gen.Zip(Gen.Zip(Gen.ArrayOf(Gen.Choose(0, 4)), Gen.ArrayOf(Gen.Choose(-1, 5))), Gen.Choose(1, 6)).ToArbitrary(), p =>
        {
            var ((reference, hyp), order) = p;
            const int alphabet = 6;
            // -1 marks a hypothesis item absent from the reference; the naive count sees it as its own symbol.
            var expected = Naive(reference, hyp, order);
            var direct = new int[order];
            var hashed = new int[order];
            new NGramMatcher().Count(reference, hyp, alphabet, direct);
            new NGramMatcher { MaxDirectTable = 0 }.Count(reference, hyp, alphabet, hashed);
            return expected.SequenceEqual(direct) && expected.SequenceEqual(hashed);
        });

    [Fact]
    public void One_matcher_reused_across_pairs_forgets_the_previous_pair()
    {
        var matcher = new NGramMatcher();
        var m = new int[3];
        matcher.Count([0, 1, 2, 0, 1], [0, 1, 2], 3, m);
        Assert.Equal([3, 2, 1], m);
        matcher.Count([2, 2], [0, 1, 2], 3, m);
        Assert.Equal([1, 0, 0], m);
    }
}
