package dev.vecgd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same data on the heap and off-heap give the same bits: {@link Kernels#lossGradientAdd} and
 * {@link SegmentKernels#lossGradientAdd} (the fused pass every solver runs) return the same Σr² and add the
 * same gradient, bit for bit, for every n around the vector widths, row ranges that start and end anywhere,
 * compact and padded rows (padding poisoned with NaN), both layouts. Runs in every width fork
 * ({@code -Dvecgd.vector.bits}): the heap and off-heap kernels must sum in the same order at each width.
 */
class HeapOffHeapBitsTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Layout layout : Layout.values()) {
            for (int n : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 31, 33, 64, 67}) {
                for (int pad : new int[] {0, 3}) out.add(Arguments.of(layout, n, pad));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} n={1} pad={2}")
    @MethodSource("cases")
    void fusedPassGivesTheSameBits(Layout layout, int n, int pad) {
        int m = 1031;
        boolean row = layout == Layout.ROW_MAJOR;
        int ld = (row ? Math.max(1, n) : m) + pad;
        int outer = row ? m : n;
        SplittableRandom rnd = new SplittableRandom(31L * n + pad);
        double[] x = new double[Math.max(1, outer * ld)];
        java.util.Arrays.fill(x, Double.NaN); // padding: must never reach a sum
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) x[row ? i * ld + j : j * ld + i] = rnd.nextDouble(-1, 1);
        }
        double[] y = new double[m];
        for (int i = 0; i < m; i++) y[i] = rnd.nextDouble(-2, 2);
        double[] theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = rnd.nextDouble(-1, 1);
        Matrix heap = row ? Matrix.rowMajor(x, 0, m, n, ld) : Matrix.columnMajor(x, 0, m, n, ld);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate((long) x.length * Double.BYTES, 64);
            MemorySegment.copy(x, 0, xs, ValueLayout.JAVA_DOUBLE, 0, x.length);
            MemorySegment ys = arena.allocate((long) m * Double.BYTES, 64);
            MemorySegment.copy(y, 0, ys, ValueLayout.JAVA_DOUBLE, 0, m);
            SegmentMatrix off = new SegmentMatrix(xs, 0, m, n, ld, layout);
            int[][] ranges = {{0, m}, {0, 1}, {5, 6}, {1, 2 * 8 + 3}, {7, 300}, {m - 13, m}, {3, m - 2}};
            for (int[] range : ranges) {
                double[] gHeap = new double[n + 1];
                double[] gOff = new double[n + 1];
                java.util.Arrays.fill(gHeap, 0.5); // accumulated into: both start from the same values
                java.util.Arrays.fill(gOff, 0.5);
                double ssHeap = Kernels.lossGradientAdd(heap, theta, 0.25, StridedVector.of(y), gHeap, range[0], range[1]);
                double ssOff = SegmentKernels.lossGradientAdd(off, theta, 0.25, SegmentVector.of(ys), gOff, range[0], range[1]);
                String at = layout + " n=" + n + " ld=" + ld + " rows " + range[0] + ".." + range[1] + " at "
                        + Kernels.implementation();
                assertEquals(Double.doubleToRawLongBits(ssHeap), Double.doubleToRawLongBits(ssOff), "Σr², " + at);
                for (int j = 0; j <= n; j++) {
                    assertEquals(Double.doubleToRawLongBits(gHeap[j]), Double.doubleToRawLongBits(gOff[j]),
                            "g[" + j + "] (" + gHeap[j] + " vs " + gOff[j] + "), " + at);
                }
            }
        }
    }

    /** The weighted pass (sample weights, some 0): heap and off-heap give the same bits too, at every width. */
    @ParameterizedTest(name = "weighted {0} n={1} pad={2}")
    @MethodSource("cases")
    void weightedPassGivesTheSameBits(Layout layout, int n, int pad) {
        int m = 1031;
        boolean row = layout == Layout.ROW_MAJOR;
        int ld = (row ? Math.max(1, n) : m) + pad;
        int outer = row ? m : n;
        SplittableRandom rnd = new SplittableRandom(37L * n + pad);
        double[] x = new double[Math.max(1, outer * ld)];
        java.util.Arrays.fill(x, Double.NaN);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) x[row ? i * ld + j : j * ld + i] = rnd.nextDouble(-1, 1);
        }
        double[] y = new double[m];
        double[] w = new double[m];
        for (int i = 0; i < m; i++) {
            y[i] = rnd.nextDouble(-2, 2);
            w[i] = rnd.nextInt(5) == 0 ? 0 : rnd.nextDouble(0, 2);
        }
        double[] theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = rnd.nextDouble(-1, 1);
        Matrix heap = row ? Matrix.rowMajor(x, 0, m, n, ld) : Matrix.columnMajor(x, 0, m, n, ld);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate((long) x.length * Double.BYTES, 64);
            MemorySegment.copy(x, 0, xs, ValueLayout.JAVA_DOUBLE, 0, x.length);
            MemorySegment ys = arena.allocate((long) m * Double.BYTES, 64);
            MemorySegment.copy(y, 0, ys, ValueLayout.JAVA_DOUBLE, 0, m);
            MemorySegment ws = arena.allocate((long) m * Double.BYTES, 64);
            MemorySegment.copy(w, 0, ws, ValueLayout.JAVA_DOUBLE, 0, m);
            SegmentMatrix off = new SegmentMatrix(xs, 0, m, n, ld, layout);
            int[][] ranges = {{0, m}, {0, 1}, {5, 6}, {1, 2 * 8 + 3}, {7, 300}, {m - 13, m}, {3, m - 2}};
            for (int[] range : ranges) {
                double[] gHeap = new double[n + 1];
                double[] gOff = new double[n + 1];
                java.util.Arrays.fill(gHeap, 0.5);
                java.util.Arrays.fill(gOff, 0.5);
                double ssHeap = Kernels.weightedLossGradientAdd(heap, theta, 0.25, StridedVector.of(y), w, 0, null, 0,
                        gHeap, range[0], range[1]);
                double ssOff = SegmentKernels.weightedLossGradientAdd(off, theta, 0.25, SegmentVector.of(ys),
                        SegmentVector.of(ws), gOff, range[0], range[1]);
                String at = "weighted " + layout + " n=" + n + " ld=" + ld + " rows " + range[0] + ".." + range[1]
                        + " at " + Kernels.implementation();
                assertEquals(Double.doubleToRawLongBits(ssHeap), Double.doubleToRawLongBits(ssOff), "Σwr², " + at);
                for (int j = 0; j <= n; j++) {
                    assertEquals(Double.doubleToRawLongBits(gHeap[j]), Double.doubleToRawLongBits(gOff[j]),
                            "g[" + j + "] (" + gHeap[j] + " vs " + gOff[j] + "), " + at);
                }
                // and the scalar references agree with each other bit for bit (the same loops)
                double[] gs = new double[n + 1];
                double[] gt = new double[n + 1];
                double a = row ? ScalarKernels.INSTANCE.fusedWeightedRow(x, 0, ld, n, theta, 0.25, y, 0, 1, w, 0, null, 0,
                        gs, range[0], range[1]) : ScalarKernels.INSTANCE.fusedWeightedCol(x, 0, ld, n, theta, 0.25, y, 0,
                        1, w, 0, null, 0, gs, range[0], range[1]);
                SegmentKernelImpl sc = ScalarSegmentKernels.INSTANCE;
                double c = row ? sc.fusedWeightedRow(xs, 0, ld, n, theta, 0.25, ys, 0, 1, ws, 0, 1, gt, range[0],
                        range[1] - range[0]) : sc.fusedWeightedCol(xs, 0, ld, n, theta, 0.25, ys, 0, 1, ws, 0, 1, gt,
                        range[0], range[1] - range[0]);
                assertEquals(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(c), "scalar Σwr², " + at);
                assertEquals(a, ssHeap, 1e-12 * Math.abs(a) + 1e-300, "scalar vs active Σwr², " + at);
            }
        }
    }
}
