package dev.vecgd.kernel;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment kernels against the heap scalar reference on the same numbers (NaN everywhere outside
 * the view, offsets, strides, y in X's segment, sub-ranges, tail sizes): the scalar segment version
 * bit for bit, the vector version to rounding; the parallel segment path bit-identical for 1, 2, 3
 * threads and, with scalar kernels, equal to the parallel heap path.
 */
class SegmentKernelsTest {

    private static final int[] MS = {1, 2, 3, 7, 8, 9, 31, 64, 65, 257, 700};
    private static final int[] NS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 257};

    private static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        long seed = 101;
        for (Layout layout : Layout.values()) {
            for (int m : MS) {
                for (int n : NS) {
                    KernelCase.YMode y = (seed & 2) == 0 ? KernelCase.YMode.SEPARATE : KernelCase.YMode.X_COLUMN;
                    out.add(new KernelCase(layout, m, n, y, (seed & 1) == 0, seed++));
                }
            }
        }
        return out;
    }

    /** The case's arrays copied into 64-byte aligned native memory at the same element indices. */
    private record Off(SegmentMatrix x, SegmentVector y) {
        static Off of(KernelCase.Data d, Arena arena) {
            MemorySegment xs = copy(d.x, arena);
            MemorySegment ys = d.yArr == d.x ? xs : copy(d.yArr, arena);
            return new Off(new SegmentMatrix(xs, d.xOff, d.rowsTotal, d.c.n(), d.ld, d.c.layout()),
                    new SegmentVector(ys, d.yOff, d.yInc));
        }
    }

    private static MemorySegment copy(double[] a, Arena arena) {
        MemorySegment s = arena.allocate((long) a.length * 8, 64);
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_DOUBLE, 0, a.length);
        return s;
    }

    private static Matrix heap(KernelCase.Data d) {
        return new Matrix(d.x, d.xOff, d.rowsTotal, d.c.n(), d.ld, d.c.layout());
    }

    @Test
    void scalarSegmentsGiveTheBitsOfTheHeapReference() {
        try (Arena arena = Arena.ofConfined()) {
            for (KernelCase c : cases()) {
                KernelCase.Data d = new KernelCase.Data(c);
                Off o = Off.of(d, arena);
                double[] want = new double[c.n() + 1];
                double wantSs = d.fused(ScalarKernels.INSTANCE, null, 0, want);
                double[] got = new double[c.n() + 1];
                double ss = SegmentKernels.run(ScalarSegmentKernels.INSTANCE, o.x(), d.theta, d.b, o.y(), got, d.from, d.to);
                assertEquals(wantSs, ss, 0.0, c.toString());
                assertArrayEquals(want, got, 0.0, c.toString());
            }
        }
    }

    @Test
    void vectorSegmentsAgreeWithTheReferenceToRounding() {
        SegmentKernelImpl vector = SegmentKernels.loadVector();
        org.junit.jupiter.api.Assumptions.assumeTrue(vector != null,
                "segment kernels: the Vector API (jdk.incubator.vector) is not in this JVM, no vector kernels to test");
        try (Arena arena = Arena.ofConfined()) {
            for (KernelCase c : cases()) {
                KernelCase.Data d = new KernelCase.Data(c);
                Off o = Off.of(d, arena);
                int n = c.n();
                double[] want = new double[n + 1];
                double wantSs = d.fused(ScalarKernels.INSTANCE, null, 0, want);
                // Bounds of the rounding error: sums of absolute terms.
                double[] abs = new double[n + 1];
                double absSs = 0;
                for (int i = d.from; i < d.to; i++) {
                    double dot = 0, dotAbs = Math.abs(d.b) + Math.abs(d.yAt(i));
                    for (int j = 0; j < n; j++) {
                        dot += d.xAt(i, j) * d.theta[j];
                        dotAbs += Math.abs(d.xAt(i, j) * d.theta[j]);
                    }
                    double ri = dot + d.b - d.yAt(i);
                    for (int j = 0; j < n; j++) abs[j] += (Math.abs(ri) + dotAbs * 1e-15) * Math.abs(d.xAt(i, j));
                    abs[n] += Math.abs(ri) + dotAbs * 1e-15;
                    absSs += (Math.abs(ri) + dotAbs * 1e-15) * (Math.abs(ri) + dotAbs * 1e-15);
                }
                double tol = 64 * 0x1p-52 * (n + 2 + Math.sqrt(c.m()));
                double[] got = new double[n + 1];
                double ss = SegmentKernels.run(vector, o.x(), d.theta, d.b, o.y(), got, d.from, d.to);
                double[] again = new double[n + 1];
                double ss2 = SegmentKernels.run(vector, o.x(), d.theta, d.b, o.y(), again, d.from, d.to);
                assertArrayEquals(got, again, 0.0, "deterministic " + c);
                assertEquals(ss, ss2, 0.0);
                assertEquals(wantSs, ss, tol * absSs + 1e-300, c + " Σr²");
                for (int j = 0; j <= n; j++) {
                    assertEquals(want[j], got[j], tol * abs[j] + 1e-300, c + " g[" + j + "]");
                    assertTrue(Double.isFinite(got[j]), c + " read outside the view");
                }
            }
        }
    }

    @Test
    void parallelSegmentsAreBitIdenticalAcrossThreadsAndMatchTheHeapPath() {
        try (Arena arena = Arena.ofShared();
             ParallelKernels s1 = new ParallelKernels(1, ScalarKernels.INSTANCE);
             ParallelKernels s3 = new ParallelKernels(3, ScalarKernels.INSTANCE);
             ParallelKernels v1 = new ParallelKernels(1);
             ParallelKernels v2 = new ParallelKernels(2);
             ParallelKernels v3 = new ParallelKernels(3)) {
            for (KernelCase c : cases()) {
                if (c.m() < 7) continue;
                KernelCase.Data d = new KernelCase.Data(c);
                Off o = Off.of(d, arena);
                StridedVector y = new StridedVector(d.yArr, d.yOff, d.yInc);
                for (int chunk : new int[]{1, 5, 64}) {
                    // Scalar: segments and heap arrays, any thread count, the same bits.
                    double[] heapG = new double[c.n() + 1];
                    double heapSs = s3.lossGradientAdd(heap(d), d.theta, d.b, y, heapG, d.from, d.to, chunk);
                    for (ParallelKernels pk : new ParallelKernels[]{s1, s3}) {
                        double[] g = new double[c.n() + 1];
                        double ss = pk.lossGradientAdd(o.x(), d.theta, d.b, o.y(), g, d.from, d.to, chunk);
                        assertEquals(heapSs, ss, 0.0, c + " chunk " + chunk);
                        assertArrayEquals(heapG, g, 0.0, c + " chunk " + chunk);
                    }
                    // Active (vector) kernels: 1, 2, 3 threads, the same bits.
                    double[] first = null;
                    double firstSs = 0;
                    for (ParallelKernels pk : new ParallelKernels[]{v1, v2, v3}) {
                        double[] g = new double[c.n() + 1];
                        double ss = pk.lossGradientAdd(o.x(), d.theta, d.b, o.y(), g, d.from, d.to, chunk);
                        if (first == null) {
                            first = g;
                            firstSs = ss;
                        } else {
                            assertArrayEquals(first, g, 0.0, c + " threads " + pk.threads());
                            assertEquals(firstSs, ss, 0.0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void checksArguments() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(8 * 12, 64);
            SegmentMatrix x = SegmentMatrix.rowMajor(s, 4, 3);
            SegmentVector y = SegmentVector.of(arena.allocate(8 * 4, 64));
            double[] t = new double[3];
            assertEquals(0.0, SegmentKernels.lossGradientAdd(x, t, 0, y, new double[4], 0, 4));
            assertThrows(IllegalArgumentException.class, () -> SegmentKernels.lossGradientAdd(x, t, 0, y, new double[4], 0, 5));
            assertThrows(IllegalArgumentException.class, () -> SegmentKernels.lossGradientAdd(x, t, 0, y, new double[3], 0, 4));
            assertThrows(IllegalArgumentException.class, () -> SegmentKernels.lossGradientAdd(x, new double[2], 0, y, new double[4], 0, 4));
            assertThrows(IllegalArgumentException.class, () -> SegmentKernels.lossGradientAdd(x, t, 0,
                    new SegmentVector(y.segment(), 1, 1), new double[4], 0, 4));
            assertThrows(IllegalArgumentException.class, () -> SegmentMatrix.rowMajor(s, 5, 3));
            assertThrows(IllegalArgumentException.class, () -> new SegmentMatrix(s, 0, 4, 3, 2, Layout.ROW_MAJOR));
            assertThrows(IllegalArgumentException.class, () -> SegmentMatrix.rowMajor(MemorySegment.ofArray(new double[12]), 4, 3));
            assertEquals(4, x.column(2).capacity());
            assertTrue(SegmentKernels.implementation().contains("segments"));
        }
    }
}
