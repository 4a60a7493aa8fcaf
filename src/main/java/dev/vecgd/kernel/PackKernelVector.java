package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link PackKernelScalar}'s shifted copy on the Vector API: one vector of columns at a time down all rows
 * (the shift and the running max |z| stay in registers, the max is a one-cycle chain per row), the columns past
 * the last whole vector by the scalar code. The same bits as the reference (a subtraction and exact maxima per
 * element). No vector crosses a method of ours; each method is a handful of vector operations.
 */
final class PackKernelVector {

    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final int L = S.length();
    private static final ByteOrder BO = ByteOrder.nativeOrder();

    private PackKernelVector() {
    }

    static void copyShiftedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift,
                                double[] out, int oOff, int ldo, double[] absMax) {
        int full = S.loopBound(n);
        for (int j = 0; j < full; j += L) column(x, xOff + j, ldx, rows, shift, out, oOff + j, ldo, absMax, j);
        if (full < n) PackKernelScalar.copyColumns(x, xOff, ldx, rows, full, n, shift, out, oOff, ldo, absMax);
    }

    /** Columns [j, j + L) of every row. */
    private static void column(double[] x, int p, int ldx, int rows, double[] shift, double[] out, int o,
                               int ldo, double[] absMax, int j) {
        DoubleVector s = DoubleVector.fromArray(S, shift, j);
        DoubleVector mx = DoubleVector.fromArray(S, absMax, j);
        for (int r = 0; r < rows; r++, p += ldx, o += ldo) {
            DoubleVector z = DoubleVector.fromArray(S, x, p).sub(s);
            z.intoArray(out, o);
            mx = mx.max(z.abs());
        }
        mx.intoArray(absMax, j);
    }

    static void copyShiftedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift,
                                double[] out, int oOff, int ldo, double[] absMax) {
        int full = S.loopBound(n);
        for (int j = 0; j < full; j += L) column(x, xOff + j, ldx, rows, shift, out, oOff + j, ldo, absMax, j);
        if (full < n) PackKernelScalar.copyColumns(x, xOff, ldx, rows, full, n, shift, out, oOff, ldo, absMax);
    }

    private static void column(MemorySegment x, long p, long ldx, int rows, double[] shift, double[] out, int o,
                               int ldo, double[] absMax, int j) {
        DoubleVector s = DoubleVector.fromArray(S, shift, j);
        DoubleVector mx = DoubleVector.fromArray(S, absMax, j);
        for (int r = 0; r < rows; r++, p += ldx, o += ldo) {
            DoubleVector z = DoubleVector.fromMemorySegment(S, x, p * Double.BYTES, BO).sub(s);
            z.intoArray(out, o);
            mx = mx.max(z.abs());
        }
        mx.intoArray(absMax, j);
    }
}
