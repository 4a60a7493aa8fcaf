package dev.vecgd.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link CompensatedKernels} against exact {@link BigDecimal} sums (products and sums of doubles are exact there) on
 * cancellation-heavy data: y_i is x_iᵀθ + b rounded plus a perturbation 10⁻⁹ times smaller, so every residual
 * cancels ~9 digits and the gradient sums cancel more. Bound asserted per quantity: the class's documented
 * {@code 8·(n + m + 4)²·u²·Σ|terms|} (u = 2⁻⁵³), where Σ|terms| = Σ_i |x_ij|·(|r_i| + A_i), A_i = Σ_j|x_ijθ_j| + |b| +
 * |y_i| (the magnitudes the row's Dot2 cancels). Shapes: m ∈ {0, 1, 2, 3, 7, 8, 9, 31, 64, 257}, n ∈ {1, 2, 3, 5,
 * 8, 16, 33}, both layouts, padded leading dimensions with an offset, y strided inside the table.
 */
class CompensatedKernelsTest {

    private static final double U = 0x1p-53;

    record Case(int m, int n, Layout layout, long seed) {
        @Override
        public String toString() {
            return m + "x" + n + " " + layout;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 1;
        for (int m : new int[] {0, 1, 2, 3, 7, 8, 9, 31, 64, 257}) {
            for (int n : new int[] {1, 2, 3, 5, 8, 16, 33}) {
                for (Layout layout : Layout.values()) out.add(Arguments.of(new Case(m, n, layout, seed++)));
            }
        }
        return out.stream();
    }

    /** A padded, offset matrix with y stored in the extra column (row-major) or after the columns (column-major). */
    record Data(Matrix x, StridedVector y, double[] theta, double b) {
    }

    static Data data(Case c, double perturbation) {
        SplittableRandom rnd = new SplittableRandom(c.seed());
        int m = c.m();
        int n = c.n();
        int off = 3;
        double[] theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = value(rnd);
        double b = value(rnd);
        Matrix x;
        StridedVector y;
        if (c.layout() == Layout.ROW_MAJOR) {
            int ld = n + 2; // column n holds y, column n + 1 padding
            double[] a = new double[off + Math.max(m, 1) * ld];
            x = Matrix.rowMajor(a, off, m, n, ld);
            y = new StridedVector(a, off + n, ld);
        } else {
            int ld = m + 1;
            double[] a = new double[off + (n + 1) * ld];
            x = Matrix.columnMajor(a, off, m, n, ld);
            y = new StridedVector(a, off + n * ld, 1);
        }
        double[] a = x.data();
        for (int i = 0; i < m; i++) {
            double fit = b;
            for (int j = 0; j < n; j++) {
                a[x.index(i, j)] = value(rnd);
                fit += a[x.index(i, j)] * theta[j];
            }
            a[y.offset() + i * y.stride()] = fit * (1 + perturbation * (rnd.nextDouble() - 0.5));
        }
        return new Data(x, y, theta, b);
    }

