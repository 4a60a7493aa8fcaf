package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link LeastSquaresObjective} on a 4 × 2 problem against J and ∇J computed here in standardized coordinates: the
 * full evaluation and a mini-batch of chosen rows (its own loss Σ_B r²/(2|B|) and gradient), the L2 term on the
 * coefficients only, the intercept's gradient zeroed without an intercept, the pass count, and mini-batches refused
 * without heap data.
 */
class LeastSquaresObjectiveTest {

    private static final Dataset D = Dataset.rowMajor(new double[]{1, 0, 2, 1, 4, 3, 5, 2}, 4, 2,
            new double[]{1, 2, 4, 3});

    /** J and ∇J (standardized) over the rows in {@code rows}, with L2 λ on the coefficients. */
    private static double expected(Standardization s, double[] w, int[] rows, double l2, boolean intercept, double[] g) {
        java.util.Arrays.fill(g, 0);
        double ss = 0;
        for (int i : rows) {
            double[] a = new double[3];
            for (int j = 0; j < 2; j++) a[j] = (D.x(i, j) - s.mean(j)) * s.scale(j);
            a[2] = 1;
            double r = a[0] * w[0] + a[1] * w[1] + w[2] - D.y(i);
            ss += r * r;
            for (int j = 0; j < 3; j++) g[j] += r * a[j] / rows.length;
        }
        g[0] += l2 * w[0];
        g[1] += l2 * w[1];
        if (!intercept) g[2] = 0;
        return ss / (2 * rows.length) + 0.5 * l2 * (w[0] * w[0] + w[1] * w[1]);
    }

    @Test
    void fullAndMiniBatchEvaluations() {
        Standardization s = Standardization.compute(D, true, true);
        double[] w = {0.5, -0.25, 2};
        for (double l2 : new double[]{0, 0.3}) {
            LeastSquaresObjective f = new LeastSquaresObjective(D, new ChunkedGradientSource(D, 3), s, true, l2);
            assertEquals(4, f.rows());
            assertEquals(3, f.size());
            assertEquals(l2, f.l2());
            assertTrue(f.intercept());
            double[] g = new double[3];
            double[] want = new double[3];
            double j = f.evaluate(w, g);
            assertEquals(expected(s, w, new int[]{0, 1, 2, 3}, l2, true, want), j, 1e-14, "J, λ = " + l2);
            assertArrayEquals(want, g, 1e-14, "∇J, λ = " + l2);
            assertEquals(1, f.passes());
            double ssr = 2 * 4 * (j - 0.5 * l2 * (w[0] * w[0] + w[1] * w[1]));
            assertEquals(ssr, f.lastSumSquares(), 1e-13, "Σr² without the penalty");
            // a mini-batch: rows 3 and 1 of the order (2, 3, 1, 0), positions 1..2
            int[] order = {2, 3, 1, 0};
            double jb = f.evaluateRows(w, order, 1, 3, g);
            assertEquals(expected(s, w, new int[]{3, 1}, l2, true, want), jb, 1e-14, "J_B, λ = " + l2);
            assertArrayEquals(want, g, 1e-14, "∇J_B, λ = " + l2);
            assertEquals(1, f.passes(), "a mini-batch is not a pass over X");
        }
    }

    @Test
    void withoutInterceptTheLastGradientEntryIsZero() {
        Standardization s = Standardization.compute(D, true, false);
        LeastSquaresObjective f = new LeastSquaresObjective(D, new ChunkedGradientSource(D, 4), s, false, 0);
        double[] w = {0.5, -0.25, 0};
        double[] g = new double[3];
        double[] want = new double[3];
        assertEquals(expected(s, w, new int[]{0, 1, 2, 3}, 0, false, want), f.evaluate(w, g), 1e-14);
        assertArrayEquals(want, g, 1e-14);
        assertEquals(0, g[2]);
        assertFalse(f.intercept());
    }

    @Test
    void miniBatchesNeedHeapData() {
        Standardization s = Standardization.compute(D, true, true);
        LeastSquaresObjective f = new LeastSquaresObjective(2, 4, new ChunkedGradientSource(D, 4), s, true, 0, null);
        assertEquals("mini-batches need heap data", assertThrows(IllegalStateException.class,
                () -> f.evaluateRows(new double[3], new int[]{0, 1, 2, 3}, 0, 2, new double[3])).getMessage());
        f.addPreparationPasses(2);
        f.evaluate(new double[3], new double[3]);
        assertEquals(3, f.passes());
        assertFalse(f.hasPreparedGram());
        assertFalse(f.hasGram());
    }
}
