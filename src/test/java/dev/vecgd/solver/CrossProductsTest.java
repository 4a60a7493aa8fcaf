package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link CrossProducts#addRowMajor} against its javadoc formula summed directly (rows at an offset and a stride wider
 * than n, more rows than one block, the sums added to what the arrays held), its argument checks with their messages,
 * and the padding and block-size helpers.
 */
class CrossProductsTest {

    @Test
    void addsTheStandardizedCrossProductsAtAnOffsetAndStride() {
        int n = 3;
        int rows = 700; // several blocks
        int ldx = 5;
        int xOff = 7;
        SplittableRandom rnd = new SplittableRandom(2);
        double[] x = new double[xOff + rows * ldx];
        double[] y = new double[rows];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble() * 4 - 1;
        for (int i = 0; i < rows; i++) y[i] = rnd.nextDouble() * 10;
        double[] mean = {0.5, 1, -0.25};
        double[] scale = {2, 0.5, 1.5};
        for (boolean intercept : new boolean[]{true, false}) {
            int k = intercept ? n + 1 : n;
            double shift = intercept ? 4 : 0;
            double[] gram = new double[k * k];
            double[] rhs = new double[k];
            gram[0] = 100; // added to
            rhs[k - 1] = -3;
            CrossProducts.addRowMajor(x, xOff, ldx, rows, n, y, mean, scale, intercept, shift, gram, rhs);
            double[] g = new double[k * k];
            double[] c = new double[k];
            g[0] = 100;
            c[k - 1] = -3;
            double[] a = new double[k];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) a[j] = (x[xOff + i * ldx + j] - mean[j]) * scale[j];
                if (intercept) a[n] = 1;
                for (int p = 0; p < k; p++) {
                    c[p] += a[p] * (y[i] - shift);
                    for (int q = p; q < k; q++) g[p * k + q] += a[p] * a[q];
                }
            }
            for (int p = 0; p < k; p++) {
                assertEquals(c[p], rhs[p], 1e-11 * (1 + Math.abs(c[p])), "rhs " + p);
                for (int q = p; q < k; q++) {
                    assertEquals(g[p * k + q], gram[p * k + q], 1e-11 * (1 + Math.abs(g[p * k + q])), "G " + p + "," + q);
                }
                for (int q = 0; q < p; q++) assertEquals(0, gram[p * k + q], "the lower triangle is left alone");
            }
        }
        // the short form: rows packed with stride n from offset 0
        double[] gram = new double[16];
        double[] rhs = new double[4];
        CrossProducts.addRowMajor(new double[]{1, 2, 3}, 1, 3, new double[]{5}, new double[3], new double[]{1, 1, 1},
                true, 1, gram, rhs);
        assertArrayEquals(new double[]{4, 8, 12, 4}, rhs, 0, "a·(y − shift) with a = (1, 2, 3, 1)");
        assertEquals(9, gram[2 * 4 + 2]);
        assertEquals(2, gram[1], 0);
    }

    /**
     * {@link CrossProducts#addRowMajorWeighted}: {@code gram += Σ w_i a_i a_iᵀ}, {@code rhs += Σ w_i a_i (y_i − shift)}
     * summed directly (raw weights, some 0; rows at an offset and stride, several blocks, added to what the arrays held),
     * and its argument checks with their messages.
     */
    @Test
    void addsTheWeightedCrossProductsAndChecksItsArguments() {
        int n = 3;
        int rows = 700;
        int ldx = 5;
        int xOff = 7;
        SplittableRandom rnd = new SplittableRandom(3);
        double[] x = new double[xOff + rows * ldx];
        double[] y = new double[rows];
        double[] w = new double[rows];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble() * 4 - 1;
        for (int i = 0; i < rows; i++) {
            y[i] = rnd.nextDouble() * 10;
            w[i] = i % 5 == 0 ? 0 : rnd.nextDouble() * 2;
        }
        double[] mean = {0.5, 1, -0.25};
        double[] scale = {2, 0.5, 1.5};
        for (boolean intercept : new boolean[]{true, false}) {
            int k = intercept ? n + 1 : n;
            double shift = intercept ? 4 : 0;
            double[] gram = new double[k * k];
            double[] rhs = new double[k];
            gram[1] = 7; // added to
            rhs[0] = 2;
            CrossProducts.addRowMajorWeighted(x, xOff, ldx, rows, n, y, w, mean, scale, intercept, shift, gram, rhs);
            double[] g = new double[k * k];
            double[] c = new double[k];
            g[1] = 7;
            c[0] = 2;
            double[] a = new double[k];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) a[j] = (x[xOff + i * ldx + j] - mean[j]) * scale[j];
                if (intercept) a[n] = 1;
                for (int p = 0; p < k; p++) {
                    c[p] += w[i] * a[p] * (y[i] - shift);
                    for (int q = p; q < k; q++) g[p * k + q] += w[i] * a[p] * a[q];
                }
            }
            for (int p = 0; p < k; p++) {
                assertEquals(c[p], rhs[p], 1e-11 * (1 + Math.abs(c[p])), "weighted rhs " + p);
                for (int q = p; q < k; q++) {
                    assertEquals(g[p * k + q], gram[p * k + q], 1e-11 * (1 + Math.abs(g[p * k + q])), "weighted G " + p + "," + q);
                }
            }
        }
        double[] m = new double[2];
        double[] s = {1, 1};
        assertEquals("gram must hold k² = 9 and rhs k = 3 values", assertThrows(IllegalArgumentException.class,
                () -> CrossProducts.addRowMajorWeighted(new double[4], 0, 2, 2, 2, new double[2], new double[2], m, s,
                        true, 0, new double[8], new double[3])).getMessage());
        assertEquals("ldx (1) must be >= n (2)", assertThrows(IllegalArgumentException.class,
                () -> CrossProducts.addRowMajorWeighted(new double[4], 0, 1, 2, 2, new double[2], new double[2], m, s,
                        false, 0, new double[4], new double[2])).getMessage());
        assertEquals("xOff must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
                () -> CrossProducts.addRowMajorWeighted(new double[4], -1, 2, 2, 2, new double[2], new double[2], m, s,
                        false, 0, new double[4], new double[2])).getMessage());
        assertEquals("2 rows of 2 at stride 3 need 6 values of x and 2 of y and w, got 5, 2 and 2",
                assertThrows(IllegalArgumentException.class, () -> CrossProducts.addRowMajorWeighted(new double[5], 1, 3,
                        2, 2, new double[2], new double[2], m, s, false, 0, new double[4], new double[2])).getMessage());
        assertEquals("the sample weight of row 1 is -1.0: weights must be finite and >= 0",
                assertThrows(IllegalArgumentException.class, () -> CrossProducts.addRowMajorWeighted(new double[4], 0, 2,
                        2, 2, new double[2], new double[]{1, -1}, m, s, false, 0, new double[4], new double[2])).getMessage());
        // exactly enough values, and no rows at all
        CrossProducts.addRowMajorWeighted(new double[6], 1, 3, 2, 2, new double[2], new double[2], m, s, false, 0,
                new double[4], new double[2]);
        CrossProducts.addRowMajorWeighted(new double[0], 0, 2, 0, 2, new double[0], new double[0], m, s, false, 0,
                new double[4], new double[2]);
    }

    @Test
    void argumentsAreCheckedWithTheirNumbers() {
        double[] m = new double[2];
        double[] s = {1, 1};
        assertEquals("gram must hold k² = 9 and rhs k = 3 values", assertThrows(IllegalArgumentException.class,
                () -> CrossProducts.addRowMajor(new double[4], 2, 2, new double[2], m, s, true, 0, new double[8],
                        new double[3])).getMessage());
        assertEquals("gram must hold k² = 9 and rhs k = 3 values", assertThrows(IllegalArgumentException.class,
                () -> CrossProducts.addRowMajor(new double[4], 2, 2, new double[2], m, s, true, 0, new double[9],
                        new double[2])).getMessage());
        assertEquals("ldx (1) must be >= n (2)", assertThrows(IllegalArgumentException.class,
                () -> CrossProducts.addRowMajor(new double[4], 0, 1, 2, 2, new double[2], m, s, false, 0, new double[4],
                        new double[2])).getMessage());
        assertEquals("xOff must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
                () -> CrossProducts.addRowMajor(new double[4], -1, 2, 2, 2, new double[2], m, s, false, 0, new double[4],
                        new double[2])).getMessage());
        assertEquals("2 rows of 2 at stride 3 need 6 values of x and 2 of y, got 5 and 2",
                assertThrows(IllegalArgumentException.class, () -> CrossProducts.addRowMajor(new double[5], 1, 3, 2, 2,
                        new double[2], m, s, false, 0, new double[4], new double[2])).getMessage());
        assertEquals("2 rows of 2 at stride 2 need 4 values of x and 2 of y, got 4 and 1",
                assertThrows(IllegalArgumentException.class, () -> CrossProducts.addRowMajor(new double[4], 0, 2, 2, 2,
                        new double[1], m, s, false, 0, new double[4], new double[2])).getMessage());
        // exactly enough values (the last row needs only n after its start), and no rows at all
        CrossProducts.addRowMajor(new double[6], 1, 3, 2, 2, new double[2], m, s, false, 0, new double[4], new double[2]);
        // rows without features (n = 0) read no x: with an intercept, G = m and c = Σ(y − shift)
        double[] g1 = new double[1];
        double[] c1 = new double[1];
        CrossProducts.addRowMajor(new double[0], 0, 1, 3, 0, new double[]{1, 2, 6}, new double[0], new double[0], true, 1,
                g1, c1);
        assertEquals(3, g1[0]);
        assertEquals(6, c1[0]);
        CrossProducts.addRowMajor(new double[0], 0, 2, 0, 2, new double[0], m, s, false, 0, new double[4], new double[2]);
    }

    @Test
    void paddingAndBlockRows() {
        assertEquals(0, CrossProducts.padded(0));
        assertEquals(8, CrossProducts.padded(1));
        assertEquals(8, CrossProducts.padded(8));
        assertEquals(16, CrossProducts.padded(9));
        assertEquals(256, CrossProducts.blockRows(8), "4096/8 = 512, at most 256");
        assertEquals(256, CrossProducts.blockRows(16));
        assertEquals(170, CrossProducts.blockRows(24));
        assertEquals(128, CrossProducts.blockRows(32));
        assertEquals(128, CrossProducts.blockRows(64), "at least 128");
        assertEquals(256, CrossProducts.blockRows(0));
    }
}
