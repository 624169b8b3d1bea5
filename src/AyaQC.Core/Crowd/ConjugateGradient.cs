namespace AyaQC.Core.Crowd;

/// <summary>Objective for minimisation: returns f(x) and writes ∇f(x) into <c>gradient</c>.</summary>
internal delegate double Objective(double[] x, double[] gradient);

/// <summary>
/// Nonlinear conjugate gradient (Polak–Ribière+, restarts on loss of descent) with a strong-Wolfe line search
/// (Nocedal &amp; Wright, Numerical Optimization, 2nd ed., algorithms 3.5–3.6). Stopping as scipy's CG, which
/// crowd-kit's GLAD uses: max-norm of the gradient below <see cref="GradientTolerance"/> or
/// <see cref="MaxIterations"/> line searches.
/// </summary>
internal sealed class ConjugateGradient
{
    public int MaxIterations { get; init; } = 25;
    public double GradientTolerance { get; init; } = 1e-2;
    const double C1 = 1e-4, C2 = 0.4; // scipy's CG uses c2 = 0.4

    public int Evaluations { get; private set; }

    /// <summary>Minimises from <paramref name="x"/> in place; returns the final objective value.</summary>
    public double Minimize(Objective objective, double[] x)
    {
        var n = x.Length;
        var g = new double[n];
        var gNew = new double[n];
        var p = new double[n];
        var trial = new double[n];
        Evaluations = 1;
        var f = objective(x, g);
        var previousF = f + Norm2(g) / 2; // scipy's first-step guess
        for (var i = 0; i < n; i++) p[i] = -g[i];
        for (var iteration = 0; iteration < MaxIterations && MaxAbs(g) > GradientTolerance; iteration++)
        {
            var slope = Dot(g, p);
            if (slope >= 0) { for (var i = 0; i < n; i++) p[i] = -g[i]; slope = -Dot(g, g); }
            var step = 1.0;
            if (slope != 0) step = Math.Min(1.0, 1.01 * 2 * (f - previousF) / slope);
            if (!(step > 0) || double.IsNaN(step)) step = 1.0;

            var (ok, fNew) = LineSearch(objective, x, p, f, slope, step, trial, gNew);
            if (!ok) break;
            Array.Copy(trial, x, n);
            var gg = Dot(g, g);
            var beta = 0.0;
            for (var i = 0; i < n; i++) beta += (gNew[i] - g[i]) * gNew[i];
            beta = Math.Max(0, beta / gg);
            for (var i = 0; i < n; i++) p[i] = -gNew[i] + beta * p[i];
            if (Dot(gNew, p) > -0.01 * Dot(gNew, gNew)) for (var i = 0; i < n; i++) p[i] = -gNew[i];
            (g, gNew) = (gNew, g);
            previousF = f;
            f = fNew;
        }
        return f;
    }

    /// <summary>Finds a step satisfying the strong Wolfe conditions; on success trial/gradient hold the new point.</summary>
    (bool Ok, double F) LineSearch(Objective objective, double[] x, double[] p, double f0, double slope0,
        double step, double[] trial, double[] gradient)
    {
        double Phi(double a, out double dphi)
        {
            for (var i = 0; i < x.Length; i++) trial[i] = x[i] + a * p[i];
            Evaluations++;
            var value = objective(trial, gradient);
            dphi = Dot(gradient, p);
            return value;
        }

        double aPrev = 0, fPrev = f0, dPrev = slope0;
        var a = step;
        for (var i = 0; i < 30; i++)
        {
            var fa = Phi(a, out var da);
            if (double.IsNaN(fa) || fa > f0 + C1 * a * slope0 || (i > 0 && fa >= fPrev))
                return Zoom(aPrev, fPrev, dPrev, a, fa, da);
            if (Math.Abs(da) <= -C2 * slope0) return (true, fa);
            if (da >= 0) return Zoom(a, fa, da, aPrev, fPrev, dPrev);
            aPrev = a; fPrev = fa; dPrev = da;
            a *= 2;
        }
        return (false, f0);

        (bool, double) Zoom(double lo, double fLo, double dLo, double hi, double fHi, double dHi)
        {
            for (var j = 0; j < 30; j++)
            {
                var aj = CubicMinimum(lo, fLo, dLo, hi, fHi, dHi);
                var width = Math.Abs(hi - lo);
                if (double.IsNaN(aj) || Math.Abs(aj - lo) < 0.1 * width || Math.Abs(aj - hi) < 0.1 * width)
                    aj = lo + 0.5 * (hi - lo);
                var fj = Phi(aj, out var dj);
                if (double.IsNaN(fj) || fj > f0 + C1 * aj * slope0 || fj >= fLo)
                {
                    hi = aj; fHi = fj; dHi = dj;
                }
                else
                {
                    if (Math.Abs(dj) <= -C2 * slope0) return (true, fj);
                    if (dj * (hi - lo) >= 0) { hi = lo; fHi = fLo; dHi = dLo; }
                    lo = aj; fLo = fj; dLo = dj;
                }
                if (width < 1e-14) break;
            }
            // No Wolfe point found: accept the best point with sufficient decrease, if any.
            if (lo > 0 && fLo < f0) return (true, Phi(lo, out _));
            return (false, f0);
        }
    }

    /// <summary>Minimiser of the cubic through (a, fa, da) and (b, fb, db); NaN if it does not exist.</summary>
    static double CubicMinimum(double a, double fa, double da, double b, double fb, double db)
    {
        if (double.IsNaN(fb) || double.IsInfinity(fb)) return double.NaN;
        var d1 = da + db - 3 * (fa - fb) / (a - b);
        var radicand = d1 * d1 - da * db;
        if (radicand < 0) return double.NaN;
        var d2 = Math.Sign(b - a) * Math.Sqrt(radicand);
        return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
    }

    static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    static double Norm2(double[] a) => Math.Sqrt(Dot(a, a));

    static double MaxAbs(double[] a)
    {
        var m = 0.0;
        foreach (var v in a) m = Math.Max(m, Math.Abs(v));
        return m;
    }
}
