using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AyaQC.Translation.Decoding;

/// <summary>Per-row reductions over logits. NLLB rows have 256,206 entries and a batch has up to rows×beams of them
/// per step, so these are vectorised: they are the main host-side cost of a decoding step.</summary>
internal static class LogitMath
{
    /// <summary>Index of the largest logit, skipping <paramref name="barred"/> (−1 for none); the first on ties.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot vector loops: skip tier-0 code
    public static int ArgMax(ReadOnlySpan<float> row, int barred)
    {
        var max = Max(row, barred);
        var i = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(row);
            var target = new Vector<float>(max);
            var v = 0;
            while (v < vectors.Length && !Vector.EqualsAny(vectors[v], target)) v++;
            i = v * Vector<float>.Count;
        }
        for (; i < row.Length; i++)
            if (row[i] == max && i != barred) return i;
        return 0;
    }

    /// <summary>Largest logit, skipping <paramref name="barred"/>.</summary>
    public static float Max(ReadOnlySpan<float> row, int barred)
    {
        if (barred < 0) return Max(row);
        var left = barred > 0 ? Max(row[..barred]) : float.NegativeInfinity;
        var right = barred + 1 < row.Length ? Max(row[(barred + 1)..]) : float.NegativeInfinity;
        return Math.Max(left, right);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static float Max(ReadOnlySpan<float> row)
    {
        var best = float.NegativeInfinity;
        var i = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= 2 * Vector<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(row);
            var acc = vectors[0];
            for (var v = 1; v < vectors.Length; v++) acc = Vector.Max(acc, vectors[v]);
            for (var lane = 0; lane < Vector<float>.Count; lane++) if (acc[lane] > best) best = acc[lane];
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < row.Length; i++) if (row[i] > best) best = row[i];
        return best;
    }

    /// <summary>log Σ exp(logit), skipping <paramref name="barred"/>, given the row's max.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogSumExp(ReadOnlySpan<float> row, float max, int barred)
    {
        double sum = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(row);
            var shift = new Vector<float>(max);
            for (var v = 0; v < vectors.Length; v += 64) // float lanes for a block, double across blocks
            {
                var acc = Vector<float>.Zero;
                var end = Math.Min(vectors.Length, v + 64);
                for (var k = v; k < end; k++) acc += Vector.Exp(vectors[k] - shift);
                sum += Vector.Sum(acc);
            }
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < row.Length; i++) sum += Math.Exp(row[i] - max);
        if (barred >= 0) sum -= Math.Exp(row[barred] - max);
        return max + Math.Log(sum);
    }
}
