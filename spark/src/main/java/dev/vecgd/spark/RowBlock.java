package dev.vecgd.spark;

import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentKernels;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;
import dev.vecgd.kernel.StridedVector;

import java.io.Serializable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A block of rows of one partition, packed once into contiguous row-major {@code double[]} (what the
 * SIMD kernels read fastest) — or {@code float[]} ({@code float32} packing: half the bytes, each x rounded once
 * to the nearest float) — and cached by Spark. Immutable after packing.
 *
 * <p>float32 blocks run the float32 kernels ({@link SegmentKernels} on a float32 {@link SegmentMatrix}: each float
 * widened to double, every sum in double). Those kernels read native memory only (a heap {@code float[]} segment
 * slowed the native path by 76–84 % and is refused by the core), so each pass copies the block's floats and its y
 * (and w) into a per-thread native buffer, reused ({@code 4·rows·cols + 16·rows} bytes, 64-byte aligned), and runs
 * the kernel there; the cached block stays the {@code float[]}.
 */
final class RowBlock implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Most values of X per block (8 MiB of doubles, 4 MiB of floats): large enough to amortize a kernel call, small enough to pack. */
    static final int MAX_BLOCK_DOUBLES = 1 << 20;

    /** Each executor thread's native buffer for float32 blocks (grown when a block needs more). */
    private static final ThreadLocal<MemorySegment[]> SCRATCH = ThreadLocal.withInitial(() -> new MemorySegment[1]);

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

    /**
     * The float32 pass over this block in the calling thread's native buffer: X's floats at 0, then y (or zeros),
     * then w (weighted) as doubles; returns Σr² (or Σ w r²) and adds into g.
     */
    private double floatPass(double[] p, boolean withTargets, boolean weighted, double[] g) {
        long xBytes = (4L * xf.length + 63) / 64 * 64;
        long need = xBytes + 8L * rows * (weighted ? 2 : 1);
        MemorySegment[] holder = SCRATCH.get();
        MemorySegment s = holder[0];
        if (s == null || s.byteSize() < need) {
            s = Arena.ofAuto().allocate(Math.max(need, 64), 64);
            holder[0] = s;
        }
        MemorySegment.copy(xf, 0, s, ValueLayout.JAVA_FLOAT, 0, xf.length);
        if (withTargets) {
            MemorySegment.copy(y, 0, s, ValueLayout.JAVA_DOUBLE, xBytes, rows);
        } else {
            s.asSlice(xBytes, 8L * rows).fill((byte) 0);
        }
        SegmentMatrix xm = new SegmentMatrix(s, 0, rows, cols, Math.max(1, cols), dev.vecgd.kernel.Layout.ROW_MAJOR,
                dev.vecgd.kernel.ElementType.FLOAT32);
        SegmentVector yv = new SegmentVector(s, xBytes / 8, 1);
        if (!weighted) return SegmentKernels.lossGradientAdd(xm, p, p[cols], yv, g, 0, rows);
        long wOff = xBytes + 8L * rows;
        MemorySegment.copy(w, 0, s, ValueLayout.JAVA_DOUBLE, wOff, rows);
        return SegmentKernels.weightedLossGradientAdd(xm, p, p[cols], yv, new SegmentVector(s, wOff / 8, 1), g, 0, rows);
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
     * The weighted fused kernel over this block ({@link Kernels#weightedLossGradientAdd}): adds {@code Σ w r x_j}
     * and {@code Σ w r} into {@code g}, returns {@code Σ w r²}.
     */
    double weightedLossGradientAdd(double[] p, boolean withTargets, double[] g) {
        if (rows == 0) return 0;
        if (xf != null) return floatPass(p, withTargets, true, g);
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
     * The fused kernel over this block: adds {@code Xᵀr} and {@code Σr} into {@code g}, returns {@code Σr²}.
     *
     * @param p           coefficients then intercept, not modified
     * @param withTargets false: y ≡ 0
     * @param g           n + 1 sums, <b>modified</b> (added to)
     */
    double lossGradientAdd(double[] p, boolean withTargets, double[] g) {
        if (rows == 0) return 0;
        if (xf != null) return floatPass(p, withTargets, false, g);
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
