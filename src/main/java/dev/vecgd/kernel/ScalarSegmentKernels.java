package dev.vecgd.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The scalar reference over segments: the loops of {@link ScalarKernels#fusedRow} and
 * {@link ScalarKernels#fusedCol} in the same order, so on the same numbers it gives the same bits.
 */
final class ScalarSegmentKernels implements SegmentKernelImpl {

    static final ScalarSegmentKernels INSTANCE = new ScalarSegmentKernels();
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private ScalarSegmentKernels() {
    }

    @Override
    public String name() {
        return "scalar (segments)";
    }

    @Override
    public ElementType elementType() {
        return ElementType.FLOAT64;
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
                dot += x.getAtIndex(D, base + j) * theta[j];
            }
            double ri = dot + b - y.getAtIndex(D, yOff + i * yInc);
            for (int j = 0; j < n; j++) {
                g[j] += ri * x.getAtIndex(D, base + j);
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
                dot += x.getAtIndex(D, xOff + j * ldx + i) * theta[j];
            }
            double ri = dot + b - y.getAtIndex(D, yOff + i * yInc);
            for (int j = 0; j < n; j++) {
                g[j] += ri * x.getAtIndex(D, xOff + j * ldx + i);
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
                dot += x.getAtIndex(D, base + j) * theta[j];
            }
            double ri = dot + b - y.getAtIndex(D, yOff + i * yInc);
            double wr = w.getAtIndex(D, wOff + i * wInc) * ri;
            for (int j = 0; j < n; j++) {
                g[j] += wr * x.getAtIndex(D, base + j);
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
                dot += x.getAtIndex(D, xOff + j * ldx + i) * theta[j];
            }
            double ri = dot + b - y.getAtIndex(D, yOff + i * yInc);
            double wr = w.getAtIndex(D, wOff + i * wInc) * ri;
            for (int j = 0; j < n; j++) {
                g[j] += wr * x.getAtIndex(D, xOff + j * ldx + i);
            }
            ss += wr * ri;
            sum += wr;
        }
        g[n] += sum;
        return ss;
    }
}
