package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link GramMatrix}: the pass on every storage (heap and off-heap, both layouts, a {@link RowSource} with cross
 * products) against G = ÃᵀÃ/m and c = Ãᵀ(y − shift)/m summed directly here, with a constant column (inactive: unit
 * diagonal, no coupling, c = 0) and with and without the intercept; H = G + λP; the Cholesky factor, solve, inverse and
 * ‖·‖₁ on a small matrix with a known inverse, and the failing pivot reported.
 */
class GramMatrixTest {

    /** m rows over enough blocks to use several chunks; column 1 is constant. */
    private static Dataset data(int m, boolean rowMajor) {
        SplittableRandom rnd = new SplittableRandom(6);
        int n = 4;
        double[] x = new double[m * n];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double[] row = {3 + TestProblems.gaussian(rnd), 7.5, -2 * TestProblems.gaussian(rnd), rnd.nextDouble()};
            row[3] += 0.5 * row[0];
            for (int j = 0; j < n; j++) x[rowMajor ? i * n + j : j * m + i] = row[j];
            y[i] = 1 + row[0] - row[2] + 0.1 * TestProblems.gaussian(rnd);
        }
        return rowMajor ? Dataset.rowMajor(x, m, n, y) : Dataset.columnMajor(x, m, n, y);
    }

    /** [G (k × k), c] summed directly. */
    private static double[][] direct(Dataset d, Standardization s, boolean intercept, double shift) {
        int m = d.rows();
        int n = d.cols();
        int k = intercept ? n + 1 : n;
        double[] g = new double[k * k];
        double[] c = new double[k];
        double[] a = new double[k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) a[j] = (d.x(i, j) - s.mean(j)) * s.scale(j);
            if (intercept) a[n] = 1;
            for (int p = 0; p < k; p++) {
                c[p] += a[p] * (d.y(i) - shift) / m;
                for (int q = 0; q < k; q++) g[p * k + q] += a[p] * a[q] / m;
            }
        }
        for (int p = 0; p < n; p++) {
            if (s.scale(p) == 0) { // inactive: a unit diagonal, no coupling, c = 0
                for (int q = 0; q < k; q++) g[p * k + q] = g[q * k + p] = 0;
                g[p * k + p] = 1;
                c[p] = 0;
            }
        }
        return new double[][]{g, c};
    }

    private static void assertGram(double[][] want, GramMatrix gm, String what) {
        for (int e = 0; e < want[0].length; e++) {
            assertEquals(want[0][e], gm.g[e], 1e-12 * (1 + Math.abs(want[0][e])), what + " G[" + e + "]");
        }
        for (int p = 0; p < want[1].length; p++) {
            assertEquals(want[1][p], gm.rhs[p], 1e-12 * (1 + Math.abs(want[1][p])), what + " c[" + p + "]");
        }
    }

    @Test
    void everyStorageGivesTheDirectSums() {
        int m = 5000;
        for (boolean intercept : new boolean[]{true, false}) {
            Dataset row = data(m, true);
            Standardization s = Standardization.compute(row, true, intercept);
            assertTrue(s.isConstant(1) == intercept, "column 1 constant with an intercept");
            double yMean = TargetStats.of(row).mean();
            double shift = intercept ? yMean : 0;
            double[][] want = direct(row, s, intercept, shift);
            String w = intercept ? "intercept" : "no intercept";
            GramMatrix gm = GramMatrix.accumulate(row, s, intercept, yMean);
            assertGram(want, gm, "heap row-major, " + w);
            assertEquals(intercept ? 5 : 4, gm.k);
            assertEquals(shift, gm.shift);
            assertEquals(intercept ? 4 : 4, gm.activeCount(), "the constant column is inactive only with an intercept");
            assertGram(want, GramMatrix.accumulate(data(m, false), s, intercept, yMean), "heap column-major, " + w);
            for (Layout layout : Layout.values()) {
                try (SegmentDataset off = SegmentDataset.copyOf(row, layout)) {
                    assertGram(want, GramMatrix.accumulate(off, s, intercept, yMean), "off-heap " + layout + ", " + w);
                }
            }
            assertGram(want, GramMatrix.accumulate(ChunkedRowSource.of(List.of(row)), s, intercept, yMean),
                    "row source, " + w);
            // H = G + λP: λ on the active coefficients only
            double[] h = gm.hessian(0.5);
            for (int p = 0; p < gm.k; p++) {
                boolean penalized = p < gm.n && gm.active[p];
                assertEquals(gm.g[p * gm.k + p] + (penalized ? 0.5 : 0), h[p * gm.k + p], 0, "H[" + p + "][" + p + "]");
            }
            assertArrayEquals(gm.g, gm.hessian(0), 0);
        }
    }

    @Test
    void choleskySolveAndInverseOfAKnownMatrix() {
        // H = [[4, 2, 0], [2, 5, 3], [0, 3, 10]] = LLᵀ with L = [[2, 0, 0], [1, 2, 0], [0, 1.5, √7.75]]
        double[] h = {4, 2, 0, 2, 5, 3, 0, 3, 10};
        int[] bad = {-1};
        double[] l = GramMatrix.cholesky(h, 3, bad);
        assertNotNull(l);
        assertEquals(-1, bad[0]);
        assertArrayEquals(new double[]{2, 0, 0, 1, 2, 0, 0, 1.5, Math.sqrt(7.75)}, l, 1e-15);
        double[] x = GramMatrix.solve(l, 3, new double[]{6, 10, 13});
        assertArrayEquals(new double[]{1, 1, 1}, x, 1e-14, "H·(1, 1, 1) = (6, 10, 13)");
        double[] inv = GramMatrix.inverse(l, 3);
        for (int p = 0; p < 3; p++) {
            for (int q = 0; q < 3; q++) {
                double s = 0;
                for (int r = 0; r < 3; r++) s += h[p * 3 + r] * inv[r * 3 + q];
                assertEquals(p == q ? 1 : 0, s, 1e-14, "H·H⁻¹ at (" + p + ", " + q + ")");
            }
        }
        assertEquals(13, GramMatrix.norm1(h, 3), 0, "the largest column sum: 0 + 3 + 10 (the others 6 and 10)");
        assertEquals(7, GramMatrix.norm1(new double[]{1, -7, 2, 0}, 2), 0, "absolute values");
    }

    @Test
    void aDependentColumnFailsAtItsPivot() {
        // column 2 = column 0 + column 1: the third pivot is 0
        double[] h = {2, 1, 3, 1, 2, 3, 3, 3, 6};
        int[] bad = {-1};
        assertNull(GramMatrix.cholesky(h, 3, bad));
        assertEquals(2, bad[0]);
        double[] neg = {1, 0, 0, -1};
        assertNull(GramMatrix.cholesky(neg, 2, bad));
        assertEquals(1, bad[0]);
        // the pivot test is s > k·ε·H_pp: with b = 1 − ε the second pivot 1 − b² is exactly 2ε = k·ε·H_11 (fails),
        // with b = 1 − 2ε it is 4ε (passes)
        double eps = Math.ulp(1.0);
        double b = 1 - eps;
        assertEquals(2 * eps, 1 - b * b, 0);
        assertNull(GramMatrix.cholesky(new double[]{1, b, b, 1}, 2, bad));
        assertEquals(1, bad[0]);
        double c = 1 - 2 * eps;
        assertNotNull(GramMatrix.cholesky(new double[]{1, c, c, 1}, 2, bad));
    }
}
