package dev.vecgd.kernel;

import java.util.Arrays;

/**
 * Runs every {@link KernelImpl} method on one {@link KernelCase} and checks each result against
 * (a) {@link ScalarKernels} and (b) the double-double {@link Oracle}. Throws {@link AssertionError}
 * naming the method, the case and the element on the first mismatch.
 *
 * <p><b>Tolerances.</b> A sum of k rounded terms, in any order and with or without FMA, is within
 * {@code γ_k·Σ|terms|} of the exact sum ({@code γ_k ≈ k·u}, Higham, <i>Accuracy and Stability of
 * Numerical Algorithms</i>, §3.1 and §4.2). Each bound below is that, times {@link #TOL_FACTOR}:
 * <ul>
 *   <li>residual / prediction of row i: {@code k = n + 2}, terms {@code x_ij·θ_j, b, y_i};</li>
 *   <li>{@code g_j} from given residuals: {@code k = m + 2}, terms {@code g0_j} and {@code r_i·x_ij};</li>
 *   <li>fused {@code g_j}: the same plus {@code Σ e_i·|x_ij|}, where {@code e_i} is the bound on the
 *       kernel's own residual (it multiplies its rounded residual, not the exact one);</li>
 *   <li>{@code Σ r_i²}: {@code Σ(2|r_i|e_i + e_i²)} for the residual errors plus
 *       {@code (m+1)·u·Σ(|r_i|+e_i)²} for the sum.</li>
 * </ul>
 * The distance to the scalar reference may be twice the bound (both are within it of the exact value).
 */
final class KernelChecker {

    /** Safety factor over the first-order error bound {@code k·u·Σ|terms|}. */
    static final double TOL_FACTOR = 2.0;

    /** Number of KernelImpl calls whose results {@link #check} verifies per case. */
    static final int CALLS_PER_CASE = 6;

    /** Guard slots around every output range; they must keep their bits. */
    static final int GUARD = 3;

    /** The guard value: a NaN with a payload no arithmetic produces. */
    static final double SENTINEL = Double.longBitsToDouble(0x7ff8_0bad_cafe_0001L);

    private static final double U = Oracle.U;

    private KernelChecker() {
    }

