package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.SegmentVector;
import dev.vecgd.kernel.StridedVector;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link WeightedGradientSource}: one weighted pass in many chunks (the fixed reduction tree over 1 to 9 chunks, on 1
 * and 3 threads, heap and off-heap, both layouts) against {@code Σ w r x}, {@code Σ w r}, {@code Σ w r²} summed
 * directly; the same bits for every thread count; its argument checks.
 */
class WeightedGradientSourceTest {

    private static final int M = 53;
    private static final int N = 3;

    private static double[][] rows() {
        SplittableRandom rnd = new SplittableRandom(23);
        double[][] a = new double[M][N + 2]; // x, y, w
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) a[i][j] = rnd.nextDouble() * 2 - 1 + j;
            a[i][N] = rnd.nextDouble() * 5;
            a[i][N + 1] = i % 6 == 0 ? 0 : rnd.nextDouble() * 2;
        }
        return a;
    }

    private static Dataset dataset(double[][] a, boolean rowMajor) {
        double[] x = new double[M * N];
        double[] y = new double[M];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) x[rowMajor ? i * N + j : j * M + i] = a[i][j];
            y[i] = a[i][N];
        }
        return rowMajor ? Dataset.rowMajor(x, M, N, y) : Dataset.columnMajor(x, M, N, y);
    }

    private static double[] weights(double[][] a) {
        double[] w = new double[M];
        for (int i = 0; i < M; i++) w[i] = a[i][N + 1];
        return w;
    }

    /** [Σ w r x_j (j < n), Σ w r, Σ w r²]. */
    private static double[] direct(double[][] a, double[] p) {
        double[] s = new double[N + 2];
        for (int i = 0; i < M; i++) {
            double r = p[N] - a[i][N];
            for (int j = 0; j < N; j++) r += p[j] * a[i][j];
            double w = a[i][N + 1];
            for (int j = 0; j < N; j++) s[j] += w * r * a[i][j];
            s[N] += w * r;
            s[N + 1] += w * r * r;
        }
        return s;
    }

    private static void assertSums(double[] want, GradientBuffer got, String what) {
        for (int j = 0; j <= N; j++) assertEquals(want[j], got.sum(j), 1e-12 * (1 + Math.abs(want[j])), what + " sum " + j);
        assertEquals(want[N + 1], got.sumSquares(), 1e-12 * want[N + 1], what + " Σ w r²");
        assertEquals(M, got.rows(), what);
    }

    @Test
    void manyChunksOnAnyThreadCountGiveTheDirectSums() {
        double[][] a = rows();
        double[] p = {0.5, -1, 0.25, 2};
        double[] want = direct(a, p);
        for (boolean rowMajor : new boolean[]{true, false}) {
            Dataset d = dataset(a, rowMajor);
            GradientBuffer first = null;
            for (int chunkRows : new int[]{M, 30, 7, 6}) {
                for (int threads : new int[]{1, 3}) {
                    try (WeightedGradientSource s = new WeightedGradientSource(d, d.y(), weights(a), chunkRows, threads)) {
                        assertEquals(threads, s.threads());
                        assertEquals(M, s.rows());
                        GradientBuffer into = new GradientBuffer(N);
                        s.accumulate(p, into);
                        String what = (rowMajor ? "row" : "column") + "-major, chunks of " + chunkRows + ", " + threads + " threads";
                        assertSums(want, into, what);
                        if (chunkRows == 6 && threads == 1) first = into;
                        if (chunkRows == 6 && threads == 3) {
                            for (int j = 0; j <= N; j++) assertEquals(first.sum(j), into.sum(j), 0, "same bits: " + what);
                            assertEquals(first.sumSquares(), into.sumSquares(), 0, "same bits: " + what);
                        }
                    }
                }
            }
            // y ≡ 0: the Hessian products
            try (WeightedGradientSource s = new WeightedGradientSource(d, StridedVector.of(new double[M]), weights(a), 10, 1)) {
                GradientBuffer into = new GradientBuffer(N);
                s.accumulate(p, into);
                double[][] zero = new double[M][];
                for (int i = 0; i < M; i++) {
                    zero[i] = a[i].clone();
                    zero[i][N] = 0;
                }
                assertSums(direct(zero, p), into, "y ≡ 0");
            }
        }
    }

    @Test
    void offHeapGivesTheSameSums() {
        double[][] a = rows();
        double[] p = {0.5, -1, 0.25, 2};
        double[] want = direct(a, p);
        for (Layout layout : Layout.values()) {
            try (SegmentDataset off = SegmentDataset.copyOf(dataset(a, true), layout); Arena arena = Arena.ofShared()) {
                MemorySegment w = arena.allocate(8L * M, 64);
                MemorySegment.copy(weights(a), 0, w, ValueLayout.JAVA_DOUBLE, 0, M);
                try (WeightedGradientSource s = new WeightedGradientSource(off, off.y(), SegmentVector.of(w), 8, 2)) {
                    GradientBuffer into = new GradientBuffer(N);
                    s.accumulate(p, into);
                    assertSums(want, into, "off-heap " + layout);
                }
            }
        }
    }

    /**
     * Off-heap rows in a confined arena are read on the calling thread only (one thread whatever is asked, the same
     * sums); rows in a shared arena use the threads asked for.
     */
    @Test
    void aConfinedArenaIsReadOnTheCallingThreadOnly() {
        double[][] a = rows();
        double[] p = {0.5, -1, 0.25, 2};
        double[] want = direct(a, p);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate(8L * M * N, 64);
            MemorySegment y = arena.allocate(8L * M, 64);
            MemorySegment w = arena.allocate(8L * M, 64);
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) x.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * N + j, a[i][j]);
                y.setAtIndex(ValueLayout.JAVA_DOUBLE, i, a[i][N]);
                w.setAtIndex(ValueLayout.JAVA_DOUBLE, i, a[i][N + 1]);
            }
            SegmentDataset confined = new SegmentDataset(dev.vecgd.kernel.SegmentMatrix.rowMajor(x, M, N),
                    SegmentVector.of(y));
            assertFalse(confined.isSharedAcrossThreads());
            try (WeightedGradientSource s = new WeightedGradientSource(confined, confined.y(), SegmentVector.of(w), 6, 3)) {
                assertEquals(1, s.threads(), "confined: the calling thread only");
                GradientBuffer into = new GradientBuffer(N);
                s.accumulate(p, into);
                assertSums(want, into, "confined arena, chunks of 6");
            }
        }
        try (SegmentDataset shared = SegmentDataset.copyOf(dataset(a, true), Layout.ROW_MAJOR); Arena arena = Arena.ofShared()) {
            assertTrue(shared.isSharedAcrossThreads());
            MemorySegment w = arena.allocate(8L * M, 64);
            MemorySegment.copy(weights(a), 0, w, ValueLayout.JAVA_DOUBLE, 0, M);
            try (WeightedGradientSource s = new WeightedGradientSource(shared, shared.y(), SegmentVector.of(w), 6, 3)) {
                assertEquals(3, s.threads(), "shared: the threads asked for");
                GradientBuffer into = new GradientBuffer(N);
                s.accumulate(p, into);
                assertSums(want, into, "shared arena, chunks of 6, 3 threads");
            }
        }
    }

    @Test
    void argumentsAreChecked() {
        Dataset d = dataset(rows(), true);
        assertEquals("chunkRows must be >= 1 (or 0 = automatic), got -1", assertThrows(IllegalArgumentException.class,
                () -> new WeightedGradientSource(d, d.y(), new double[M], -1, 1)).getMessage());
        assertEquals("threads must be >= 0 (0 = automatic), got -1", assertThrows(IllegalArgumentException.class,
                () -> new WeightedGradientSource(d, d.y(), new double[M], 0, -1)).getMessage());
    }
}
