package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.NpyWriter;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fits on off-heap and memory-mapped data: the same answer as on the heap, bit-identical for 1, 2, 3
 * threads with a forced small chunk size, input files untouched, and memory released on close.
 */
class OffHeapFitTest {

    @TempDir
    Path dir;

    private static final int M = 1237;
    private static final int N = 5;

    private static FitOptions.Builder options() {
        return FitOptions.builder().gradientTolerance(1e-13).chunkRows(100);
    }

    private static void assertClose(FitResult want, FitResult got, double tol, String what) {
        for (int j = 0; j < want.coefficients().length; j++) {
            assertEquals(want.coefficient(j), got.coefficient(j), tol * (1 + Math.abs(want.coefficient(j))), what + " θ" + j);
        }
        assertEquals(want.intercept(), got.intercept(), tol * (1 + Math.abs(want.intercept())), what + " intercept");
    }

    /**
     * Issue 18: a confined arena's segments may be read by their owner thread only; a fit with threads used to
     * throw WrongThreadException from a worker. Now it runs on the calling thread, every solver, same answer.
     */
    @Test
    void aConfinedArenaFitsOnTheCallingThread() {
        Dataset heap = TestProblems.synthetic(M, N, 0.5, 78);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined();
             SegmentDataset shared = SegmentDataset.copyOf(heap, Layout.ROW_MAJOR)) {
            java.lang.foreign.MemorySegment xs = arena.allocate(8L * M * N, 64);
            java.lang.foreign.MemorySegment ys = arena.allocate(8L * M, 64);
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) xs.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, (long) i * N + j, heap.x(i, j));
                ys.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i, heap.y(i));
            }
            SegmentDataset confined = new SegmentDataset(dev.vecgd.kernel.SegmentMatrix.rowMajor(xs, M, N),
                    dev.vecgd.kernel.SegmentVector.of(ys));
            assertTrue(shared.isSharedAcrossThreads());
            assertTrue(!confined.isSharedAcrossThreads());
            for (Solver solver : Solver.values()) {
                FitResult ref = LinearRegression.fit(heap, options().solver(solver).build());
                FitResult r = LinearRegression.fit(confined, options().solver(solver).threads(2).build());
                assertEquals(ref.stopReason(), r.stopReason(), solver + ": " + r.message());
                assertClose(ref, r, 1e-9, "confined " + solver);
            }
        }
    }

    @Test
    void offHeapFitsMatchTheHeapFitAndAreIdenticalAcrossThreads() {
        Dataset heap = TestProblems.synthetic(M, N, 0.5, 77);
        FitResult ref = LinearRegression.fit(heap, options().build());
        assertTrue(ref.converged(), ref.message());
        for (Layout layout : Layout.values()) {
            try (SegmentDataset d = SegmentDataset.copyOf(heap, layout)) {
                FitResult first = null;
                for (int threads : new int[]{1, 2, 3}) {
                    FitResult r = LinearRegression.fit(d, options().threads(threads).build());
                    assertTrue(r.converged(), r.message());
                    assertClose(ref, r, 1e-9, layout + " threads=" + threads);
                    if (first == null) {
                        first = r;
                    } else {
                        assertArrayEquals(first.coefficients(), r.coefficients(), 0.0, layout + " threads=" + threads);
                        assertEquals(first.intercept(), r.intercept(), 0.0);
                        assertEquals(first.iterations(), r.iterations());
                    }
                }
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cg", "normal", "nesterov", "gd", "momentum"})
    void everySolverRunsOffHeapWithTheHeapsAnswerAndStandardErrors(String solver) {
        Dataset heap = TestProblems.synthetic(M, N, 0.5, 78);
        double[] qr = TestProblems.qrStandardErrors(heap); // independent of the library's cross products
        FitOptions o = options().solver(solver).gradientTolerance(1e-14).maxIterations(20_000).build();
        FitResult ref = LinearRegression.fit(heap, o);
        assertTrue(ref.converged(), ref.message());
        for (Layout layout : Layout.values()) {
            try (SegmentDataset d = SegmentDataset.copyOf(heap, layout)) {
                for (int threads : new int[]{1, 2}) {
                    FitResult r = LinearRegression.fit(d, options().solver(solver).gradientTolerance(1e-14)
                            .maxIterations(20_000).threads(threads).build());
                    String what = solver + " " + layout + " threads=" + threads;
                    assertTrue(r.converged(), what + ": " + r.message());
                    assertClose(ref, r, 1e-10, what);
                    for (int j = 0; j < N; j++) {
                        assertEquals(qr[j], ref.standardErrors()[j], 1e-8 * qr[j], what + " heap SE" + j + " vs QR");
                        assertEquals(qr[j], r.standardErrors()[j], 1e-8 * qr[j], what + " SE" + j + " vs QR");
                    }
                    assertEquals(qr[N], ref.interceptStandardError(), 1e-8 * qr[N], what + " heap intercept SE vs QR");
                    assertEquals(qr[N], r.interceptStandardError(), 1e-8 * qr[N], what + " intercept SE vs QR");
                    assertEquals(qr[N + 1], r.residualStd(), 1e-9 * qr[N + 1], what + " σ̂ vs QR");
                    assertEquals(ref.conditionNumber(), r.conditionNumber(), 1e-9 * ref.conditionNumber(), what + " κ");
                }
            }
        }
    }

    @Test
    void mappedNpyFitsAndLeavesTheFileUntouched() throws IOException {
        double[][] a = TestProblems.syntheticArrays(M, N, 0.5, 78);
        double[] table = new double[M * (N + 1)];
        for (int i = 0; i < M; i++) {
            System.arraycopy(a[0], i * N, table, i * (N + 1), N);
            table[i * (N + 1) + N] = a[1][i];
        }
        Path file = dir.resolve("table.npy");
        NpyWriter.write(file, Matrix.rowMajor(table, M, N + 1));
        byte[] before = Files.readAllBytes(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        FitResult ref = LinearRegression.fit(Dataset.rowMajor(a[0], M, N, a[1]), options().build());
        try (SegmentDataset d = SegmentDataset.mapNpy(file, N)) {
            assertEquals(M, d.rows());
            assertEquals(N, d.cols());
            FitResult r = LinearRegression.fit(d, options().threads(2).build());
            assertClose(ref, r, 1e-9, "mapped");
            assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(d, options().batchSize(10).build()));
        }
        // Separate X and y files.
        Path xf = dir.resolve("x.npy");
        Path yf = dir.resolve("y.npy");
        NpyWriter.write(xf, Matrix.rowMajor(a[0], M, N));
        NpyWriter.write(yf, a[1]);
        try (SegmentDataset d = SegmentDataset.mapNpy(xf, yf)) {
            assertClose(ref, LinearRegression.fit(d, options().build()), 1e-9, "x and y files");
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(modified, Files.getLastModifiedTime(file).toMillis());
    }

    @Test
    void rejectsNonFiniteOffHeapData() {
        Dataset heap = TestProblems.synthetic(50, 3, 0.5, 79);
        try (SegmentDataset d = SegmentDataset.copyOf(heap, Layout.COLUMN_MAJOR)) {
            d.setX(17, 2, Double.NaN);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(d));
            assertTrue(e.getMessage().contains("row 17, column 2"), e.getMessage());
        }
    }

    private static long[] pools() {
        long mappedUsed = 0, mappedCount = 0, directUsed = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("mapped")) {
                mappedUsed = b.getMemoryUsed();
                mappedCount = b.getCount();
            }
            if (b.getName().equals("direct")) directUsed = b.getMemoryUsed();
        }
        return new long[]{mappedUsed, mappedCount, directUsed, SegmentDataset.allocatedBytes()};
    }

    @Test
    void repeatedOpenFitCloseReturnsMappedAndDirectMemoryToBaseline() throws IOException {
        double[][] a = TestProblems.syntheticArrays(400, 3, 0.5, 80);
        Path xf = dir.resolve("x.npy");
        Path yf = dir.resolve("y.npy");
        NpyWriter.write(xf, Matrix.rowMajor(a[0], 400, 3));
        NpyWriter.write(yf, a[1]);
        Dataset heap = Dataset.rowMajor(a[0], 400, 3, a[1]);
        FitOptions o = FitOptions.builder().maxIterations(20).threads(2).build();
        long[] base = pools();
        long[] during = null;
        for (int k = 0; k < 40; k++) {
            try (SegmentDataset mapped = SegmentDataset.mapNpy(xf, yf);
                 SegmentDataset native_ = SegmentDataset.copyOf(heap, Layout.ROW_MAJOR)) {
                LinearRegression.fit(mapped, o);
                LinearRegression.fit(native_, o);
                if (k == 0) during = pools();
            }
        }
        long[] after = pools();
        System.out.println("buffer pools [mapped bytes, mapped count, direct bytes, arena bytes]: before "
                + java.util.Arrays.toString(base) + ", open " + java.util.Arrays.toString(during)
                + ", after 40 cycles " + java.util.Arrays.toString(after));
        assertTrue(during[0] >= base[0] + 400 * 3 * 8, "the mapping is accounted while open");
        assertTrue(during[3] >= base[3] + 400 * 4 * 8, "the arena is accounted while open");
        assertArrayEquals(base, after, "mapped, direct and arena memory back to baseline");
    }

    @Test
    void regressionDataDispatchesToEitherStorage() {
        Dataset heap = TestProblems.synthetic(300, 2, 0.5, 81);
        try (SegmentDataset off = SegmentDataset.copyOf(heap, Layout.ROW_MAJOR)) {
            for (dev.vecgd.data.RegressionData d : new dev.vecgd.data.RegressionData[]{heap, off}) {
                assertEquals(300, d.rowCount());
                assertEquals(2, d.cols());
                assertEquals(heap.x(7, 1), d.x(7L, 1));
                assertEquals(heap.y(9), d.y(9L));
                assertEquals(8L * 300 * 2, d.featureBytes());
            }
            FitOptions o = options().threads(1).build();
            assertClose(LinearRegression.fit(heap, o), LinearRegression.fit((dev.vecgd.data.RegressionData) off, o), 1e-9, "dispatch");
        }
    }
}