    /** Checks all methods of impl on c; returns the number of kernel calls checked. */
    static int check(KernelImpl impl, KernelCase c) {
        KernelCase.Data d = new KernelCase.Data(c);
        Expected e = new Expected(d);
        double[] xCopy = d.x.clone();
        double[] yCopy = d.yArr.clone();
        double[] thetaCopy = d.theta.clone();
        KernelImpl ref = ScalarKernels.INSTANCE;
        String where = impl.name() + ", " + c;
        int m = c.m();
        int n = c.n();
        int calls = 0;

        // 1. residuals, stored, y present.
        {
            Out a = residualsOut(d, impl, true);
            Out s = residualsOut(d, ref, true);
            for (int k = 0; k < m; k++) {
                near(where, "residuals r[" + (d.from + k) + "]", a.r[k], s.r[k], e.rHi[k], e.rLo[k], e.rTol[k]);
            }
            near(where, "residuals Σr²", a.ret, s.ret, e.ssHi, e.ssLo, e.ssTol);
            double again = residualsOut(d, impl, true).ret;
            if (Double.doubleToRawLongBits(again) != Double.doubleToRawLongBits(a.ret)) {
                throw new AssertionError(where + ": residuals is not deterministic: " + a.ret + " then " + again);
            }
            calls++;
        }
        // 2. residuals, loss only (r == null).
        {
            double a = d.residuals(impl, true, null, 0);
            double s = d.residuals(ref, true, null, 0);
            near(where, "residuals(r=null) Σr²", a, s, e.ssHi, e.ssLo, e.ssTol);
            calls++;
        }
        // 3. prediction (y == null).
        {
            Out a = residualsOut(d, impl, false);
            Out s = residualsOut(d, ref, false);
            for (int k = 0; k < m; k++) {
                near(where, "predict p[" + (d.from + k) + "]", a.r[k], s.r[k], e.pHi[k], e.pLo[k], e.pTol[k]);
            }
            near(where, "predict Σp²", a.ret, s.ret, e.psHi, e.psLo, e.psTol);
            calls++;
        }
        // 4. gradientAdd from given residuals, into a pre-filled g.
        {
            double[] rIn = new double[m + 2 * GUARD];
            Arrays.fill(rIn, Double.NaN);
            System.arraycopy(e.rIn, 0, rIn, GUARD, m);
            int rOff = GUARD - d.from;
            double[] rInCopy = rIn.clone();
            double[] ga = gradientBuffer(e.g0, n, 1);
            double[] gs = gradientBuffer(e.g0, n, 1);
            double a = d.gradientAdd(impl, rIn, rOff, ga);
            double s = d.gradientAdd(ref, rIn, rOff, gs);
            for (int j = 0; j < n; j++) {
                near(where, "gradientAdd g[" + j + "]", ga[j], gs[j], e.gHi[j], e.gLo[j], e.gTol[j]);
            }
            sentinel(where, "gradientAdd g[n] (past the n columns)", ga[n]);
            near(where, "gradientAdd Σr", a, s, e.sumRInHi, e.sumRInLo, e.sumRInTol);
            unchanged(where, "gradientAdd: r", rIn, rInCopy);
            calls++;
        }
        // 5. fused, residuals stored.
        {
            double[] ra = residualBuffer(d, m);
            double[] rs = residualBuffer(d, m);
            int rOff = rOffset(d);
            double[] ga = gradientBuffer(e.g0, n, 2);
            double[] gs = gradientBuffer(e.g0, n, 2);
            double a = d.fused(impl, ra, rOff, ga);
            double s = d.fused(ref, rs, rOff, gs);
            int base = rOff + d.from;
            for (int k = 0; k < m; k++) {
                near(where, "fused r[" + (d.from + k) + "]", ra[base + k], rs[base + k], e.rHi[k], e.rLo[k], e.rTol[k]);
            }
            guards(where, "fused r", ra, base, m);
            checkFusedGradient(where, "fused", ga, gs, e, n);
            near(where, "fused Σr²", a, s, e.ssHi, e.ssLo, e.ssTol);
            calls++;
        }
        // 6. fused, residuals not stored.
        {
            double[] ga = gradientBuffer(e.g0, n, 2);
            double[] gs = gradientBuffer(e.g0, n, 2);
            double a = d.fused(impl, null, 0, ga);
            double s = d.fused(ref, null, 0, gs);
            checkFusedGradient(where, "fused(r=null)", ga, gs, e, n);
            near(where, "fused(r=null) Σr²", a, s, e.ssHi, e.ssLo, e.ssTol);
            calls++;
        }
        unchanged(where, "x (the matrix array)", d.x, xCopy);
        unchanged(where, "y", d.yArr, yCopy);
        unchanged(where, "theta", d.theta, thetaCopy);
        return calls;
    }

    private static void checkFusedGradient(String where, String what, double[] ga, double[] gs, Expected e, int n) {
        for (int j = 0; j < n; j++) {
            near(where, what + " g[" + j + "]", ga[j], gs[j], e.fgHi[j], e.fgLo[j], e.fgTol[j]);
        }
        near(where, what + " g[n] (Σr)", ga[n], gs[n], e.fgHi[n], e.fgLo[n], e.fgTol[n]);
        sentinel(where, what + " g[n+1] (past the intercept slot)", ga[n + 1]);
    }

    /** Output of a residuals call: the range's values and the return value; guards checked. */
    private record Out(double[] r, double ret) {
    }

    private static Out residualsOut(KernelCase.Data d, KernelImpl k, boolean withY) {
        int m = d.c.m();
        double[] r = residualBuffer(d, m);
        int rOff = rOffset(d);
        double ret = d.residuals(k, withY, r, rOff);
        int base = rOff + d.from;
        guards(k.name() + ", " + d.c, withY ? "residuals r" : "predict out", r, base, m);
        return new Out(Arrays.copyOfRange(r, base, base + m), ret);
    }

