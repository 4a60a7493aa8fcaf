package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The column and target statistics ({@link TargetStats}, {@link Standardization#compute}, {@link RowSourceStats},
 * weighted too) against exact sums in {@link BigDecimal}, on columns that break naive formulas: an offset of 1e9 over a
 * spread of 1 (the first-pass mean is many ulps off: the correction pass must fix it), a spread of 1e-5 over 1e9 (the
 * rounding of the first mean is larger than the spread: the {@link RowSourceStats} third pass), a constant column, tiny
 * and huge magnitudes. The mean must be within a few ulps, the standard deviation within 1e-9 relative; the scales,
 * the trace and the constant columns follow from them as documented.
 */
class StatisticsTest {

    private static final MathContext MC = new MathContext(40);
    private static final int M = 10_007;

    /** {@link #awkward(boolean, double, double)} with 1e-200 and 1e300. */
    private static Dataset awkward(boolean rowMajor) {
        return awkward(rowMajor, 1e-200, 1e300);
    }

    /**
     * Columns: 1e9 + N(0,1); 1e9 + 1e-5·N(0,1); the constant 0.1; tiny·N(0,1); huge·U(1,2). y = 1e9 + N(0, 1e-3).
     * (A {@link RowSource} sums unscaled squares, so its data must keep them finite and normal: 1e-100 and 1e100.)
     */
    private static Dataset awkward(boolean rowMajor, double tiny, double huge) {
        SplittableRandom rnd = new SplittableRandom(17);
        int n = 5;
        double[][] rows = new double[M][n];
        double[] y = new double[M];
        for (int i = 0; i < M; i++) {
            rows[i][0] = 1e9 + TestProblems.gaussian(rnd);
            rows[i][1] = 1e9 + 1e-5 * TestProblems.gaussian(rnd);
            rows[i][2] = 0.1;
            rows[i][3] = tiny * TestProblems.gaussian(rnd);
            rows[i][4] = huge * (1 + rnd.nextDouble());
            y[i] = 1e9 + 1e-3 * TestProblems.gaussian(rnd);
        }
        double[] x = new double[M * n];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < n; j++) x[rowMajor ? i * n + j : j * M + i] = rows[i][j];
        }
        return rowMajor ? Dataset.rowMajor(x, M, n, y) : Dataset.columnMajor(x, M, n, y);
    }

    /** [mean, std] of v with weights w (null: 1) in BigDecimal. */
    private static BigDecimal[] exact(double[] v, double[] w) {
        BigDecimal s = BigDecimal.ZERO;
        BigDecimal tw = BigDecimal.ZERO;
        for (int i = 0; i < v.length; i++) {
            BigDecimal wi = w == null ? BigDecimal.ONE : new BigDecimal(w[i]);
            s = s.add(wi.multiply(new BigDecimal(v[i])));
            tw = tw.add(wi);
        }
        BigDecimal mean = s.divide(tw, MC);
        BigDecimal q = BigDecimal.ZERO;
        for (int i = 0; i < v.length; i++) {
            BigDecimal d = new BigDecimal(v[i]).subtract(mean);
            BigDecimal wi = w == null ? BigDecimal.ONE : new BigDecimal(w[i]);
            q = q.add(wi.multiply(d.multiply(d)));
        }
        return new BigDecimal[]{mean, q.divide(tw, MC).sqrt(MC)};
    }

    /** Unweighted exact [mean, std] of column j of d, computed once per distinct column (the sums are slow). */
    private static final java.util.Map<String, BigDecimal[]> EXACT = new java.util.concurrent.ConcurrentHashMap<>();

    private static BigDecimal[] exact(Dataset d, int j) {
        double[] c = column(d, j);
        return EXACT.computeIfAbsent(j + ":" + java.util.Arrays.hashCode(c) + ":" + c.length, k -> exact(c, null));
    }

    private static double[] column(Dataset d, int j) {
        double[] c = new double[d.rows()];
        for (int i = 0; i < c.length; i++) c[i] = j < d.cols() ? d.x(i, j) : d.y(i);
        return c;
    }

    private static void assertMean(BigDecimal exact, double got, double std, String what) {
        double e = exact.doubleValue();
        assertEquals(e, got, 4 * Math.ulp(e) + 1e-12 * std, what + " mean");
    }

    private static void assertStd(BigDecimal exact, double got, String what) {
        double e = exact.doubleValue();
        assertEquals(e, got, 1e-9 * e, what + " std");
    }

    private static void assertColumns(Dataset d, Standardization s, String where) {
        for (int j : new int[]{0, 1, 3, 4}) {
            BigDecimal[] ex = exact(d, j);
            assertStd(ex[1], s.columnStd(j), where + " column " + j);
            assertMean(ex[0], s.columnMean(j), s.columnStd(j), where + " column " + j);
            assertFalse(s.isConstant(j), where + " column " + j);
            assertEquals(1 / s.columnStd(j), s.scale(j), 1e-15 / s.columnStd(j), where + " scale " + j);
            assertEquals(s.columnMean(j), s.mean(j), 0, where + " centre " + j);
            assertEquals(Math.hypot(s.columnMean(j), s.columnStd(j)), s.columnRms(j), 0, where + " rms " + j);
        }
        assertTrue(s.isConstant(2), where);
        assertEquals(0, s.scale(2), where);
        assertEquals(0.1, s.columnMean(2), 0, where);
        assertArrayEquals(new int[]{2}, s.constantColumns(), where);
        assertEquals(4, s.activeColumns(), where);
        assertEquals(5, s.trace(), 0, where + ": the active columns and the intercept");
        assertEquals(5, s.features());
    }

    @Test
    void targetStatsOnHeapAndOffHeap() {
        for (boolean rowMajor : new boolean[]{true, false}) {
            Dataset d = awkward(rowMajor);
            BigDecimal[] ex = exact(d, 5);
            TargetStats t = TargetStats.of(d);
            assertEquals(M, t.rows());
            assertStd(ex[1], t.centeredRms(), "y");
            assertMean(ex[0], t.mean(), t.centeredRms(), "y");
            assertEquals(Math.hypot(t.mean(), t.centeredRms()), t.rms(), 0);
            assertEquals(M * t.centeredRms() * t.centeredRms(), t.centeredSumSquares(), 0);
            assertEquals(M * t.rms() * t.rms(), t.sumSquares(), 0);
            assertEquals(t.centeredRms(), t.spread(true));
            assertEquals(t.rms(), t.spread(false));
            assertEquals(t.centeredSumSquares(), t.totalSumSquares(true));
            assertEquals(t.sumSquares(), t.totalSumSquares(false));
            try (SegmentDataset s = SegmentDataset.copyOf(d, rowMajor ? Layout.ROW_MAJOR : Layout.COLUMN_MAJOR)) {
                assertEquals(t, TargetStats.of(s), "off-heap: the same sums in the same order");
            }
        }
    }

    @Test
    void targetStatsOfZerosAndTinyAndHugeValues() {
        TargetStats zero = TargetStats.of(Dataset.rowMajor(new double[3], 3, 1, new double[3]));
        assertEquals(0, zero.mean(), 0);
        assertEquals(0, zero.centeredRms(), 0);
        for (double scale : new double[]{1e-300, 1e300}) {
            double[] y = {1 * scale, 2 * scale, 4 * scale, 7 * scale};
            BigDecimal[] ex = exact(y, null);
            TargetStats t = TargetStats.of(Dataset.rowMajor(new double[4], 4, 1, y));
            assertStd(ex[1], t.centeredRms(), "y·" + scale);
            assertMean(ex[0], t.mean(), t.centeredRms(), "y·" + scale);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TargetStats.of(Dataset.rowMajor(new double[2], 2, 1, new double[]{1e308, 1e308})));
        assertTrue(e.getMessage().startsWith("overflow: the sum of the targets y is Infinity (|y| up to 1.0E308)"),
                e.getMessage());
    }

    @Test
    void standardizationOnEveryStorage() {
        for (boolean rowMajor : new boolean[]{true, false}) {
            Dataset d = awkward(rowMajor);
            Standardization s = Standardization.compute(d, true, true);
            assertColumns(d, s, rowMajor ? "row-major" : "column-major");
            try (SegmentDataset off = SegmentDataset.copyOf(d, rowMajor ? Layout.ROW_MAJOR : Layout.COLUMN_MAJOR)) {
                assertColumns(d, Standardization.compute(off, true, true), "off-heap " + (rowMajor ? "row" : "column"));
            }
        }
    }

    @Test
    void standardizationOffAndWithoutIntercept() {
        // x0 = 3 + N(0,1), x1 = 0 (all zero), x2 = 5 (constant, not zero)
        SplittableRandom rnd = new SplittableRandom(3);
        int m = 101;
        double[] x = new double[m * 3];
        for (int i = 0; i < m; i++) {
            x[3 * i] = 3 + TestProblems.gaussian(rnd);
            x[3 * i + 2] = 5;
        }
        Dataset d = Dataset.rowMajor(x, m, 3, new double[m]);
        BigDecimal[] ex = exact(column(d, 0), null);
        double rms0 = Math.hypot(ex[0].doubleValue(), ex[1].doubleValue());
        // standardization off, intercept: s = 1, no centre, trace = 1 + rms(x0)² (constant columns left out)
        Standardization off = Standardization.compute(d, false, true);
        assertEquals(1, off.scale(0));
        assertEquals(0, off.mean(0));
        assertArrayEquals(new int[]{1, 2}, off.constantColumns());
        assertEquals(1 + rms0 * rms0, off.trace(), 1e-12 * rms0 * rms0);
        // no intercept: scaled by the rms, not centred; only the all-zero column is constant; trace = active columns
        Standardization raw = Standardization.compute(d, true, false);
        assertEquals(1 / rms0, raw.scale(0), 1e-12 / rms0);
        assertEquals(0, raw.mean(0));
        assertEquals(0.2, raw.scale(2), 1e-15);
        assertArrayEquals(new int[]{1}, raw.constantColumns());
        assertEquals(2, raw.trace(), 0);
        // identity: s = 1, μ = 0, no trace
        Standardization id = Standardization.identity(2);
        assertArrayEquals(new double[]{1, 1}, id.scales());
        assertArrayEquals(new double[]{0, 0}, id.means());
        assertTrue(Double.isNaN(id.trace()));
    }

    @Test
    void conversionsBetweenSolverAndOriginalCoordinates() {
        // μ = (10, 0), σ = (2, 0.5): p_j = s_j w_j, p_n = w_n − Σ μ_j p_j, and back
        Standardization s = Standardization.fromStats(new double[]{10, 0}, new double[]{2, 0.5}, true, true);
        double[] p = new double[3];
        s.toOriginal(new double[]{1, -2, 3}, p);
        assertArrayEquals(new double[]{0.5, -4, 3 - 5}, p, 0);
        double[] w = new double[3];
        s.fromOriginal(p, w);
        assertArrayEquals(new double[]{1, -2, 3}, w, 0);
        // a constant column: coefficient 0 in solver coordinates whatever the original one, and no centre
        Standardization c = Standardization.fromStats(new double[]{4, 0}, new double[]{0, 1}, true, true);
        assertEquals(0, c.mean(0));
        c.fromOriginal(new double[]{7, 1, 2}, w);
        assertArrayEquals(new double[]{0, 1, 2}, w, 0);
        // the standardized gradient from raw sums: s_j (sum_j − μ_j sum_n)/rows, sum_n/rows
        GradientBuffer buf = new GradientBuffer(2);
        buf.add(new double[]{30, 8, 4}, 2, 0);
        double[] g = new double[3];
        s.gradient(buf, g);
        assertArrayEquals(new double[]{0.5 * (30 - 40) / 2, 2 * 8 / 2.0, 4 / 2.0}, g, 1e-15);
    }

    @Test
    void maxRowNormOfTheStandardizedRows() {
        Dataset d = Dataset.rowMajor(new double[]{1, 0, 3, 2, 5, -2}, 3, 2, new double[3]);
        Standardization s = Standardization.compute(d, true, true);
        double best = 0;
        for (int i = 0; i < 3; i++) {
            double a = (d.x(i, 0) - s.mean(0)) * s.scale(0);
            double b = (d.x(i, 1) - s.mean(1)) * s.scale(1);
            best = Math.max(best, a * a + b * b);
        }
        assertEquals(best, s.maxRowNormSquared(d), 1e-15 * best);
        assertEquals(3, s.mean(0), 1e-15);
        assertEquals(1 / Math.sqrt(8.0 / 3), s.scale(0), 1e-15);
    }

    /** The rows of d in three chunks of different sizes. */
    private static List<Dataset> chunks(Dataset d) {
        int n = d.cols();
        int[] cuts = {0, 1000, 6000, d.rows()};
        List<Dataset> out = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            int rows = cuts[c + 1] - cuts[c];
            double[] x = new double[rows * n];
            double[] y = new double[rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) x[i * n + j] = d.x(cuts[c] + i, j);
                y[i] = d.y(cuts[c] + i);
            }
            out.add(Dataset.rowMajor(x, rows, n, y));
        }
        return out;
    }

    @Test
    void rowSourceStatsWithTheThirdPass() {
        Dataset d = awkward(true, 1e-100, 1e100);
        RowSourceStats st = RowSourceStats.of(ChunkedRowSource.of(chunks(d)), true, true);
        assertColumns(d, st.scaling(), "row source");
        BigDecimal[] ey = exact(d, 5);
        assertStd(ey[1], st.targets().centeredRms(), "row source y");
        assertMean(ey[0], st.targets().mean(), st.targets().centeredRms(), "row source y");
        assertEquals(M, st.targets().rows());
        assertEquals(M, st.totalWeight(), 0);
    }

    @Test
    void weightedRowSourceStats() {
        Dataset d = awkward(true, 1e-100, 1e100);
        SplittableRandom rnd = new SplittableRandom(5);
        double[] w = new double[M];
        for (int i = 0; i < M; i++) w[i] = i % 7 == 0 ? 0 : rnd.nextInt(1, 4);
        List<double[]> ws = List.of(java.util.Arrays.copyOfRange(w, 0, 1000), java.util.Arrays.copyOfRange(w, 1000, 6000),
                java.util.Arrays.copyOfRange(w, 6000, M));
        RowSourceStats st = RowSourceStats.of(ChunkedRowSource.of(chunks(d), ws), true, true, true);
        double total = 0;
        for (double v : w) total += v;
        assertEquals(total, st.totalWeight(), 0);
        for (int j : new int[]{0, 1, 3, 4, 5}) {
            BigDecimal[] ex = exact(column(d, j), w);
            double std = j == 5 ? st.targets().centeredRms() : st.scaling().columnStd(j);
            double mean = j == 5 ? st.targets().mean() : st.scaling().columnMean(j);
            assertStd(ex[1], std, "weighted column " + j);
            assertMean(ex[0], mean, std, "weighted column " + j);
        }
        assertArrayEquals(new int[]{2}, st.scaling().constantColumns());
        assertEquals(M, st.targets().rows(), "rows, not the total weight");
    }

    @Test
    void rowSourceStatsRejectWhatDoublesCannotHold() {
        Dataset zeros = Dataset.rowMajor(new double[4], 2, 2, new double[2]);
        IllegalArgumentException noWeight = assertThrows(IllegalArgumentException.class, () -> RowSourceStats.of(
                ChunkedRowSource.of(List.of(zeros), List.of(new double[2])), true, true, true));
        assertEquals("every sample weight is 0: no row to fit", noWeight.getMessage());
        IllegalArgumentException bigWeight = assertThrows(IllegalArgumentException.class, () -> RowSourceStats.of(
                ChunkedRowSource.of(List.of(zeros), List.of(new double[]{1e308, 1e308})), true, true, true));
        assertEquals("overflow: the sample weights sum to Infinity", bigWeight.getMessage());
        Dataset big = Dataset.rowMajor(new double[]{1, 1e308, 2, 1e308}, 2, 2, new double[2]);
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class,
                () -> RowSourceStats.of(ChunkedRowSource.of(List.of(big)), true, true));
        assertTrue(sum.getMessage().startsWith("the sum of feature column 1 is Infinity: "), sum.getMessage());
        Dataset bigY = Dataset.rowMajor(new double[]{1, 2}, 2, 1, new double[]{1e308, 1e308});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RowSourceStats.of(ChunkedRowSource.of(List.of(bigY)),
                true, true)).getMessage().startsWith("the sum of the target y is Infinity: "));
        Dataset tiny = Dataset.rowMajor(new double[]{1, 1e-160, 2, 1e-160, 3, 1e-160, 4, 1e-160}, 4, 2, new double[4]);
        IllegalArgumentException under = assertThrows(IllegalArgumentException.class,
                () -> RowSourceStats.of(ChunkedRowSource.of(List.of(tiny)), true, true));
        assertTrue(under.getMessage().startsWith("underflow: feature column 1 has mean 1.0E-160: "), under.getMessage());
        Dataset tinyY = Dataset.rowMajor(new double[]{1, 2}, 2, 1, new double[]{1e-160, 1e-160});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RowSourceStats.of(ChunkedRowSource.of(
                List.of(tinyY)), true, true)).getMessage().startsWith("underflow: the target y has mean 1.0E-160"));
    }
}
