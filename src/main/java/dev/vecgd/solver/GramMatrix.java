package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentReader;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;

/**
 * The Gram matrix of the <b>standardized</b> design and its right-hand side, accumulated in one pass over X:
 * <pre>
 *   G = ÃᵀÃ / m,   c = Ãᵀ(y − ȳ·1) / m      (Ã = [X̃, 1] with an intercept, X̃ = (X − 1μᵀ)D; Ã = XD without;
 *                                             ȳ replaced by 0 without an intercept)
 * </pre>
 * Size k × k with k = n + 1 (intercept last) or k = n. Centering y does not change the solution: Ã·e_n = 1,
 * so a solution w' of the shifted system gives w = w' + ȳ e_n (the penalty never touches e_n). A column
 * with s_j = 0 (constant) is inactive: its row and column are zero except G_jj = 1, and c_j = 0, so its
 * coefficient is 0 as in the iterative solvers.
 *
 * <p>The pass is {@link CrossProducts}' blocked accumulation (rows standardized into a row-major scratch
 * block with the shifted target as a last column, then the register-blocked
 * {@link dev.vecgd.kernel.Kernels#gramAdd}: about m·(k+1)²/2 fused multiply-adds, the same bits at every vector
 * width), over heap or off-heap data, or through a {@link RowSource}.
 */
final class GramMatrix {

    final int k;
    final int n;
    final boolean intercept;
    /** G, k × k row-major, symmetric (both triangles filled). */
    final double[] g;
    /** c = Ãᵀ(y − shift)/m. */
    final double[] rhs;
    /** The y shift: ȳ with an intercept, else 0. */
    final double shift;
    final boolean[] active;

    private GramMatrix(int n, boolean intercept, double shift, double[] g, double[] rhs) {
        this.n = n;
        this.intercept = intercept;
        this.k = intercept ? n + 1 : n;
        this.g = g;
        this.rhs = rhs;
        this.shift = shift;
        this.active = new boolean[k];
    }

    /** Element access for the column-major pass (heap arrays or segments). */
    private interface Rows {
        double x(long i, int j);

        double y(long i);
    }

    /** One pass over X (and y). */
    static GramMatrix accumulate(Dataset data, Standardization s, boolean intercept, double yMean) {
        Matrix x = data.x();
        double[] a = x.data();
        int m = data.rows();
        int n = data.cols();
        if (x.layout() == Layout.ROW_MAJOR && n > 0) {
            int chunk = 32 * CrossProducts.BLOCK; // a multiple of the block: the same blocks as one call over all rows
            double[] yb = new double[Math.min(chunk, m)];
            return rowMajor(m, n, s, intercept, yMean, sink -> {
                for (int from = 0; from < m; from += chunk) {
                    int count = Math.min(chunk, m - from);
                    for (int r = 0; r < count; r++) yb[r] = data.y(from + r);
                    sink.add(a, x.offset() + from * x.ld(), x.ld(), count, yb);
                }
            });
        }
        return accumulate(m, n, new Rows() {
            @Override
            public double x(long i, int j) {
                return a[x.index((int) i, j)];
            }

            @Override
            public double y(long i) {
                return data.y((int) i);
            }
        }, s, intercept, yMean);
    }

    /** One pass over off-heap or mapped X (and y). */
    static GramMatrix accumulate(SegmentDataset data, Standardization s, boolean intercept, double yMean) {
        SegmentMatrix x = data.x();
        SegmentVector y = data.y();
        int n = data.cols();
        if (x.layout() == Layout.ROW_MAJOR && n > 0) {
            // heap copies of whole rows (SegmentReader), in chunks aligned to the blocks
            double[] yb = new double[SegmentReader.BUFFER];
            return rowMajor(data.rows(), n, s, intercept, yMean, sink -> SegmentReader.rows(x, (buf, ld, first, count) -> {
                for (int r = 0; r < count; r++) yb[r] = y.get(first + r);
                sink.add(buf, 0, ld, count, yb);
            }, CrossProducts.BLOCK));
        }
        return accumulate(data.rows(), n, new Rows() {
            @Override
            public double x(long i, int j) {
                return x.get(i, j);
            }

            @Override
            public double y(long i) {
                return y.get(i);
            }
        }, s, intercept, yMean);
    }

    /** Row-major chunks in row order, each a multiple of {@link CrossProducts#BLOCK} rows but the last. */
    private interface RowMajorChunks {
        void forEach(ChunkSink sink);
    }

