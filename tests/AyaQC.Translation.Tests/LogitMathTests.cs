using AyaQC.Translation.Decoding;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Translation.Tests;

public class LogitMathTests
{
    // Small integers as floats make ties common, which is where the first-index rule matters.
    static Arbitrary<float[]> Rows() =>
        Gen.ArrayOf(Gen.Choose(-6, 6).Select(x => (float)x)).Where(a => a.Length > 1).ToArbitrary();

    [Property(MaxTest = 500)]
    public Property ArgMax_is_the_first_largest_value_outside_the_barred_index()
    {
        return Prop.ForAll(Rows(), Gen.Choose(-1, 40).ToArbitrary(), (row, barredPick) =>
        {
            var barred = barredPick < row.Length ? barredPick : -1;
            var expected = -1;
            for (var i = 0; i < row.Length; i++)
                if (i != barred && (expected < 0 || row[i] > row[expected])) expected = i;
            return LogitMath.ArgMax(row, barred) == expected;
        });
    }

    [Property(MaxTest = 300)]
    public Property LogSumExp_matches_the_direct_sum()
    {
        return Prop.ForAll(Rows(), row =>
        {
            var max = LogitMath.Max(row, -1);
            var direct = Math.Log(row.Sum(x => Math.Exp(x)));
            var withoutFirst = Math.Log(row.Skip(1).Sum(x => Math.Exp(x)));
            return Math.Abs(LogitMath.LogSumExp(row, max, -1) - direct) < 1e-5
                   && Math.Abs(LogitMath.LogSumExp(row, LogitMath.Max(row, 0), 0) - withoutFirst) < 1e-5;
        });
    }
}
