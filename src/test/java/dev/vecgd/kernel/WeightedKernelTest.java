package dev.vecgd.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The weighted fused kernels ({@link KernelImpl#fusedWeightedRow}, {@link KernelImpl#fusedWeightedCol}) of every
 * implementation of this JVM, on the shape sweep of {@link KernelImplementationsTest} (both layouts, offsets, strided
 * and in-X targets, sub-ranges, NaN everywhere outside the view — weights included), against the double-double
 * {@link Oracle} within the first-order error bound (the reasoning of {@link KernelChecker}) and against
 * {@link ScalarKernels} within twice that; weights in [0, 3) with exact zeros. The pom runs it again at 256 and 128
 * bits.
 */
class WeightedKernelTest {

    private static final double U = Oracle.U;
    private static final double TOL = KernelChecker.TOL_FACTOR;
    private static final AtomicInteger RUN = new AtomicInteger();

    static Stream<Arguments> sweep() {
        return KernelImplementationsTest.SWEPT.stream().flatMap(impl -> KernelImplementationsTest.cases(impl).stream()
                .map(c -> Arguments.of(impl.name(), impl, c)));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("sweep")
    void weightedFusedMatchesOracleAndScalar(String name, KernelImpl impl, KernelCase c) {
        KernelCase.Data d = new KernelCase.Data(c);
        int m = c.m();
        int n = c.n();
        SplittableRandom rnd = new SplittableRandom(c.seed() ^ 0x5eedL);
        int wOff = 2 + (int) Long.remainderUnsigned(c.seed(), 3);
        double[] w = new double[wOff + d.rowsTotal + 2];
        java.util.Arrays.fill(w, Double.NaN);
        for (int i = d.from; i < d.to; i++) w[wOff + i] = rnd.nextDouble() < 0.15 ? 0 : 3 * rnd.nextDouble();
        double[] g0 = new double[n + 1];
        for (int j = 0; j <= n; j++) g0[j] = rnd.nextDouble() - 0.5;

        // the oracle: exact residuals (double-double), then the weighted sums
        double[] rHi = new double[m];
        double[] rTol = new double[m];
        Oracle.Acc ss = new Oracle.Acc();
        double ssBound = 0;
        Oracle.Acc[] gAcc = new Oracle.Acc[n + 1];
        double[] gAbs = new double[n + 1];
        double[] gErr = new double[n + 1];
        for (int j = 0; j <= n; j++) {
            gAcc[j] = new Oracle.Acc(g0[j]);
            gAbs[j] = Math.abs(g0[j]);
        }
        for (int k = 0; k < m; k++) {
            int i = d.from + k;
            Oracle.Acc acc = new Oracle.Acc();
            double abs = Math.abs(d.b) + Math.abs(d.yAt(i));
            for (int j = 0; j < n; j++) {
                acc.addProduct(d.xAt(i, j), d.theta[j]);
                abs += Math.abs(d.xAt(i, j) * d.theta[j]);
            }
            acc.add(d.b);
            acc.add(-d.yAt(i));
            double hi = acc.hi();
            double lo = acc.lo();
            rHi[k] = hi;
            double e = TOL * (n + 2) * U * abs;
            rTol[k] = e;
            double wi = w[wOff + i];
            Oracle.Acc wr = new Oracle.Acc().addProduct(wi, hi).addProduct(wi, lo);
            double wrHi = wr.hi();
            double wrLo = wr.lo();
            ss.addProduct(wrHi, wrLo, hi);
            ss.addProduct(wrHi, wrLo, lo);
            double big = Math.abs(hi) + e;
            ssBound += wi * (2 * Math.abs(hi) * e + e * e) + TOL * (m + 3) * U * wi * big * big;
            for (int j = 0; j < n; j++) {
                double x = d.xAt(i, j);
                gAcc[j].addProduct(wrHi, wrLo, x);
                gAbs[j] += wi * big * Math.abs(x);
                gErr[j] += wi * e * Math.abs(x);
            }
            gAcc[n].add(wrHi).add(wrLo);
            gAbs[n] += wi * big;
            gErr[n] += wi * e;
        }

        for (boolean store : new boolean[] {true, false}) {
            String where = name + ", " + c + (store ? ", r stored" : ", r not stored");
            double[] got = run(impl, d, w, wOff, g0, store);
            double[] ref = run(ScalarKernels.INSTANCE, d, w, wOff, g0, store);
            near(where + ": Σ w r²", got[0], ref[0], ss.hi(), ss.lo(), ssBound);
            for (int j = 0; j <= n; j++) {
                double bound = gErr[j] + TOL * (m + 3) * U * gAbs[j];
                near(where + ": g[" + j + "]", got[1 + j], ref[1 + j], gAcc[j].hi(), gAcc[j].lo(), bound);
            }
            assertEquals(Double.doubleToRawLongBits(KernelChecker.SENTINEL), Double.doubleToRawLongBits(got[n + 2]),
                    where + ": g past n + 1 must keep its bits");
            if (store) {
                int rOff = 4;
                for (int k = 0; k < m; k++) {
                    double r = got[n + 3 + rOff + d.from + k];
                    assertTrue(Math.abs(r - rHi[k]) <= rTol[k] + 2 * U * Math.abs(rHi[k]), where + ": r[" + k + "]");
                }
                for (int q = 0; q < rOff + d.from; q++) {
                    assertEquals(Double.doubleToRawLongBits(KernelChecker.SENTINEL),
                            Double.doubleToRawLongBits(got[n + 3 + q]), where + ": r before the range");
                }
            }
        }
        RUN.incrementAndGet();
    }

    /** [Σwr², g[0..n], g[n+1] (guard), r array (offset 4, guards)] after one call on a fresh g = g0. */
    private static double[] run(KernelImpl impl, KernelCase.Data d, double[] w, int wOff, double[] g0, boolean store) {
        int n = d.c.n();
        double[] g = java.util.Arrays.copyOf(g0, n + 2);
        g[n + 1] = KernelChecker.SENTINEL;
        int rOff = 4;
        double[] r = store ? new double[rOff + d.to + 3] : null;
        if (r != null) java.util.Arrays.fill(r, KernelChecker.SENTINEL);
        double[] xCopy = d.x.clone();
        double[] wCopy = w.clone();
        double v = d.c.layout() == Layout.ROW_MAJOR
                ? impl.fusedWeightedRow(d.x, d.xOff, d.ld, n, d.theta, d.b, d.yArr, d.yOff, d.yInc, w, wOff, r, rOff, g,
                        d.from, d.to)
                : impl.fusedWeightedCol(d.x, d.xOff, d.ld, n, d.theta, d.b, d.yArr, d.yOff, d.yInc, w, wOff, r, rOff, g,
                        d.from, d.to);
        assertArrayEquals(longs(xCopy), longs(d.x), "X must not be modified");
        assertArrayEquals(longs(wCopy), longs(w), "w must not be modified");
        double[] out = new double[n + 3 + (r == null ? 0 : r.length)];
        out[0] = v;
        System.arraycopy(g, 0, out, 1, n + 2);
        if (r != null) System.arraycopy(r, 0, out, n + 3, r.length);
        return out;
    }

    private static long[] longs(double[] a) {
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Double.doubleToRawLongBits(a[i]);
        return b;
    }

    private static void near(String what, double actual, double scalar, double hi, double lo, double bound) {
        double e = Math.abs(Oracle.diff(actual, hi, lo));
        assertTrue(e <= bound + Double.MIN_NORMAL, what + ": " + actual + " vs oracle " + hi + " (error " + e
                + " > bound " + bound + ")");
        assertTrue(Math.abs(actual - scalar) <= 2 * bound + Double.MIN_NORMAL, what + ": " + actual + " vs scalar " + scalar);
    }

    @Test
    void publicEntryPointChecksItsArguments() {
        Matrix x = Matrix.rowMajor(new double[12], 4, 3);
        StridedVector y = StridedVector.of(new double[4]);
        double[] g = new double[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.weightedLossGradientAdd(x, new double[3], 0, y, new double[3], 0, null, 0, g, 0, 4));
        assertTrue(e.getMessage().contains("w"), e.getMessage());
        assertThrows(NullPointerException.class,
                () -> Kernels.weightedLossGradientAdd(x, new double[3], 0, y, null, 0, null, 0, g, 0, 4));
        double[] w = {1, 2, 0, 1};
        assertThrows(IllegalArgumentException.class,
                () -> Kernels.weightedLossGradientAdd(x, new double[3], 0, y, w, 0, null, 0, w, 0, 4));
        // integer weights are repeated rows: weights (1, 2, 0, 1) equal rows 0, 1, 1, 3 unweighted
        SplittableRandom rnd = new SplittableRandom(3);
        double[] xs = new double[12];
        double[] ys = new double[4];
        for (int i = 0; i < 12; i++) xs[i] = rnd.nextDouble();
        for (int i = 0; i < 4; i++) ys[i] = rnd.nextDouble();
        double[] theta = {0.5, -1, 2};
        double[] gw = new double[4];
        double sw = Kernels.weightedLossGradientAdd(Matrix.rowMajor(xs, 4, 3), theta, 0.25, StridedVector.of(ys), w, 0,
                null, 0, gw, 0, 4);
        double[] xr = new double[12];
        double[] yr = new double[4];
        int[] rows = {0, 1, 1, 3};
        for (int k = 0; k < 4; k++) {
            System.arraycopy(xs, 3 * rows[k], xr, 3 * k, 3);
            yr[k] = ys[rows[k]];
        }
        double[] gr = new double[4];
        double sr = Kernels.lossGradientAdd(Matrix.rowMajor(xr, 4, 3), theta, 0.25, StridedVector.of(yr), gr, 0, 4);
        assertEquals(sr, sw, 1e-14 * sr);
        for (int j = 0; j < 4; j++) assertEquals(gr[j], gw[j], 1e-14 * (1 + Math.abs(gr[j])));
    }

    @AfterAll
    static void everyGeneratedCaseRan() {
        long expected = KernelImplementationsTest.SWEPT.stream().mapToLong(i -> KernelImplementationsTest.cases(i).size()).sum();
        assertEquals(expected, RUN.get(), "the weighted sweep ran every generated case");
    }
}
