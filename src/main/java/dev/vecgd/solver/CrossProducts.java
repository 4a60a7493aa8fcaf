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
 * Rows are standardized a block at a time (plain Java) into a row-major scratch block with the shifted
 * target as a last column, and the triangle of the augmented (k + 1) × (k + 1) Gram matrix is updated by the
 * register-blocked {@link Kernels#gramAdd} (SIMD with the Vector API; about m·(k+1)²/2 fused multiply-adds).
 * Every entry is one fma chain in row order: the pass gives the same bits at every vector width, for every
 * block size and every way of cutting the rows into chunks.
 */
public final class CrossProducts {

    /**
     * Row chunks that callers align to (kept for them; the result no longer depends on the alignment, see
     * {@link #addRowMajorAugmented}).
     */
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
        long need = rows == 0 || n == 0 ? 0 : xOff + (long) (rows - 1) * ldx + n; // n = 0 reads no x
        if (x.length < need || y.length < rows) {
            throw new IllegalArgumentException(rows + " rows of " + n + " at stride " + ldx + " need " + need
                    + " values of x and " + rows + " of y, got " + x.length + " and " + y.length);
        }
        int ld = padded(k + 1);
        double[] aug = new double[ld * ld];
        for (int p = 0; p < k; p++) {
            System.arraycopy(gram, p * k + p, aug, p * ld + p, k - p);
            aug[p * ld + k] = rhs[p];
        }
        addRowMajorAugmented(x, xOff, ldx, rows, n, y, 0, mean, scale, intercept, shift, aug, new double[blockRows(ld) * ld]);
        for (int p = 0; p < k; p++) {
            System.arraycopy(aug, p * ld + p, gram, p * k + p, k - p);
            rhs[p] = aug[p * ld + k];
        }
    }

    /**
     * Rows packed per block of the augmented Gram pass: about 32 KiB (so the block stays in L1 while every
     * register tile of C streams through it), but at least 128 rows (for wide rows the tiles' loads and stores
     * of C are then amortized over enough rows: measured at k = 256, 512-bit, 31 GFMA/s at 32 rows, 47 at 128)
     * and at most 256. The block size does not change the result: {@link Kernels#gramAdd} sums each entry in
     * row order whatever the cuts.
     */
    public static int blockRows(int width) {
        return blockRowsOf(width);
    }

    /**
     * The row stride of the packed block: w rounded up to a multiple of 8 (zero columns), so the Gram kernel
     * covers every column with whole vector strips at 8, 4 and 2 lanes — the columns past the last whole vector
     * would otherwise be summed entry by entry, one latency-bound fma chain each (measured: the one-pass normal at
     * n = 32, w = 34, spent 105 ms per 10⁶ rows in them, against ≈ 17 ms for the vector tiles).
     */
    public static int padded(int w) {
        return (w + 7) & ~7;
    }

    private static int blockRowsOf(int width) {
        return Math.max(128, Math.min(256, 4096 / Math.max(1, width)));
    }

    /**
     * The augmented pass: the standardized rows with their shifted target as one more column,
     * {@code b_i = (a_i, y_i − shift)} (w = k + 1 values), packed {@link #blockRows} at a time into a row-major
     * block, and the upper triangle of {@code aug += Σ_i b_i b_iᵀ} updated by {@link Kernels#gramAdd}: entry
     * (p, q) with p ≤ q &lt; k is the Gram matrix, (p, k) the right-hand side Ãᵀ(y − shift), (k, k) the sum
     * of squares of the shifted targets. Each entry is one fma chain in row order, so the result does not
     * depend on how the rows are cut into calls (nor on the vector width).
     *
     * @param y    the rows' targets from {@code y[yOff]}, not modified
     * @param aug  ld × ld row-major with ld = {@link #padded}(w), <b>modified</b> (upper triangle added to; the
     *             entries past w stay 0)
     * @param buf  scratch of at least {@code blockRows(ld)·ld} values whose columns w … ld − 1 are 0 (a new array),
     *             overwritten elsewhere
     */
    public static void addRowMajorAugmented(double[] x, int xOff, int ldx, int rows, int n, double[] y, int yOff,
                                            double[] mean, double[] scale, boolean intercept, double shift,
                                            double[] aug, double[] buf) {
        int k = intercept ? n + 1 : n;
        int ld = padded(k + 1);
        int block = blockRows(ld);
        for (int from = 0; from < rows; from += block) {
            int cnt = Math.min(block, rows - from);
            for (int r = 0; r < cnt; r++) {
                int base = xOff + (from + r) * ldx;
                int o = r * ld;
                for (int j = 0; j < n; j++) buf[o + j] = (x[base + j] - mean[j]) * scale[j];
                if (intercept) buf[o + n] = 1;
                buf[o + k] = y[yOff + from + r] - shift;
            }
            Kernels.gramAdd(buf, 0, ld, ld, cnt, aug, ld);
        }
    }

    /**
     * Adds the <b>weighted</b> cross products of the rows of a row-major block (a weighted Gram pass):
     * <pre>
     *   gram[p·k + q] += Σ_i w_i·a_ip·a_iq      for q ≥ p (the upper triangle only)
     *   rhs[p]        += Σ_i w_i·a_ip·(y_i − shift)
     * </pre>
     * with a_i as in {@link #addRowMajor}. Computed as the unweighted pass over the rows scaled by √w_i (packed by
     * {@link Kernels#copyWeightedRows}, then {@link Kernels#gramAdd}): each entry one fma chain in row order, so the
     * result does not depend on the vector width or on how the rows are cut into calls; it equals the plain
     * {@code Σ w a a} to rounding (√w·√w is w to an ulp).
     *
     * @param w one weight per row, finite and ≥ 0 (0 leaves the row out), not modified
     * @throws IllegalArgumentException for a negative or non-finite weight (naming its row), or arrays too short
     */
    public static void addRowMajorWeighted(double[] x, int xOff, int ldx, int rows, int n, double[] y, double[] w,
                                           double[] mean, double[] scale, boolean intercept, double shift,
                                           double[] gram, double[] rhs) {
        int k = intercept ? n + 1 : n;
        if (gram.length < k * k || rhs.length < k) {
            throw new IllegalArgumentException("gram must hold k² = " + (k * k) + " and rhs k = " + k + " values");
        }
        if (ldx < n) throw new IllegalArgumentException("ldx (" + ldx + ") must be >= n (" + n + ")");
        if (xOff < 0) throw new IllegalArgumentException("xOff must be >= 0, got " + xOff);
        long need = rows == 0 || n == 0 ? 0 : xOff + (long) (rows - 1) * ldx + n; // n = 0 reads no x
        if (x.length < need || y.length < rows || w.length < rows) {
            throw new IllegalArgumentException(rows + " rows of " + n + " at stride " + ldx + " need " + need
                    + " values of x and " + rows + " of y and w, got " + x.length + ", " + y.length + " and " + w.length);
        }
        for (int i = 0; i < rows; i++) {
            if (!(w[i] >= 0) || !Double.isFinite(w[i])) {
                throw new IllegalArgumentException("the sample weight of row " + i + " is " + w[i]
                        + ": weights must be finite and >= 0");
            }
        }
        int ld = padded(k + 1);
        double[] aug = new double[ld * ld];
        for (int p = 0; p < k; p++) {
            System.arraycopy(gram, p * k + p, aug, p * ld + p, k - p);
            aug[p * ld + k] = rhs[p];
        }
        int block = blockRows(ld);
        addRowMajorAugmentedWeighted(x, xOff, ldx, rows, n, y, 0, w, 0, mean, scale, intercept, shift, aug,
                new double[block * ld], new double[block]);
        for (int p = 0; p < k; p++) {
            System.arraycopy(aug, p * ld + p, gram, p * k + p, k - p);
            rhs[p] = aug[p * ld + k];
        }
    }

    /**
     * The weighted augmented pass: {@code b_i = √w_i·(a_i, y_i − shift)} packed {@link #blockRows} at a time
     * ({@link Kernels#copyWeightedRows} for the features, the intercept column √w_i and the target here), then
     * {@code aug += Σ_i b_i b_iᵀ} by {@link Kernels#gramAdd} (entry (k, k): {@code Σ w_i (y_i − shift)²}).
     *
     * @param w    the rows' weights from {@code w[wOff]} (finite, ≥ 0; not checked here), not modified
     * @param aug  ld × ld as in {@link #addRowMajorAugmented}, <b>modified</b>
     * @param buf  scratch as in {@link #addRowMajorAugmented}
     * @param sw   scratch of at least {@code blockRows(ld)} values, overwritten
     */
    static void addRowMajorAugmentedWeighted(double[] x, int xOff, int ldx, int rows, int n, double[] y, int yOff,
                                             double[] w, int wOff, double[] mean, double[] scale, boolean intercept,
                                             double shift, double[] aug, double[] buf, double[] sw) {
        int k = intercept ? n + 1 : n;
        int ld = padded(k + 1);
        int block = blockRows(ld);
        for (int from = 0; from < rows; from += block) {
            int cnt = Math.min(block, rows - from);
            for (int r = 0; r < cnt; r++) sw[r] = Math.sqrt(w[wOff + from + r]);
            Kernels.copyWeightedRows(x, xOff + from * ldx, ldx, cnt, n, mean, scale, sw, 0, buf, 0, ld);
            finishWeightedBlock(buf, ld, cnt, n, intercept, sw, y, yOff + from, shift);
            Kernels.gramAdd(buf, 0, ld, ld, cnt, aug, ld);
        }
    }

    /** The intercept column (√w_i) and the target column (√w_i·(y_i − shift)) of a packed weighted block. */
    static void finishWeightedBlock(double[] buf, int ld, int cnt, int n, boolean intercept, double[] sw, double[] y,
                                    int yOff, double shift) {
        int k = intercept ? n + 1 : n;
        for (int r = 0; r < cnt; r++) {
            int o = r * ld;
            if (intercept) buf[o + n] = sw[r];
            buf[o + k] = (y[yOff + r] - shift) * sw[r];
        }
    }
}
