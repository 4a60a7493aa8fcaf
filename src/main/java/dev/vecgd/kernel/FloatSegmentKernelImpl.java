package dev.vecgd.kernel;

import java.lang.foreign.MemorySegment;

/**
 * {@link SegmentKernelImpl} over X stored as {@code float} ({@link ElementType#FLOAT32}): the same methods and
 * arguments (offsets, strides and rows are <b>element</b> indices; element (i, j) of X is the float at
 * element index {@code xOff + i*ldx + j} row-major, {@code xOff + j*ldx + i} column-major, byte
 * {@code 4 × index}); y, w, θ, g and every sum are doubles. Each float is widened to double before it is
 * used, so on the same (float-representable) numbers an implementation computes what its double counterpart
 * computes. A separate interface so that a double path never sees a float implementation (and its call
 * sites stay monomorphic); {@link SegmentKernels} dispatches on {@link SegmentMatrix#elementType()} once per call.
 */
interface FloatSegmentKernelImpl {

    String name();

    /** {@link SegmentKernelImpl#fusedRow} over float X. */
    double fusedRow(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                    MemorySegment y, long yOff, long yInc, double[] g, long from, int count);

    /** {@link SegmentKernelImpl#fusedCol} over float X. */
    double fusedCol(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                    MemorySegment y, long yOff, long yInc, double[] g, long from, int count);

    /** {@link SegmentKernelImpl#copyShiftedRows} from float X: {@code out = (double) x − shift}, the same bits as the reference. */
    void copyShiftedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift,
                         double[] out, int oOff, int ldo, double[] absMax);

    /** {@link SegmentKernelImpl#fusedWeightedRow} over float X. */
    double fusedWeightedRow(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b, MemorySegment y,
                            long yOff, long yInc, MemorySegment w, long wOff, long wInc, double[] g, long from, int count);

    /** {@link SegmentKernelImpl#fusedWeightedCol} over float X. */
    double fusedWeightedCol(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b, MemorySegment y,
                            long yOff, long yInc, MemorySegment w, long wOff, long wInc, double[] g, long from, int count);
}
