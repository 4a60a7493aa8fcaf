package dev.vecgd.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The scalar reference over float X ({@link ElementType#FLOAT32}): {@link ScalarSegmentKernels} with each
 * element of X read as a float and widened to double (exactly) before it is multiplied; the same loops, the
 * same arithmetic in double and the same summation order, so on the widened data it gives the same bits as
 * the double scalar kernel. Generated from {@link ScalarSegmentKernels} by replacing the loads of X.
 */
final class ScalarFloatSegmentKernels implements SegmentKernelImpl {

    static final ScalarFloatSegmentKernels INSTANCE = new ScalarFloatSegmentKernels();
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private ScalarFloatSegmentKernels() {
    }

    @Override
    public String name() {
        return "scalar (float32 segments)";
    }

    @Override
    public ElementType elementType() {
        return ElementType.FLOAT32;
    }

    @Override
    public void copyShiftedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift,
                                double[] out, int oOff, int ldo, double[] absMax) {
        PackKernelScalar.copyShiftedFloatRows(x, xOff, ldx, rows, n, shift, out, oOff, ldo, absMax);
    }

    /** The weighted packing of float32 rows: the scalar formula on the widened floats (the same bits as float64). */
    @Override
    public void copyWeightedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift, double[] scale,
                                 double[] sw, int swOff, double[] out, int oOff, int ldo) {
        PackKernelScalar.copyWeightedFloatRows(x, xOff, ldx, rows, n, shift, scale, sw, swOff, out, oOff, ldo);
    }

    @Override
    public double fusedRow(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                           MemorySegment y, long yOff, long yInc, double[] g, long from, int count) {
        double ss = 0;
        double sum = 0;
        for (int k = 0; k < count; k++) {
            long i = from + k;
            long base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) x.getAtIndex(F, base + j) * theta[j];
            }
            double ri = dot + b - y.getAtIndex(D, yOff + i * yInc);
            for (int j = 0; j < n; j++) {
                g[j] += ri * (double) x.getAtIndex(F, base + j);
            }
            ss += ri * ri;
            sum += ri;
        }
        g[n] += sum;
        return ss;
    }

    @Override
    public double fusedCol(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                           MemorySegment y, long yOff, long yInc, double[] g, long from, int count) {
        double ss = 0;
        double sum = 0;
        for (int k = 0; k < count; k++) {
            long i = from + k;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) x.getAtIndex(F, xOff + j * ldx + i) * theta[j];
            }
            double ri = dot + b - y.getAtIndex(D, yOff + i * yInc);
            for (int j = 0; j < n; j++) {
                g[j] += ri * (double) x.getAtIndex(F, xOff + j * ldx + i);
            }
            ss += ri * ri;
            sum += ri;
        }
        g[n] += sum;
        return ss;
    }

    @Override
    public double fusedWeightedRow(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                                   MemorySegment y, long yOff, long yInc, MemorySegment w, long wOff, long wInc,
                                   double[] g, long from, int count) {
        double ss = 0;
        double sum = 0;
        for (int k = 0; k < count; k++) {
            long i = from + k;
            long base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) x.getAtIndex(F, base + j) * theta[j];
            }
            double ri = dot + b - y.getAtIndex(D, yOff + i * yInc);
            double wr = w.getAtIndex(D, wOff + i * wInc) * ri;
            for (int j = 0; j < n; j++) {
                g[j] += wr * (double) x.getAtIndex(F, base + j);
            }
            ss += wr * ri;
            sum += wr;
        }
        g[n] += sum;
        return ss;
    }

    @Override
    public double fusedWeightedCol(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                                   MemorySegment y, long yOff, long yInc, MemorySegment w, long wOff, long wInc,
                                   double[] g, long from, int count) {
        double ss = 0;
        double sum = 0;
        for (int k = 0; k < count; k++) {
            long i = from + k;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) x.getAtIndex(F, xOff + j * ldx + i) * theta[j];
            }
            double ri = dot + b - y.getAtIndex(D, yOff + i * yInc);
            double wr = w.getAtIndex(D, wOff + i * wInc) * ri;
            for (int j = 0; j < n; j++) {
                g[j] += wr * (double) x.getAtIndex(F, xOff + j * ldx + i);
            }
            ss += wr * ri;
            sum += wr;
        }
        g[n] += sum;
        return ss;
    }
}
