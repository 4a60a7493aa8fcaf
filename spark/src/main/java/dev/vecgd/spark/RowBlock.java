package dev.vecgd.spark;

import dev.vecgd.kernel.FloatKernels;
import dev.vecgd.kernel.FloatMatrix;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.StridedVector;

import java.io.Serializable;

/**
 * A block of rows of one partition, packed once into contiguous row-major {@code double[]} (what the
 * SIMD kernels read fastest) — or {@code float[]} ({@code float32} packing: half the bytes, each x rounded once
 * to the nearest float) — and cached by Spark. Immutable after packing.
 *
 * <p>float32 blocks run the heap float32 kernels ({@link FloatKernels} on a {@link FloatMatrix} over the block's
 * {@code float[]}: each float widened to double, every sum in double) in place: no copy per pass.
 */
final class RowBlock implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Most values of X per block (8 MiB of doubles, 4 MiB of floats): large enough to amortize a kernel call, small enough to pack. */
    static final int MAX_BLOCK_DOUBLES = 1 << 20;

    final int partition;
    final int rows;
    final int cols;
    /** rows × cols, row-major (float64 packing), or null. */
    final double[] x;
    /** rows × cols, row-major (float32 packing), or null. */
    final float[] xf;
    final double[] y;
    /** The rows' sample weights, or null (no weights). */
    final double[] w;
    /** Zero targets for the y ≡ 0 pass ({@code cg}'s Gram products); made on first use in each JVM. */
    private transient double[] zeros;

    RowBlock(int partition, int rows, int cols, double[] x, double[] y) {
        this(partition, rows, cols, x, y, null);
    }

    RowBlock(int partition, int rows, int cols, double[] x, double[] y, double[] w) {
        this(partition, rows, cols, x, null, y, w);
    }

    /** Exactly one of {@code x} (float64) and {@code xf} (float32) is not null. */
    RowBlock(int partition, int rows, int cols, double[] x, float[] xf, double[] y, double[] w) {
        if ((x == null) == (xf == null)) throw new IllegalArgumentException("a block holds X as double[] or as float[]");
        this.partition = partition;
        this.rows = rows;
        this.cols = cols;
        this.x = x;
        this.xf = xf;
        this.y = y;
        this.w = w;
    }

    /** True for a float32-packed block. */
    boolean isFloat32() {
        return xf != null;
    }

    /** Bytes of X held by this block: 8 or 4 per value. */
    long xBytes() {
        return xf != null ? 4L * xf.length : 8L * x.length;
    }

    /** X widened to a new row-major double[] (float32 blocks; the cross-products pass, once per fit). */
    double[] widenedX() {
        if (xf == null) return x;
        double[] d = new double[xf.length];
        for (int k = 0; k < d.length; k++) d[k] = xf[k];
        return d;
    }

    /** Feature (i, j) as a double. */
    private double xAt(int k) {
        return xf != null ? xf[k] : x[k];
    }

    /**
     * The weighted fused kernel over this block ({@link Kernels#weightedLossGradientAdd}, or
     * {@link FloatKernels#weightedLossGradientAdd} for float32 blocks): adds {@code Σ w r x_j}
     * and {@code Σ w r} into {@code g}, returns {@code Σ w r²}.
     */
    double weightedLossGradientAdd(double[] p, boolean withTargets, double[] g) {
        if (rows == 0) return 0;
        double[] t = withTargets ? y : zeros();
        if (xf != null) {
            return FloatKernels.weightedLossGradientAdd(FloatMatrix.rowMajor(xf, rows, cols), p, p[cols], StridedVector.of(t),
                    w, 0, null, 0, g, 0, rows);
        }
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
                double v = xAt(base + j);
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
     * The fused kernel over this block ({@link Kernels#lossGradientAdd}, or {@link FloatKernels#lossGradientAdd} for
     * float32 blocks): adds {@code Xᵀr} and {@code Σr} into {@code g}, returns {@code Σr²}.
     *
     * @param p           coefficients then intercept, not modified
     * @param withTargets false: y ≡ 0
     * @param g           n + 1 sums, <b>modified</b> (added to)
     */
    double lossGradientAdd(double[] p, boolean withTargets, double[] g) {
        if (rows == 0) return 0;
        double[] t = withTargets ? y : zeros();
        if (xf != null) {
            return FloatKernels.lossGradientAdd(FloatMatrix.rowMajor(xf, rows, cols), p, p[cols], StridedVector.of(t), g, 0,
                    rows);
        }
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
                double v = xAt(base + j);
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
