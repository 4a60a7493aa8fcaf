package dev.vecgd.solver;

import dev.vecgd.kernel.Kernels;

/**
 * Cross products of <b>standardized</b> rows, the one pass behind the normal equations and the standard
 * errors ({@link RowSource#crossProductsAdd}, and the heap Gram matrix):
 * <pre>
 *   a_i = ((x_i0 − μ_0)·s_0, …, (x_i,n−1 − μ_n−1)·s_n−1 [, 1])        k = n + 1 with an intercept, else n
 *   gram[p·k + q] += Σ_i a_ip·a_iq      for q ≥ p (the upper triangle only; the rest is not touched)
 *   rhs[p]        += Σ_i a_ip·(y_i − shift)
 * </pre>
 * Rows are standardized {@value #BLOCK} at a time (plain Java) into a column-major scratch block, then the
 * triangle is updated by {@link Kernels#crossProductsAdd} (SIMD with the Vector API; about m·k²/2
 * multiply-adds). Blocks are added in order and each kernel call is deterministic, so the pass is too.
 */
public final class CrossProducts {

    /** Rows standardized per scratch block. */
    public static final int BLOCK = 128;

    private CrossProducts() {
    }

    /**
     * Adds the cross products of the rows of a row-major block.
     *
     * @param x         rows × n, row-major (leading dimension n), not modified
     * @param rows      number of rows
     * @param n         features
     * @param y         the rows' targets, not modified
     * @param mean      μ (n values), not modified
     * @param scale     s (n values), not modified
     * @param intercept true: a column of ones last (k = n + 1)
     * @param shift     subtracted from y (ȳ with an intercept, 0 without)
     * @param gram      k × k, row-major, <b>modified</b>: upper triangle added to
     * @param rhs       k values, <b>modified</b> (added to)
     */
    public static void addRowMajor(double[] x, int rows, int n, double[] y, double[] mean, double[] scale,
                                   boolean intercept, double shift, double[] gram, double[] rhs) {
        addRowMajor(x, 0, n, rows, n, y, mean, scale, intercept, shift, gram, rhs);
    }

    /**
     * {@link #addRowMajor(double[], int, int, double[], double[], double[], boolean, double, double[], double[])}
     * with row i's features at {@code x[xOff + i·ldx .. xOff + i·ldx + n)}.
     */
    public static void addRowMajor(double[] x, int xOff, int ldx, int rows, int n, double[] y, double[] mean,
                                   double[] scale, boolean intercept, double shift, double[] gram, double[] rhs) {
        int k = intercept ? n + 1 : n;
        if (gram.length < k * k || rhs.length < k) {
            throw new IllegalArgumentException("gram must hold k² = " + (k * k) + " and rhs k = " + k + " values");
        }
        if (ldx < n) throw new IllegalArgumentException("ldx (" + ldx + ") must be >= n (" + n + ")");
        if (xOff < 0) throw new IllegalArgumentException("xOff must be >= 0, got " + xOff);
        long need = rows == 0 ? 0 : xOff + (long) (rows - 1) * ldx + n;
        if (x.length < need || y.length < rows) {
            throw new IllegalArgumentException(rows + " rows of " + n + " at stride " + ldx + " need " + need
                    + " values of x and " + rows + " of y, got " + x.length + " and " + y.length);
        }
        double[] buf = new double[k * BLOCK];
        double[] yb = new double[BLOCK];
        for (int from = 0; from < rows; from += BLOCK) {
            int cnt = Math.min(BLOCK, rows - from);
            Kernels.standardizeRowsToColumns(x, xOff + from * ldx, ldx, cnt, n, mean, scale, buf, BLOCK);
            for (int r = 0; r < cnt; r++) {
                if (intercept) buf[n * BLOCK + r] = 1;
                yb[r] = y[from + r] - shift;
            }
            addBlock(buf, yb, cnt, k, gram, rhs);
        }
    }

    /**
     * The triangle update of one scratch block.
     *
     * @param buf column-major standardized block: {@code buf[p·BLOCK + r]}, p &lt; k, r &lt; cnt; not modified
     * @param yb  shifted targets of the block, not modified
     */
    static void addBlock(double[] buf, double[] yb, int cnt, int k, double[] gram, double[] rhs) {
        Kernels.crossProductsAdd(buf, BLOCK, k, cnt, yb, gram, rhs);
    }
}
