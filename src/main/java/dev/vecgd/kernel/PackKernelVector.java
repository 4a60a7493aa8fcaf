package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link PackKernelScalar}'s shifted copy on the Vector API: row by row (X is read in order, the way the
 * hardware prefetcher streams it; a column-by-column order read each row's cache lines in four strided passes and
 * was twice as slow at 10⁶ × 32), the running max |z| kept in absMax, the columns past the last whole vector by
 * the scalar code. The same bits as the reference (a subtraction and exact maxima per
 * element). No vector crosses a method of ours; each method is a handful of vector operations.
 */
final class PackKernelVector {

    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final int L = S.length();
    private static final ByteOrder BO = ByteOrder.nativeOrder();
    /** L floats (half the bits of S): one load widens to one vector of doubles. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));

    private PackKernelVector() {
    }

    static void copyShiftedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift,
                                double[] out, int oOff, int ldo, double[] absMax) {
        int full = S.loopBound(n);
        if (full > 0) {
            for (int r = 0; r < rows; r++) row(x, xOff + r * ldx, full, shift, out, oOff + r * ldo, absMax);
        }
        if (full < n) PackKernelScalar.copyColumns(x, xOff, ldx, rows, full, n, shift, out, oOff, ldo, absMax);
    }

    /** The whole vectors of one row; absMax is updated in memory (a short store-to-load chain per vector of columns). */
    private static void row(double[] x, int p, int full, double[] shift, double[] out, int o, double[] absMax) {
        for (int j = 0; j < full; j += L) {
            DoubleVector z = DoubleVector.fromArray(S, x, p + j).sub(DoubleVector.fromArray(S, shift, j));
            z.intoArray(out, o + j);
            DoubleVector.fromArray(S, absMax, j).max(z.abs()).intoArray(absMax, j);
        }
    }

    static void copyShiftedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift,
                                double[] out, int oOff, int ldo, double[] absMax) {
        int full = S.loopBound(n);
        if (full > 0) {
            for (int r = 0; r < rows; r++) row(x, xOff + r * ldx, full, shift, out, oOff + r * ldo, absMax);
        }
        if (full < n) PackKernelScalar.copyColumns(x, xOff, ldx, rows, full, n, shift, out, oOff, ldo, absMax);
    }

    private static void row(MemorySegment x, long p, int full, double[] shift, double[] out, int o, double[] absMax) {
        for (int j = 0; j < full; j += L) {
            DoubleVector z = DoubleVector.fromMemorySegment(S, x, (p + j) * Double.BYTES, BO)
                    .sub(DoubleVector.fromArray(S, shift, j));
            z.intoArray(out, o + j);
            DoubleVector.fromArray(S, absMax, j).max(z.abs()).intoArray(absMax, j);
        }
    }

    /** {@link PackKernelScalar#copyWeightedRows}: row by row, whole vectors of columns, the rest by the scalar code. */
    static void copyWeightedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift, double[] scale,
                                 double[] sw, int swOff, double[] out, int oOff, int ldo) {
        int full = S.loopBound(n);
        if (full > 0) {
            for (int r = 0; r < rows; r++) {
                weightedRow(x, xOff + r * ldx, full, shift, scale, sw[swOff + r], out, oOff + r * ldo);
            }
        }
        if (full < n) {
            PackKernelScalar.weightedColumns(x, xOff, ldx, rows, full, n, shift, scale, sw, swOff, out, oOff, ldo);
        }
    }

    private static void weightedRow(double[] x, int p, int full, double[] shift, double[] scale, double w,
                                    double[] out, int o) {
        for (int j = 0; j < full; j += L) {
            DoubleVector.fromArray(S, x, p + j).sub(DoubleVector.fromArray(S, shift, j))
                    .mul(DoubleVector.fromArray(S, scale, j)).mul(w).intoArray(out, o + j);
        }
    }

    static void copyWeightedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift, double[] scale,
                                 double[] sw, int swOff, double[] out, int oOff, int ldo) {
        int full = S.loopBound(n);
        if (full > 0) {
            for (int r = 0; r < rows; r++) {
                weightedRow(x, xOff + r * ldx, full, shift, scale, sw[swOff + r], out, oOff + r * ldo);
            }
        }
        if (full < n) {
            PackKernelScalar.weightedColumns(x, xOff, ldx, rows, full, n, shift, scale, sw, swOff, out, oOff, ldo);
        }
    }

    private static void weightedRow(MemorySegment x, long p, int full, double[] shift, double[] scale, double w,
                                    double[] out, int o) {
        for (int j = 0; j < full; j += L) {
            DoubleVector.fromMemorySegment(S, x, (p + j) * Double.BYTES, BO).sub(DoubleVector.fromArray(S, shift, j))
                    .mul(DoubleVector.fromArray(S, scale, j)).mul(w).intoArray(out, o + j);
        }
    }

    /** The same from float X (element index {@code xOff + r·ldx + j}, 4 bytes each), each float widened to double. */
    static void copyShiftedFloatRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift,
                                     double[] out, int oOff, int ldo, double[] absMax) {
        int full = S.loopBound(n);
        if (full > 0) {
            for (int r = 0; r < rows; r++) floatRow(x, xOff + r * ldx, full, shift, out, oOff + r * ldo, absMax);
        }
        if (full < n) PackKernelScalar.copyFloatColumns(x, xOff, ldx, rows, full, n, shift, out, oOff, ldo, absMax);
    }

    private static void floatRow(MemorySegment x, long p, int full, double[] shift, double[] out, int o, double[] absMax) {
        for (int j = 0; j < full; j += L) {
            DoubleVector z = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + j) * Float.BYTES, BO)
                    .convertShape(VectorOperators.F2D, S, 0)).sub(DoubleVector.fromArray(S, shift, j));
            z.intoArray(out, o + j);
            DoubleVector.fromArray(S, absMax, j).max(z.abs()).intoArray(absMax, j);
        }
    }

    /** The same from a heap {@code float[]} (element index {@code xOff + r·ldx + j}), each float widened to double. */
    static void copyShiftedFloatRows(float[] x, int xOff, int ldx, int rows, int n, double[] shift,
                                     double[] out, int oOff, int ldo, double[] absMax) {
        int full = S.loopBound(n);
        if (full > 0) {
            for (int r = 0; r < rows; r++) floatRow(x, xOff + r * ldx, full, shift, out, oOff + r * ldo, absMax);
        }
        if (full < n) PackKernelScalar.copyFloatColumns(x, xOff, ldx, rows, full, n, shift, out, oOff, ldo, absMax);
    }

    private static void floatRow(float[] x, int p, int full, double[] shift, double[] out, int o, double[] absMax) {
        for (int j = 0; j < full; j += L) {
            DoubleVector z = ((DoubleVector) FloatVector.fromArray(F, x, p + j)
                    .convertShape(VectorOperators.F2D, S, 0)).sub(DoubleVector.fromArray(S, shift, j));
            z.intoArray(out, o + j);
            DoubleVector.fromArray(S, absMax, j).max(z.abs()).intoArray(absMax, j);
        }
    }
}
