package dev.vecgd.spark;

import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.StridedVector;

import java.io.Serializable;

/**
 * A block of rows of one partition, packed once into contiguous row-major {@code double[]} (what the
 * SIMD kernels read fastest) and cached by Spark. Immutable after packing.
 */
final class RowBlock implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Most doubles per block (8 MiB of X): large enough to amortize a kernel call, small enough to pack. */
    static final int MAX_BLOCK_DOUBLES = 1 << 20;

    final int partition;
    final int rows;
    final int cols;
    /** rows × cols, row-major. */
    final double[] x;
    final double[] y;
    /** The rows' sample weights, or null (no weights). */
    final double[] w;
    /** Zero targets for the y ≡ 0 pass ({@code cg}'s Gram products); made on first use in each JVM. */
    private transient double[] zeros;

    RowBlock(int partition, int rows, int cols, double[] x, double[] y) {
        this(partition, rows, cols, x, y, null);
    }

    RowBlock(int partition, int rows, int cols, double[] x, double[] y, double[] w) {
        this.partition = partition;
        this.rows = rows;
        this.cols = cols;
        this.x = x;
        this.y = y;
        this.w = w;
    }

    /**
     * The weighted fused kernel over this block ({@link Kernels#weightedLossGradientAdd}): adds {@code Σ w r x_j}
     * and {@code Σ w r} into {@code g}, returns {@code Σ w r²}.
     */
    double weightedLossGradientAdd(double[] p, boolean withTargets, double[] g) {
        if (rows == 0) return 0;
        double[] t = withTargets ? y : zeros();
        return Kernels.weightedLossGradientAdd(Matrix.rowMajor(x, rows, cols), p, p[cols], StridedVector.of(t), w, 0,
                null, 0, g, 0, rows);
    }

    /**
     * Adds weighted column moments ({@link dev.vecgd.solver.RowSource#weightedMoments}): Σ w v or Σ w (v − c)², v
     * over the features then y, and Σ w at index n + 1, in row order.
     */
    void weightedMomentsAdd(double[] center, double[] out) {
        int n = cols;
        for (int i = 0; i < rows; i++) {
            int base = i * n;
            double wi = w[i];
            for (int j = 0; j < n; j++) {
                double v = x[base + j];
                if (center == null) {
                    out[j] += wi * v;
                } else {
                    double d = v - center[j];
                    out[j] += wi * d * d;
                }
            }
            double v = y[i];
            if (center == null) {
                out[n] += wi * v;
            } else {
                double d = v - center[n];
                out[n] += wi * d * d;
            }
            out[n + 1] += wi;
        }
    }

    /** Rows per block for n features. */
    static int blockRows(int cols) {
        return Math.max(1, MAX_BLOCK_DOUBLES / Math.max(1, cols));
    }

    /**
     * The fused kernel over this block: adds {@code Xᵀr} and {@code Σr} into {@code g}, returns {@code Σr²}.
     *
     * @param p           coefficients then intercept, not modified
     * @param withTargets false: y ≡ 0
     * @param g           n + 1 sums, <b>modified</b> (added to)
     */
    double lossGradientAdd(double[] p, boolean withTargets, double[] g) {
        if (rows == 0) return 0;
        double[] t = withTargets ? y : zeros();
        return Kernels.lossGradientAdd(Matrix.rowMajor(x, rows, cols), p, p[cols], StridedVector.of(t), g, 0, rows);
    }

    private double[] zeros() {
        double[] z = zeros;
        if (z == null) {
            z = new double[rows];
            zeros = z;
        }
        return z;
    }

    /**
     * Adds column moments ({@link dev.vecgd.solver.RowSource#moments}): Σ v or Σ (v − c)², v over the
     * features then y, in row order.
     */
    void momentsAdd(double[] center, double[] out) {
        int n = cols;
        for (int i = 0; i < rows; i++) {
            int base = i * n;
            for (int j = 0; j < n; j++) {
                double v = x[base + j];
                if (center == null) {
                    out[j] += v;
                } else {
                    double d = v - center[j];
                    out[j] += d * d;
                }
            }
            double v = y[i];
            if (center == null) {
                out[n] += v;
            } else {
                double d = v - center[n];
                out[n] += d * d;
            }
        }
    }
}
