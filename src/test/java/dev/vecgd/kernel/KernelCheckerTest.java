package dev.vecgd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tests of the test tooling: the double-double oracle agrees with exact BigDecimal arithmetic, the
 * scalar reference passes the checker, and deliberately broken kernels ({@link Mutant}) fail it,
 * so the tolerances are tight enough to catch real bugs.
 */
class KernelCheckerTest {

    /** Cases a mutant is run on; each mutant must fail at least one. */
    private static final List<KernelCase> PROBE_CASES = List.of(
            new KernelCase(Layout.ROW_MAJOR, 103, 9, KernelCase.YMode.SEPARATE, true, 1),
            new KernelCase(Layout.COLUMN_MAJOR, 103, 9, KernelCase.YMode.SEPARATE, true, 2),
            new KernelCase(Layout.ROW_MAJOR, 17, 33, KernelCase.YMode.X_COLUMN, false, 3),
            new KernelCase(Layout.COLUMN_MAJOR, 1000, 3, KernelCase.YMode.X_COLUMN, false, 5));

    @Test
    void oracleDotMatchesBigDecimal() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int trial = 0; trial < 200; trial++) {
            int len = 1 + rnd.nextInt(300);
            Oracle.Acc acc = new Oracle.Acc();
            BigDecimal exact = BigDecimal.ZERO;
            double absSum = 0;
            for (int k = 0; k < len; k++) {
                // Wide exponent range and cancellation: the hard case for a naive sum.
                double a = (2 * rnd.nextDouble() - 1) * Math.scalb(1.0, rnd.nextInt(-30, 31));
                double b = (2 * rnd.nextDouble() - 1) * Math.scalb(1.0, rnd.nextInt(-30, 31));
                acc.addProduct(a, b);
                exact = exact.add(new BigDecimal(a).multiply(new BigDecimal(b)));
                absSum += Math.abs(a * b);
            }
            BigDecimal got = new BigDecimal(acc.hi()).add(new BigDecimal(acc.lo()));
            double err = got.subtract(exact).abs().doubleValue();
            // Dot2: |error| <= u·|s| (from hi alone; hi + lo is much better) + γ_n²·Σ|terms|.
            double bound = Oracle.U * Oracle.U * Math.abs(exact.doubleValue()) * 4
                    + Math.pow(len * Oracle.U, 2) * 2 * absSum;
            assertTrue(err <= bound, "trial " + trial + ": oracle error " + err + " > " + bound
                    + " (exact " + exact.round(MathContext.DECIMAL64) + ")");
            double hiErr = new BigDecimal(acc.hi()).subtract(exact).abs().doubleValue();
            assertTrue(hiErr <= Oracle.U * Math.abs(exact.doubleValue()) + bound, "hi is the rounded sum");
        }
    }

    @Test
    void scalarReferencePassesTheChecker() {
        for (KernelCase c : PROBE_CASES) {
            assertEquals(KernelChecker.CALLS_PER_CASE, KernelChecker.check(ScalarKernels.INSTANCE, c));
        }
    }

    @ParameterizedTest
    @EnumSource(Mutant.Kind.class)
    void brokenKernelFailsTheChecker(Mutant.Kind kind) {
        Mutant mutant = new Mutant(kind);
        List<String> failures = new ArrayList<>();
        for (KernelCase c : PROBE_CASES) {
            try {
                KernelChecker.check(mutant, c);
            } catch (AssertionError expected) {
                failures.add(expected.getMessage());
            }
        }
        assertTrue(!failures.isEmpty(), "the checker accepted the broken kernel " + kind);
    }

    @Test
    void nearAcceptsWithinAndRejectsBeyondTheTolerance() {
        // near() must accept the exact value and reject a value just outside the tolerance.
        KernelChecker.near("t", "v", 1.0, 1.0, 1.0, 0.0, 0.0);
        double tol = 1e-12;
        KernelChecker.near("t", "v", 1.0 + tol / 2, 1.0, 1.0, 0.0, tol);
        try {
            KernelChecker.near("t", "v", 1.0 + 4 * tol, 1.0, 1.0, 0.0, tol);
        } catch (AssertionError expected) {
            return;
        }
        throw new AssertionError("a value 4·tol away was accepted");
    }

    /** ScalarKernels with one deliberate bug. */
    static final class Mutant implements KernelImpl {

        enum Kind {
            /** Off-by-one tail: the last row of the range is skipped. */
            DROPS_LAST_ROW,
            /** The last coefficient is ignored in the dot product. */
            DROPS_LAST_COLUMN,
            /** g is cleared instead of added to. */
            OVERWRITES_G,
            /** The fused kernels forget g[n] += Σr. */
            NO_INTERCEPT_GRADIENT,
            /** y is read with stride 1 whatever yInc is. */
            IGNORES_Y_STRIDE,
            /** One element past the range of r is written. */
            WRITES_PAST_RANGE,
            /** Results carry a relative error of 2^-30 (about 1e-9): "almost right". */
            PERTURBED_RESULTS,
            /** Residuals rounded to float, as a single-precision kernel would. */
            FLOAT_RESIDUALS
        }

        private final Kind kind;
        private final KernelImpl s = ScalarKernels.INSTANCE;

        Mutant(Kind kind) {
            this.kind = kind;
        }

        @Override
        public String name() {
            return "mutant " + kind;
        }

        @Override
        public int vectorBits() {
            return 64;
        }

        private int to(int from, int to) {
            return kind == Kind.DROPS_LAST_ROW && to > from ? to - 1 : to;
        }

        private int n(int n) {
            return kind == Kind.DROPS_LAST_COLUMN && n > 0 ? n - 1 : n;
        }

        private int yInc(int yInc) {
            return kind == Kind.IGNORES_Y_STRIDE ? 1 : yInc;
        }

        private double result(double v) {
            return kind == Kind.PERTURBED_RESULTS ? v * (1 + 0x1p-30) : v;
        }

        @Override
        public void standardizeRowsToColumns(double[] x, int xOff, int ldx, int rows, int n, double[] mean,
                                             double[] scale, double[] out, int ldo) {
            s.standardizeRowsToColumns(x, xOff, ldx, to(0, rows), n(n), mean, scale, out, ldo);
        }

        @Override
        public void crossProductsAdd(double[] a, int lda, int k, int cnt, double[] v, double[] c, double[] d) {
            if (kind == Kind.OVERWRITES_G) {
                java.util.Arrays.fill(c, 0, k * k, 0.0);
                java.util.Arrays.fill(d, 0, k, 0.0);
            }
            double[] c0 = c.clone();
            double[] d0 = d.clone();
            s.crossProductsAdd(a, lda, n(k), to(0, cnt), v, c, d);
            for (int i = 0; i < k * k; i++) c[i] = c0[i] + result(c[i] - c0[i]);
            for (int i = 0; i < k; i++) d[i] = d0[i] + result(d[i] - d0[i]);
        }

        private void clear(double[] g, int count) {
            if (kind == Kind.OVERWRITES_G) java.util.Arrays.fill(g, 0, count, 0.0);
        }

        private void after(double[] r, int rOff, int from, int to, double[] g, int n, double gnBefore) {
            if (r != null && kind == Kind.WRITES_PAST_RANGE && rOff + to < r.length) r[rOff + to] = 0;
            if (r != null && kind == Kind.FLOAT_RESIDUALS) {
                for (int i = from; i < to; i++) r[rOff + i] = (float) r[rOff + i];
            }
            if (g != null && kind == Kind.NO_INTERCEPT_GRADIENT) g[n] = gnBefore;
        }

        @Override
        public double residualsRow(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                                   double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
            double v = s.residualsRow(x, xOff, ldx, n(n), theta, b, y, yOff, yInc(yInc), r, rOff, from, to(from, to));
            after(r, rOff, from, to, null, n, 0);
            return result(v);
        }

        @Override
        public double residualsCol(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                                   double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
            double v = s.residualsCol(x, xOff, ldx, n(n), theta, b, y, yOff, yInc(yInc), r, rOff, from, to(from, to));
            after(r, rOff, from, to, null, n, 0);
            return result(v);
        }

        @Override
        public double gradientAddRow(double[] x, int xOff, int ldx, int n, double[] r, int rOff, double[] g,
                                     int from, int to) {
            clear(g, n);
            return result(s.gradientAddRow(x, xOff, ldx, n, r, rOff, g, from, to(from, to)));
        }

        @Override
        public double gradientAddCol(double[] x, int xOff, int ldx, int n, double[] r, int rOff, double[] g,
                                     int from, int to) {
            clear(g, n);
            return result(s.gradientAddCol(x, xOff, ldx, n, r, rOff, g, from, to(from, to)));
        }

        @Override
        public double fusedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                               int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
            double gn = g[n];
            clear(g, n + 1);
            double v = s.fusedRow(x, xOff, ldx, n, theta, b, y, yOff, yInc(yInc), r, rOff, g, from, to(from, to));
            after(r, rOff, from, to, g, n, gn);
            return result(v);
        }

        @Override
        public double fusedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                               int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
            double gn = g[n];
            clear(g, n + 1);
            double v = s.fusedCol(x, xOff, ldx, n, theta, b, y, yOff, yInc(yInc), r, rOff, g, from, to(from, to));
            after(r, rOff, from, to, g, n, gn);
            return result(v);
        }

        @Override
        public double fusedWeightedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                       int yOff, int yInc, double[] w, int wOff, double[] r, int rOff, double[] g,
                                       int from, int to) {
            return s.fusedWeightedRow(x, xOff, ldx, n, theta, b, y, yOff, yInc, w, wOff, r, rOff, g, from, to);
        }

        @Override
        public double fusedWeightedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                       int yOff, int yInc, double[] w, int wOff, double[] r, int rOff, double[] g,
                                       int from, int to) {
            return s.fusedWeightedCol(x, xOff, ldx, n, theta, b, y, yOff, yInc, w, wOff, r, rOff, g, from, to);
        }
    }
}
