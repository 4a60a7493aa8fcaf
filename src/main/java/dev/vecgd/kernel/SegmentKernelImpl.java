package dev.vecgd.kernel;

import java.lang.foreign.MemorySegment;

/**
 * The fused kernel over off-heap segments, one method per layout; implementations trust their
 * arguments ({@link SegmentKernels} checks them). All offsets, strides and row numbers are
 * <b>element</b> indices ({@code long}); a call covers the rows {@code [from, from + count)}, so
 * inner loops can count rows with an {@code int}.
 *
 * <p>Element (i, j) of X is at element index {@code xOff + i*ldx + j} (row-major) or
 * {@code xOff + j*ldx + i} (column-major); the target of row i at {@code yOff + i*yInc}.
 * {@code g[j] += Σ r_i x_ij} (j &lt; n), {@code g[n] += Σ r_i}; returns {@code Σ r_i²}.
 *
 * <p>An implementation reads one element type ({@link #elementType()}): float64 X (the double kernels) or
 * float32 X (the float kernels, which widen every float to double before using it). {@link SegmentKernels}
 * hands each matrix to the implementation of its type; y, θ, g and every sum are double in both.
 */
interface SegmentKernelImpl {

    String name();

    /** The element type of X this implementation reads. */
    ElementType elementType();

    double fusedRow(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                    MemorySegment y, long yOff, long yInc, double[] g, long from, int count);

    double fusedCol(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                    MemorySegment y, long yOff, long yInc, double[] g, long from, int count);

    /** {@link KernelImpl#copyShiftedRows} from a segment (element indices); the same bits as the heap version. */
    default void copyShiftedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift,
                                 double[] out, int oOff, int ldo, double[] absMax) {
        PackKernelScalar.copyShiftedRows(x, xOff, ldx, rows, n, shift, out, oOff, ldo, absMax);
    }

    /** {@link KernelImpl#copyWeightedRows} from a segment (element indices); the same bits as the heap version. */
    default void copyWeightedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift, double[] scale,
                                  double[] sw, int swOff, double[] out, int oOff, int ldo) {
        PackKernelScalar.copyWeightedRows(x, xOff, ldx, rows, n, shift, scale, sw, swOff, out, oOff, ldo);
    }

    /**
     * The weighted pass: {@code g[j] += Σ w_i r_i x_ij} (j &lt; n), {@code g[n] += Σ w_i r_i}; returns
     * {@code Σ w_i r_i²}, {@code w_i} at element index {@code wOff + i*wInc} of w.
     */
    double fusedWeightedRow(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b, MemorySegment y,
                            long yOff, long yInc, MemorySegment w, long wOff, long wInc, double[] g, long from, int count);

    /** Column-major {@link #fusedWeightedRow}. */
    double fusedWeightedCol(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b, MemorySegment y,
                            long yOff, long yInc, MemorySegment w, long wOff, long wInc, double[] g, long from, int count);
}