    private interface ChunkSink {
        void add(double[] x, int xOff, int ldx, int rows, double[] y);
    }

    /** The pass over row-major data: {@link CrossProducts#addRowMajorAugmented} per chunk, one accumulator. */
    private static GramMatrix rowMajor(long m, int n, Standardization s, boolean intercept, double yMean,
                                       RowMajorChunks chunks) {
        int k = intercept ? n + 1 : n;
        int ld = CrossProducts.padded(k + 1);
        double shift = intercept ? yMean : 0;
        double[] mean = s.means();
        double[] scale = s.scales();
        double[] aug = new double[ld * ld];
        double[] buf = new double[CrossProducts.blockRows(ld) * ld];
        chunks.forEach((x, xOff, ldx, rows, y) ->
                CrossProducts.addRowMajorAugmented(x, xOff, ldx, rows, n, y, 0, mean, scale, intercept, shift, aug, buf));
        return fromAugmented(n, intercept, shift, s, m, aug);
    }

    /**
     * Column-major data: rows standardized element by element into a row-major block with the shifted target
     * last, then the Gram kernel on the augmented block (as {@link CrossProducts#addRowMajorAugmented}).
     */
    private static GramMatrix accumulate(long m, int n, Rows rows, Standardization s, boolean intercept, double yMean) {
        int k = intercept ? n + 1 : n;
        int ld = CrossProducts.padded(k + 1);
        double shift = intercept ? yMean : 0;
        double[] aug = new double[ld * ld];
        int block = CrossProducts.blockRows(ld);
        double[] buf = new double[block * ld]; // columns k + 1 … ld − 1 stay 0
        for (long from = 0; from < m; from += block) {
            int cnt = (int) Math.min(block, m - from);
            for (int r = 0; r < cnt; r++) {
                long i = from + r;
                int o = r * ld;
                for (int j = 0; j < n; j++) buf[o + j] = (rows.x(i, j) - s.mean(j)) * s.scale(j);
                if (intercept) buf[o + n] = 1;
                buf[o + k] = rows.y(i) - shift;
            }
            Kernels.gramAdd(buf, 0, ld, ld, cnt, aug, ld);
        }
        return fromAugmented(n, intercept, shift, s, m, aug);
    }

    /**
     * From the augmented sums (padded(k + 1)², upper triangle): the Gram matrix and Ãᵀ(y − shift); the last diagonal
     * entry, Σ(y − shift)², is not used.
     */
    static GramMatrix fromAugmented(int n, boolean intercept, double shift, Standardization s, long m,
                                            double[] aug) {
        int k = intercept ? n + 1 : n;
        int ld = CrossProducts.padded(k + 1);
        double[] gram = new double[k * k];
        double[] rhs = new double[k];
        for (int p = 0; p < k; p++) {
            System.arraycopy(aug, p * ld + p, gram, p * k + p, k - p);
            rhs[p] = aug[p * ld + k];
        }
        return fromSums(n, intercept, shift, s, m, gram, rhs);
    }