    /**
     * All rows: r has the range at rOff = 0 and guards after it only. Sub-range: a buffer that holds
     * just the range (plus guards), addressed with rOff = GUARD − from, i.e. the "rOff = −from" style.
     */
    private static double[] residualBuffer(KernelCase.Data d, int m) {
        double[] r = new double[rOffset(d) + d.from + m + GUARD];
        Arrays.fill(r, SENTINEL);
        return r;
    }

    private static int rOffset(KernelCase.Data d) {
        return d.c.sub() ? GUARD - d.from : 0;
    }

    private static double[] gradientBuffer(double[] g0, int n, int extra) {
        double[] g = new double[n + extra];
        System.arraycopy(g0, 0, g, 0, n + extra - 1);
        g[n + extra - 1] = SENTINEL;
        return g;
    }

    private static void guards(String where, String what, double[] r, int base, int m) {
        for (int i = 0; i < r.length; i++) {
            if ((i < base || i >= base + m) && Double.doubleToRawLongBits(r[i]) != Double.doubleToRawLongBits(SENTINEL)) {
                throw new AssertionError(where + ": " + what + " wrote index " + i + " outside its range ["
                        + base + ", " + (base + m) + "): " + r[i]);
            }
        }
    }

    private static void sentinel(String where, String what, double v) {
        if (Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(SENTINEL)) {
            throw new AssertionError(where + ": " + what + " was written: " + v);
        }
    }

    private static void unchanged(String where, String what, double[] now, double[] before) {
        if (!Arrays.equals(now, before)) {
            throw new AssertionError(where + ": " + what + " was modified (index "
                    + Arrays.mismatch(now, before) + ")");
        }
    }

    /**
     * |actual − exact| ≤ tol and |actual − scalar| ≤ 2·tol, with exact = hi + lo. NaN anywhere fails.
     */
    static void near(String where, String what, double actual, double scalar, double hi, double lo, double tol) {
        double errExact = Math.abs(Oracle.diff(actual, hi, lo));
        double errRef = Math.abs(actual - scalar);
        if (!(errExact <= tol) || !(errRef <= 2 * tol)) {
            throw new AssertionError(where + ": " + what + " = " + actual + ", exact " + (hi + lo)
                    + " (error " + errExact + "), scalar reference " + scalar + " (difference " + errRef
                    + "), tolerance " + tol);
        }
    }

    /** The oracle's values and bounds for one case. Arrays over rows are indexed by i − from. */
    static final class Expected {
        final double[] rHi;
        final double[] rLo;
        final double[] rTol;
        final double[] pHi;
        final double[] pLo;
        final double[] pTol;
        final double ssHi;
        final double ssLo;
        final double ssTol;
        final double psHi;
        final double psLo;
        final double psTol;
        /** The residuals fed to gradientAdd: the exact ones rounded to double. */
        final double[] rIn;
        /** Initial gradient (n + 1 values, for the fused g[n] too): non-zero, to prove accumulation. */
        final double[] g0;
        final double[] gHi;
        final double[] gLo;
        final double[] gTol;
        final double sumRInHi;
        final double sumRInLo;
        final double sumRInTol;
        final double[] fgHi;
        final double[] fgLo;
        final double[] fgTol;

