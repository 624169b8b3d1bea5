namespace AyaQC.Filtering;

/// <summary>
/// Platt scaling (Platt 1999; Lin, Lin & Weng 2007's Newton method with target smoothing): p = 1 / (1 + exp(A·s + B))
/// fitted on held-out scores, so probabilities from trees (which overfit their own training rows) are honest.
/// </summary>
public sealed record PlattCalibration(double A, double B)
{
    public double Probability(double score)
    {
        var z = A * score + B;
        return z >= 0 ? Math.Exp(-z) / (1 + Math.Exp(-z)) : 1 / (1 + Math.Exp(z));
    }

    public static PlattCalibration Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> good)
    {
        int nPos = good.Count(g => g), nNeg = good.Count - nPos;
        double hiTarget = (nPos + 1.0) / (nPos + 2.0), loTarget = 1 / (nNeg + 2.0);
        var t = good.Select(g => g ? hiTarget : loTarget).ToArray();
        double a = 0, b = Math.Log((nNeg + 1.0) / (nPos + 1.0));
        const double minStep = 1e-10, sigma = 1e-12;
        double F(double aa, double bb)
        {
            double f = 0;
            for (var i = 0; i < t.Length; i++)
            {
                var z = scores[i] * aa + bb;
                f += z >= 0 ? t[i] * z + Math.Log(1 + Math.Exp(-z)) : (t[i] - 1) * z + Math.Log(1 + Math.Exp(z));
            }
            return f;
        }
        var fval = F(a, b);
        for (var iter = 0; iter < 100; iter++)
        {
            double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < t.Length; i++)
            {
                var z = scores[i] * a + b;
                double p, q;
                if (z >= 0) { p = Math.Exp(-z) / (1 + Math.Exp(-z)); q = 1 / (1 + Math.Exp(-z)); }
                else { p = 1 / (1 + Math.Exp(z)); q = Math.Exp(z) / (1 + Math.Exp(z)); }
                var d2 = p * q;
                h11 += scores[i] * scores[i] * d2;
                h22 += d2;
                h21 += scores[i] * d2;
                var d1 = t[i] - p;
                g1 += scores[i] * d1;
                g2 += d1;
            }
            if (Math.Abs(g1) < 1e-5 && Math.Abs(g2) < 1e-5) break;
            var det = h11 * h22 - h21 * h21;
            var dA = -(h22 * g1 - h21 * g2) / det;
            var dB = -(-h21 * g1 + h11 * g2) / det;
            var gd = g1 * dA + g2 * dB;
            var step = 1.0;
            while (step >= minStep)
            {
                double na = a + step * dA, nb = b + step * dB, nf = F(na, nb);
                if (nf < fval + 1e-4 * step * gd) { a = na; b = nb; fval = nf; break; }
                step /= 2;
            }
            if (step < minStep) break;
        }
        return new PlattCalibration(a, b);
    }
}
