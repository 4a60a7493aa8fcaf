package dev.vecgd.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The reference shifted copy of row-major rows into a packed block (the packing step of a Gram pass):
 * <pre>
 *   out[oOff + r·ldo + j] = x_rj − shift[j]                      for r &lt; rows, j &lt; n
 *   absMax[j]             = max(absMax[j], |out[oOff + r·ldo + j]|)
 * </pre>
 * One rounded subtraction per element and exact maxima, so every implementation gives the same bits.
 *
 * <p>The <b>weighted</b> packing of a weighted Gram pass (each row scaled by the square root of its weight, so that
 * the Gram kernel's Σ b_i b_iᵀ is Σ w_i a_i a_iᵀ):
 * <pre>
 *   out[oOff + r·ldo + j] = ((x_rj − shift[j])·scale[j])·sw[swOff + r]      for r &lt; rows, j &lt; n
 * </pre>
 * three rounded operations in that order per element (no fused multiply-add), so every implementation gives the
 * same bits.
 */
final class PackKernelScalar {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private PackKernelScalar() {
    }

    static void copyShiftedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift,
                                double[] out, int oOff, int ldo, double[] absMax) {
        copyColumns(x, xOff, ldx, rows, 0, n, shift, out, oOff, ldo, absMax);
    }

    /** Columns [j0, j1) only: the vector kernel's columns past its last whole vector. */
    static void copyColumns(double[] x, int xOff, int ldx, int rows, int j0, int j1, double[] shift,
                            double[] out, int oOff, int ldo, double[] absMax) {
        for (int j = j0; j < j1; j++) {
            double s = shift[j];
            double mx = absMax[j];
            for (int r = 0; r < rows; r++) {
                double z = x[xOff + r * ldx + j] - s;
                out[oOff + r * ldo + j] = z;
                mx = Math.max(mx, Math.abs(z));
            }
            absMax[j] = mx;
        }
    }

    /** The same from a segment: element (r, j) at element index {@code xOff + r·ldx + j}. */
    static void copyShiftedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift,
                                double[] out, int oOff, int ldo, double[] absMax) {
        copyColumns(x, xOff, ldx, rows, 0, n, shift, out, oOff, ldo, absMax);
    }

    static void copyColumns(MemorySegment x, long xOff, long ldx, int rows, int j0, int j1, double[] shift,
                            double[] out, int oOff, int ldo, double[] absMax) {
        for (int j = j0; j < j1; j++) {
            double s = shift[j];
            double mx = absMax[j];
            for (int r = 0; r < rows; r++) {
                double z = x.getAtIndex(D, xOff + r * ldx + j) - s;
                out[oOff + r * ldo + j] = z;
                mx = Math.max(mx, Math.abs(z));
            }
            absMax[j] = mx;
        }
    }

    static void copyWeightedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift, double[] scale,
                                 double[] sw, int swOff, double[] out, int oOff, int ldo) {
        weightedColumns(x, xOff, ldx, rows, 0, n, shift, scale, sw, swOff, out, oOff, ldo);
    }

    /** Columns [j0, j1) of the weighted packing only: the vector kernel's columns past its last whole vector. */
    static void weightedColumns(double[] x, int xOff, int ldx, int rows, int j0, int j1, double[] shift,
                                double[] scale, double[] sw, int swOff, double[] out, int oOff, int ldo) {
        for (int r = 0; r < rows; r++) {
            double w = sw[swOff + r];
            int p = xOff + r * ldx;
            int o = oOff + r * ldo;
            for (int j = j0; j < j1; j++) out[o + j] = ((x[p + j] - shift[j]) * scale[j]) * w;
        }
    }

    /** The weighted packing from a segment: element (r, j) at element index {@code xOff + r·ldx + j}. */
    static void copyWeightedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift, double[] scale,
                                 double[] sw, int swOff, double[] out, int oOff, int ldo) {
        weightedColumns(x, xOff, ldx, rows, 0, n, shift, scale, sw, swOff, out, oOff, ldo);
    }

    static void weightedColumns(MemorySegment x, long xOff, long ldx, int rows, int j0, int j1, double[] shift,
                                double[] scale, double[] sw, int swOff, double[] out, int oOff, int ldo) {
        for (int r = 0; r < rows; r++) {
            double w = sw[swOff + r];
            long p = xOff + r * ldx;
            int o = oOff + r * ldo;
            for (int j = j0; j < j1; j++) out[o + j] = ((x.getAtIndex(D, p + j) - shift[j]) * scale[j]) * w;
        }
    }

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** The same from float X: element (r, j) is the float at element index {@code xOff + r·ldx + j}, widened. */
    static void copyShiftedFloatRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift,
                                     double[] out, int oOff, int ldo, double[] absMax) {
        copyFloatColumns(x, xOff, ldx, rows, 0, n, shift, out, oOff, ldo, absMax);
    }

    static void copyFloatColumns(MemorySegment x, long xOff, long ldx, int rows, int j0, int j1, double[] shift,
                                 double[] out, int oOff, int ldo, double[] absMax) {
        for (int j = j0; j < j1; j++) {
            double s = shift[j];
            double mx = absMax[j];
            for (int r = 0; r < rows; r++) {
                double z = (double) x.getAtIndex(F, xOff + r * ldx + j) - s;
                out[oOff + r * ldo + j] = z;
                mx = Math.max(mx, Math.abs(z));
            }
            absMax[j] = mx;
        }
    }

    /**
     * {@link #copyWeightedRows(MemorySegment, long, long, int, int, double[], double[], double[], int, double[], int, int)}
     * from float X (4 bytes an element), each float widened to double first: the same bits as the double version on
     * the widened data. Scalar only: the weighted Gram pass runs once per fit.
     */
    static void copyWeightedFloatRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift,
                                      double[] scale, double[] sw, int swOff, double[] out, int oOff, int ldo) {
        for (int r = 0; r < rows; r++) {
            double w = sw[swOff + r];
            long p = xOff + r * ldx;
            int o = oOff + r * ldo;
            for (int j = 0; j < n; j++) out[o + j] = (((double) x.getAtIndex(F, p + j) - shift[j]) * scale[j]) * w;
        }
    }

    /** The same from a heap {@code float[]}: element (r, j) is {@code x[xOff + r·ldx + j]}, widened to double. */
    static void copyShiftedFloatRows(float[] x, int xOff, int ldx, int rows, int n, double[] shift,
                                     double[] out, int oOff, int ldo, double[] absMax) {
        copyFloatColumns(x, xOff, ldx, rows, 0, n, shift, out, oOff, ldo, absMax);
    }

    static void copyFloatColumns(float[] x, int xOff, int ldx, int rows, int j0, int j1, double[] shift,
                                 double[] out, int oOff, int ldo, double[] absMax) {
        for (int j = j0; j < j1; j++) {
            double s = shift[j];
            double mx = absMax[j];
            for (int r = 0; r < rows; r++) {
                double z = (double) x[xOff + r * ldx + j] - s;
                out[oOff + r * ldo + j] = z;
                mx = Math.max(mx, Math.abs(z));
            }
            absMax[j] = mx;
        }
    }
}