        Expected(KernelCase.Data d) {
            int m = d.c.m();
            int n = d.c.n();
            rHi = new double[m];
            rLo = new double[m];
            rTol = new double[m];
            pHi = new double[m];
            pLo = new double[m];
            pTol = new double[m];
            rIn = new double[m];
            for (int k = 0; k < m; k++) {
                int i = d.from + k;
                Oracle.Acc acc = new Oracle.Acc();
                double abs = 0;
                for (int j = 0; j < n; j++) {
                    acc.addProduct(d.xAt(i, j), d.theta[j]);
                    abs += Math.abs(d.xAt(i, j) * d.theta[j]);
                }
                acc.add(d.b);
                abs += Math.abs(d.b);
                pHi[k] = acc.hi();
                pLo[k] = acc.lo();
                pTol[k] = TOL_FACTOR * (n + 1) * U * abs;
                double y = d.yAt(i);
                acc.add(-y);
                abs += Math.abs(y);
                rHi[k] = acc.hi();
                rLo[k] = acc.lo();
                rTol[k] = TOL_FACTOR * (n + 2) * U * abs;
                rIn[k] = rHi[k];
            }
            double[] ss = sumOfSquares(rHi, rLo, rTol);
            ssHi = ss[0];
            ssLo = ss[1];
            ssTol = ss[2];
            double[] ps = sumOfSquares(pHi, pLo, pTol);
            psHi = ps[0];
            psLo = ps[1];
            psTol = ps[2];

            SplittableRandom01 rnd = new SplittableRandom01(d.c.seed() ^ 0x5DEECE66DL);
            g0 = new double[n + 1];
            for (int j = 0; j <= n; j++) {
                g0[j] = rnd.signed() * 10;
            }
            // gradientAdd from rIn.
            gHi = new double[n];
            gLo = new double[n];
            gTol = new double[n];
            for (int j = 0; j < n; j++) {
                Oracle.Acc acc = new Oracle.Acc(g0[j]);
                double abs = Math.abs(g0[j]);
                for (int k = 0; k < m; k++) {
                    double xv = d.xAt(d.from + k, j);
                    acc.addProduct(rIn[k], xv);
                    abs += Math.abs(rIn[k] * xv);
                }
                gHi[j] = acc.hi();
                gLo[j] = acc.lo();
                gTol[j] = TOL_FACTOR * (m + 2) * U * abs;
            }
            Oracle.Acc sum = new Oracle.Acc();
            double sumAbs = 0;
            for (int k = 0; k < m; k++) {
                sum.add(rIn[k]);
                sumAbs += Math.abs(rIn[k]);
            }
            sumRInHi = sum.hi();
            sumRInLo = sum.lo();
            sumRInTol = TOL_FACTOR * (m + 1) * U * sumAbs;
            // Fused: the kernel multiplies its own rounded residual r̂_i, |r̂_i − r_i| ≤ rTol[i].
            fgHi = new double[n + 1];
            fgLo = new double[n + 1];
            fgTol = new double[n + 1];
            for (int j = 0; j <= n; j++) {
                Oracle.Acc acc = new Oracle.Acc(g0[j]);
                double abs = Math.abs(g0[j]);
                double propagated = 0;
                for (int k = 0; k < m; k++) {
                    double xv = j < n ? d.xAt(d.from + k, j) : 1.0;
                    acc.addProduct(rHi[k], rLo[k], xv);
                    abs += (Math.abs(rHi[k]) + rTol[k]) * Math.abs(xv);
                    propagated += rTol[k] * Math.abs(xv);
                }
                fgHi[j] = acc.hi();
                fgLo[j] = acc.lo();
                fgTol[j] = TOL_FACTOR * (m + 2) * U * abs + propagated;
            }
        }

        /** {hi, lo, tol} of Σ r_i² for residuals known to within tol_i. */
        private static double[] sumOfSquares(double[] hi, double[] lo, double[] tol) {
            Oracle.Acc acc = new Oracle.Acc();
            double propagated = 0;
            double squares = 0;
            for (int k = 0; k < hi.length; k++) {
                acc.addProduct(hi[k], lo[k], hi[k]);
                acc.addProduct(hi[k], lo[k]);
                double a = Math.abs(hi[k]);
                propagated += 2 * a * tol[k] + tol[k] * tol[k];
                squares += (a + tol[k]) * (a + tol[k]);
            }
            // (hi + lo)² = hi·hi + 2·hi·lo + lo²; the lo² term is far below the tolerance.
            return new double[] {acc.hi(), acc.lo(), propagated + TOL_FACTOR * (hi.length + 1) * U * squares};
        }
    }

    /** A seeded source of values in [−1, 1). */
    private static final class SplittableRandom01 {
        private final java.util.SplittableRandom rnd;

        SplittableRandom01(long seed) {
            rnd = new java.util.SplittableRandom(seed);
        }

        double signed() {
            double v = 2 * rnd.nextDouble() - 1;
            return v == 0 ? 0.5 : v;
        }
    }
}