    /** One {@link RowSource#crossProductsAdd} pass (the source must support it). */
    static GramMatrix accumulate(RowSource data, Standardization s, boolean intercept, double yMean) {
        int n = data.cols();
        int k = intercept ? n + 1 : n;
        double shift = intercept ? yMean : 0;
        double[] mean = s.means();
        double[] scale = s.scales();
        double[] gram = new double[k * k];
        double[] rhs = new double[k];
        data.crossProductsAdd(mean, scale, intercept, shift, gram, rhs);
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                if (!Double.isFinite(gram[p * k + q])) {
                    throw new IllegalStateException("the source's cross products are not finite at (" + p + ", " + q + ")");
                }
            }
        }
        return fromSums(n, intercept, shift, s, data.rows(), gram, rhs);
    }

    /**
     * One {@link RowSource#weightedCrossProductsAdd} pass (the source must support it), the raw weights' sums scaled by
     * {@code m/W} (the normalized weights v = w·m/W of the weighted fit): {@code G = Σ v ã ãᵀ/m}, {@code c = Σ v ã (y −
     * shift)/m}.
     */
    static GramMatrix accumulateWeighted(RowSource data, Standardization s, boolean intercept, double yMean,
                                         double totalWeight) {
        int n = data.cols();
        int k = intercept ? n + 1 : n;
        double shift = intercept ? yMean : 0;
        double[] gram = new double[k * k];
        double[] rhs = new double[k];
        data.weightedCrossProductsAdd(s.means(), s.scales(), intercept, shift, gram, rhs);
        double f = data.rows() / totalWeight;
        for (int p = 0; p < k; p++) {
            rhs[p] *= f;
            for (int q = p; q < k; q++) {
                if (!Double.isFinite(gram[p * k + q])) {
                    throw new IllegalStateException("the source's weighted cross products are not finite at (" + p + ", "
                            + q + ")");
                }
                gram[p * k + q] *= f;
            }
        }
        return fromSums(n, intercept, shift, s, data.rows(), gram, rhs);
    }

    /**
     * From raw sums ({@link CrossProducts}): divides by m, fills the lower triangle, and makes the constant
     * columns (s_j = 0) inactive.
     *
     * @param gram k × k with the upper triangle summed; <b>kept</b> and modified
     * @param rhs  k sums; <b>kept</b> and modified
     */
    static GramMatrix fromSums(int n, boolean intercept, double shift, Standardization s, long m, double[] gram,
                               double[] rhs) {
        GramMatrix gm = new GramMatrix(n, intercept, shift, gram, rhs);
        int k = gm.k;
        for (int j = 0; j < n; j++) gm.active[j] = s.scale(j) != 0;
        if (intercept) gm.active[n] = true;
        for (int p = 0; p < k; p++) {
            gm.rhs[p] /= m;
            for (int q = p; q < k; q++) {
                double v = gm.g[p * k + q] / m;
                gm.g[p * k + q] = v;
                gm.g[q * k + p] = v;
            }
        }
        for (int p = 0; p < k; p++) {
            if (!gm.active[p]) {
                for (int q = 0; q < k; q++) {
                    gm.g[p * k + q] = 0;
                    gm.g[q * k + p] = 0;
                }
                gm.g[p * k + p] = 1;
                gm.rhs[p] = 0;
            }
        }
        return gm;
    }

    /** Number of active parameters (non-constant columns, + 1 with an intercept). */
    int activeCount() {
        int c = 0;
        for (boolean b : active) if (b) c++;
        return c;
    }

    /** H = G + λP (P: identity on the active coefficients, 0 on the intercept), a new k × k array. */
    double[] hessian(double l2) {
        double[] h = g.clone();
        if (l2 != 0) {
            for (int j = 0; j < n; j++) if (active[j]) h[j * k + j] += l2;
        }
        return h;
    }

    /**
     * Cholesky factor L (lower, row-major, H = LLᵀ) of a k × k symmetric matrix.
     *
     * @return L, or null when a pivot d_j ≤ k·ε·H_jj (not numerically positive definite); {@link #failedPivot}
     *         then names the column
     */
    static double[] cholesky(double[] h, int k, int[] failedPivot) {
        double[] l = new double[k * k];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q <= p; q++) {
                double s = h[p * k + q];
                for (int r = 0; r < q; r++) s -= l[p * k + r] * l[q * k + r];
                if (p == q) {
                    if (!(s > k * Math.ulp(1.0) * h[p * k + p])) {
                        failedPivot[0] = p;
                        return null;
                    }
                    l[p * k + p] = Math.sqrt(s);
                } else {
                    l[p * k + q] = s / l[q * k + q];
                }
            }
        }
        return l;
    }

    /** Solves LLᵀ x = b; returns x (b not modified). */
    static double[] solve(double[] l, int k, double[] b) {
        double[] z = new double[k];
        for (int p = 0; p < k; p++) {
            double s = b[p];
            for (int r = 0; r < p; r++) s -= l[p * k + r] * z[r];
            z[p] = s / l[p * k + p];
        }
        double[] x = new double[k];
        for (int p = k - 1; p >= 0; p--) {
            double s = z[p];
            for (int r = p + 1; r < k; r++) s -= l[r * k + p] * x[r];
            x[p] = s / l[p * k + p];
        }
        return x;
    }

    /** (LLᵀ)⁻¹, k × k row-major, column by column. */
    static double[] inverse(double[] l, int k) {
        double[] inv = new double[k * k];
        double[] e = new double[k];
        for (int c = 0; c < k; c++) {
            java.util.Arrays.fill(e, 0);
            e[c] = 1;
            double[] col = solve(l, k, e);
            for (int r = 0; r < k; r++) inv[r * k + c] = col[r];
        }
        return inv;
    }

    /** ‖A‖₁ (max column sum) of a k × k matrix. */
    static double norm1(double[] a, int k) {
        double max = 0;
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int r = 0; r < k; r++) s += Math.abs(a[r * k + c]);
            max = Math.max(max, s);
        }
        return max;
    }
}
