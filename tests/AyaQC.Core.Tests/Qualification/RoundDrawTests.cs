using AyaQC.Core.Qualification;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Qualification;

public class RoundDrawTests
{
    static List<GoldItem> Set(int good, int badPerType) =>
        Enumerable.Range(0, good).Select(i => new GoldItem($"g{i}", "eng_Latn", "swh_Latn", $"s{i}", $"t{i}", Verdict.Good, null, null))
            .Concat(ErrorTypes.All.SelectMany(t => Enumerable.Range(0, badPerType)
                .Select(i => new GoldItem($"{t}{i}", "eng_Latn", "swh_Latn", $"s{t}{i}", $"t{t}{i}", Verdict.Bad, t, "x"))))
            .ToList();

    [Property(MaxTest = 200)]
    public Property Draw_is_balanced_distinct_and_spread_over_error_types(PositiveInt sizeSeed, int seed)
    {
        var set = Set(good: 60, badPerType: 7); // 60 good, 63 bad
        var size = 1 + sizeSeed.Get % 100;
        var drawn = RoundDraw.Draw(set, size, new Random(seed));
        var bad = drawn.Where(i => i.Label == Verdict.Bad).ToList();
        var perType = ErrorTypes.All.Select(t => bad.Count(i => i.ErrorType == t)).ToList();
        return (drawn.Count == size).Label("size")
            .And(drawn.Select(i => i.Id).Distinct().Count() == size).Label("distinct")
            .And(Math.Abs(bad.Count - size / 2.0) <= 0.5).Label($"half bad: {bad.Count} of {size}")
            .And(perType.Max() - perType.Min() <= 1).Label($"types even: {string.Join(",", perType)}");
    }

    [Fact]
    public void Draw_takes_more_bad_items_when_good_ones_run_short_and_refuses_oversize()
    {
        var set = Set(good: 3, badPerType: 2);
        var drawn = RoundDraw.Draw(set, 20, new Random(1));
        Assert.Equal(3, drawn.Count(i => i.Label == Verdict.Good));
        Assert.Throws<ArgumentOutOfRangeException>(() => RoundDraw.Draw(set, set.Count + 1, new Random(1)));
    }

    [Fact]
    public void Different_seeds_give_different_orders()
    {
        var set = Set(20, 3);
        var a = RoundDraw.Draw(set, 20, new Random(1)).Select(i => i.Id);
        var b = RoundDraw.Draw(set, 20, new Random(2)).Select(i => i.Id);
        Assert.NotEqual(a, b);
    }
}