    /** Values of both signs over six decades. */
    private static double value(SplittableRandom rnd) {
        return (rnd.nextBoolean() ? 1 : -1) * (0.5 + rnd.nextDouble()) * Math.pow(10, rnd.nextInt(-3, 3));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void residualsGradientIsExactToTheBound(Case c) {
        Data d = data(c, 1e-9);
        int m = c.m();
        int n = c.n();
        double[] acc = new double[2 * (n + 2) + 3];
        acc[acc.length - 1] = 42; // beyond the layout: untouched
        CompensatedKernels.residualsGradientAdd(d.x(), d.theta(), d.b(), d.y(), 0, m, acc);
        // the scalar reference on the same data (the chosen implementation may be the Vector API one)
        double[] ref = new double[2 * (n + 2)];
        boolean rowMajor = c.layout() == Layout.ROW_MAJOR;
        CompensatedScalar.residualsGradient(d.x().data(), d.x().offset(), rowMajor ? d.x().ld() : 1,
                rowMajor ? 1 : d.x().ld(), m, n, d.theta(), d.b(), d.y().data(), d.y().offset(), d.y().stride(), ref);
        BigDecimal[] want = new BigDecimal[n + 2];
        double[] mag = new double[n + 2];
        java.util.Arrays.fill(want, BigDecimal.ZERO);
        for (int i = 0; i < m; i++) {
            BigDecimal r = new BigDecimal(d.b()).subtract(new BigDecimal(d.y().get(i)));
            double a = Math.abs(d.b()) + Math.abs(d.y().get(i));
            for (int j = 0; j < n; j++) {
                double xv = d.x().get(i, j);
                r = r.add(new BigDecimal(xv).multiply(new BigDecimal(d.theta()[j])));
                a += Math.abs(xv * d.theta()[j]);
            }
            double rd = Math.abs(r.doubleValue());
            for (int j = 0; j < n; j++) {
                want[j] = want[j].add(new BigDecimal(d.x().get(i, j)).multiply(r));
                mag[j] += Math.abs(d.x().get(i, j)) * (rd + a);
            }
            want[n] = want[n].add(r);
            mag[n] += rd + a;
            want[n + 1] = want[n + 1].add(r.multiply(r));
            mag[n + 1] += rd * (rd + a);
        }
        double k = n + m + 4;
        for (int q = 0; q < n + 2; q++) {
            BigDecimal got = new BigDecimal(acc[2 * q]).add(new BigDecimal(acc[2 * q + 1]));
            double err = got.subtract(want[q]).abs().doubleValue();
            double bound = 8 * k * k * U * U * mag[q];
            assertTrue(err <= bound, c + " " + Kernels.implementation() + " quantity " + q + ": error " + err
                    + " > bound " + bound);
            BigDecimal reference = new BigDecimal(ref[2 * q]).add(new BigDecimal(ref[2 * q + 1]));
            double refErr = reference.subtract(want[q]).abs().doubleValue();
            assertTrue(refErr <= bound, c + " scalar reference quantity " + q + ": error " + refErr + " > bound " + bound);
            // rounded to double, the implementation and the reference agree to 1 ulp of the exact value
            double exact = want[q].doubleValue();
            assertEquals(reference.doubleValue(), got.doubleValue(), Math.max(Math.ulp(exact), bound),
                    c + " quantity " + q + " vs the scalar reference");
        }
        assertEquals(0.0, acc[2 * (n + 2)]);
        assertEquals(42.0, acc[acc.length - 1]);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gramIsExactToTheBound(Case c) {
        Data d = data(c, 1e-3);
        int m = c.m();
        int n = c.n();
        int w = n + 2;
        double[] acc = new double[2 * w * w];
        CompensatedKernels.gramAdd(d.x(), d.y(), 0, m, acc);
        double[] ref = new double[2 * w * w]; // the scalar reference on the same data
        boolean rowMajor = c.layout() == Layout.ROW_MAJOR;
        CompensatedScalar.gram(d.x().data(), d.x().offset(), rowMajor ? d.x().ld() : 1, rowMajor ? 1 : d.x().ld(), m, n,
                d.y().data(), d.y().offset(), d.y().stride(), ref);
        for (int u = 0; u < w; u++) {
            for (int v = 0; v < w; v++) {
                int at = 2 * (u * w + v);
                if (v < u) {
                    assertEquals(0.0, acc[at], "lower triangle untouched");
                    continue;
                }
                BigDecimal want = BigDecimal.ZERO;
                double mag = 0;
                for (int i = 0; i < m; i++) {
                    double a = col(d, i, u);
                    double bb = col(d, i, v);
                    want = want.add(new BigDecimal(a).multiply(new BigDecimal(bb)));
                    mag += Math.abs(a * bb);
                }
                BigDecimal got = new BigDecimal(acc[at]).add(new BigDecimal(acc[at + 1]));
                double err = got.subtract(want).abs().doubleValue();
                double bound = 8.0 * (m + 4) * (m + 4) * U * U * mag;
                assertTrue(err <= bound, c + " " + Kernels.implementation() + " S[" + u + "," + v + "]: error " + err
                        + " > bound " + bound);
                BigDecimal reference = new BigDecimal(ref[at]).add(new BigDecimal(ref[at + 1]));
                double refErr = reference.subtract(want).abs().doubleValue();
                assertTrue(refErr <= bound, c + " scalar reference S[" + u + "," + v + "]: error " + refErr);
            }
        }
    }

    private static double col(Data d, int i, int u) {
        int n = d.x().cols();
        return u < n ? d.x().get(i, u) : u == n ? 1 : d.y().get(i);
    }

    @Test
    void accumulatesAndSplitsByRowRanges() {
        Case c = new Case(257, 5, Layout.ROW_MAJOR, 99);
        Data d = data(c, 1e-9);
        double[] whole = new double[2 * 7];
        CompensatedKernels.residualsGradientAdd(d.x(), d.theta(), d.b(), d.y(), 0, 257, whole);
        double[] parts = new double[2 * 7];
        CompensatedKernels.residualsGradientAdd(d.x(), d.theta(), d.b(), d.y(), 0, 100, parts);
        CompensatedKernels.residualsGradientAdd(d.x(), d.theta(), d.b(), d.y(), 100, 257, parts);
        for (int q = 0; q < 7; q++) {
            assertEquals(whole[2 * q] + whole[2 * q + 1], parts[2 * q] + parts[2 * q + 1],
                    Math.ulp(whole[2 * q]) * 1e-6, "quantity " + q);
        }
        // the row-block entry point (the off-heap path) gives the same bits as the Matrix one on the same rows
        double[] rows = new double[257 * 5];
        double[] ys = new double[257];
        for (int i = 0; i < 257; i++) {
            for (int j = 0; j < 5; j++) rows[i * 5 + j] = d.x().get(i, j);
            ys[i] = d.y().get(i);
        }
        double[] block = new double[2 * 7];
        CompensatedKernels.residualsGradientAddRows(rows, 0, 5, 257, 5, d.theta(), d.b(), ys, 0, block);
        assertArrayEquals(whole, block);
        double[] g1 = new double[2 * 49];
        double[] g2 = new double[2 * 49];
        CompensatedKernels.gramAdd(d.x(), d.y(), 0, 257, g1);
        CompensatedKernels.gramAddRows(rows, 0, 5, 257, 5, ys, 0, g2);
        assertArrayEquals(g1, g2);
    }

    @Test
    void thePlainKernelIsOffByManyUlpsWhereTheCompensatedOneIsNot() {
        // the test discriminates: on the same cancellation-heavy data the double kernel's gradient is far off
        Case c = new Case(257, 16, Layout.ROW_MAJOR, 7);
        Data d = data(c, 1e-12);
        double[] acc = new double[2 * 18];
        CompensatedKernels.residualsGradientAdd(d.x(), d.theta(), d.b(), d.y(), 0, 257, acc);
        double[] plain = new double[17];
        Kernels.lossGradientAdd(d.x(), d.theta(), d.b(), d.y(), plain, 0, 257);
        double worstPlain = 0;
        double worstCompensated = 0;
        for (int j = 0; j < 16; j++) {
            BigDecimal want = BigDecimal.ZERO;
            for (int i = 0; i < 257; i++) {
                BigDecimal r = new BigDecimal(d.b()).subtract(new BigDecimal(d.y().get(i)));
                for (int q = 0; q < 16; q++) {
                    r = r.add(new BigDecimal(d.x().get(i, q)).multiply(new BigDecimal(d.theta()[q])));
                }
                want = want.add(new BigDecimal(d.x().get(i, j)).multiply(r));
            }
            double exact = want.doubleValue();
            worstPlain = Math.max(worstPlain, Math.abs(plain[j] - exact) / Math.ulp(exact));
            worstCompensated = Math.max(worstCompensated, Math.abs(acc[2 * j] + acc[2 * j + 1] - exact) / Math.ulp(exact));
        }
        assertTrue(worstPlain > 1000, "plain kernel error " + worstPlain + " ulps");
        assertTrue(worstCompensated <= 1, "compensated kernel error " + worstCompensated + " ulps");
    }

    @Test
    void badArgumentsAreNamed() {
        Matrix x = Matrix.rowMajor(new double[6], 3, 2);
        StridedVector y = StridedVector.of(new double[3]);
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> CompensatedKernels.residualsGradientAdd(x, new double[3], 0, y, 0, 3, new double[8]));
        assertTrue(t.getMessage().contains("theta"), t.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> CompensatedKernels.residualsGradientAdd(x, new double[2], 0, y, 0, 3, new double[7]));
        assertTrue(a.getMessage().contains("acc"), a.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> CompensatedKernels.residualsGradientAdd(x, new double[2], 0, StridedVector.of(new double[2]),
                        0, 3, new double[8]));
        assertTrue(s.getMessage().contains("y holds"), s.getMessage());
        assertThrows(IndexOutOfBoundsException.class,
                () -> CompensatedKernels.gramAdd(x, y, 0, 4, new double[32]));
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> CompensatedKernels.gramAdd(x, y, 0, 3, new double[31]));
        assertTrue(g.getMessage().contains("acc"), g.getMessage());
    }
}
