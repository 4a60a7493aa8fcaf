package dev.vecgd.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code dtype=float32} rows of the benchmarks (issue 19), called directly on tiny shapes: GradientBenchmark's
 * simd and read probes over the float32 copy, StorageBenchmark's float32 storages (off-heap, mapped, heap float[]) and its read probe, the float32
 * probes over every row range, and 0 B/op for the float32 simd and probes. Runs in a JVM of its own (like
 * BenchmarkMethodsTest: the allocation check) and in the width forks.
 */
class Float32BenchmarksTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String s : BenchmarkMethodsTest.SHAPES) for (String l : BenchmarkMethodsTest.LAYOUTS) out.add(Arguments.of(s, l));
        return out.stream();
    }

    /** Σ of the floats of X and the doubles of y, in double (what every probe computes up to its rounding). */
    static double plainSum(BenchState s) {
        double t = 0;
        for (double v : s.x) t += v;
        for (double v : s.y) t += v;
        return t;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void float32SimdAndProbesReadTheRoundedMatrix(String shape, String layout) {
        BenchState d = new BenchState().setup(shape, layout);
        BenchState s = new BenchState().setup(shape, layout, "float32");
        try {
            assertTrue(s.float32);
            assertNull(s.r, "float32 skips the residual buffer");
            // the same logical matrix, rounded once to float; the native copy holds exactly those floats
            for (int i = 0; i < s.m; i++) {
                for (int j = 0; j < s.n; j++) {
                    double v = d.matrix.get(i, j);
                    assertEquals((double) (float) v, s.matrix.get(i, j), 0.0);
                    assertEquals(s.matrix.get(i, j), s.floatMatrix.get(i, j), 0.0);
                }
                assertEquals(d.y[i], s.floatTargets.get(i), 0.0, "y stays double");
            }
            assertArrayEquals(d.theta, s.theta, 0.0);
            // simd over float32 = the reference gradient of the rounded matrix (as doubles)
            double[] ss = new double[1];
            double[] gRef = BenchmarkMethodsTest.referenceGradient(s, s.theta.clone(), s.b, ss);
            double tol = BenchmarkMethodsTest.tol(s);
            GradientBenchmark gb = new GradientBenchmark();
            java.util.Arrays.fill(s.g, 12345.0);
            double loss = gb.simd(s);
            assertEquals(ss[0], loss, tol * Math.max(1, ss[0]), "float32 simd: Σr² at " + shape + " " + layout);
            assertArrayEquals(gRef, s.g, tol, "float32 simd: gradient at " + shape + " " + layout);
            // the probes read X's floats (summed in float) and y: the plain sum up to float rounding
            double plain = plainSum(s);
            double ptol = 1e-6 * ((double) s.m * s.n + s.m) + 1e-9;
            assertEquals(plain, gb.readProbe(s), ptol, "float32 readProbe");
            assertEquals(plain, gb.readProbe2(s), ptol, "float32 readProbe2");
            assertEquals(plain, gb.readProbe4(s), ptol, "float32 readProbe4");
            // the plain loops read the double arrays only: they refuse float32
            assertThrows(IllegalStateException.class, () -> gb.naive(s));
            assertThrows(IllegalStateException.class, () -> gb.scalarFused(s));
            assertThrows(IllegalArgumentException.class, () -> new BenchState().setup(shape, layout, "float16"));
        } finally {
            s.tearDown();
        }
        assertNull(s.xf, "tear-down releases the native copy");
    }

    /** The float32 probes over every row range of small tables: each float of X and each y read exactly once. */
    @Test
    void float32ProbesSumEveryRowRangeExactly() {
        int checked = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {1, 2, 3, 7, 16, 17}) {
                for (int m : new int[] {0, 1, 5, 31, 64, 131, 300}) {
                    MemorySegment x = arena.allocate(Math.max(4, 4L * m * n), 64);
                    MemorySegment y = arena.allocate(Math.max(8, 8L * m), 64);
                    // small integers: every sum is exact in float and in double, in any order
                    for (int k = 0; k < m * n; k++) x.setAtIndex(ValueLayout.JAVA_FLOAT, k, (k * 7 + 3) % 101 - 50);
                    for (int i = 0; i < m; i++) y.setAtIndex(ValueLayout.JAVA_DOUBLE, i, 1000 * ((i * 13 + 5) % 17 - 8));
                    for (int from = 0; from <= m; from += Math.max(1, m / 7)) {
                        for (int to = from; to <= m; to += Math.max(1, m / 5)) {
                            double plain = 0;
                            for (long k = (long) from * n; k < (long) to * n; k++) plain += x.getAtIndex(ValueLayout.JAVA_FLOAT, k);
                            double xs = plain;
                            for (int i = from; i < to; i++) plain += y.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
                            assertEquals(plain, ReadProbe.sum2(x, y, n, from, to), 0.0, "sum2 float32 n=" + n + " rows " + from + ".." + to);
                            assertEquals(plain, ReadProbe.sum4(x, y, n, from, to), 0.0, "sum4 float32 n=" + n + " rows " + from + ".." + to);
                            assertEquals(xs, ReadProbe.sumFloats(x, (long) from * n, (long) to * n), 0.0, "sumFloats");
                            assertEquals(plain - xs, ReadProbe.sumDoubles(y, from, to), 0.0, "sumDoubles");
                            checked++;
                        }
                    }
                }
            }
            MemorySegment small = arena.allocate(16, 64);
            assertThrows(IndexOutOfBoundsException.class, () -> ReadProbe.sumFloats(small, 0, 5));
            assertThrows(IndexOutOfBoundsException.class, () -> ReadProbe.sumDoubles(small, 1, 3));
            assertThrows(IllegalArgumentException.class, () -> ReadProbe.sum2(small, small, 0, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> ReadProbe.sum4(small, small, 5, 0, 2));
        }
        assertTrue(checked > 350, "row ranges checked: " + checked);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storageShapes")
    void float32StoragesGiveTheGradientOfTheRoundedData(String shape, @TempDir Path tmp) throws Exception {
        String before = System.getProperty("vecgd.bench.tmp");
        System.setProperty("vecgd.bench.tmp", tmp.toString());
        try {
            BenchState s = new BenchState().setup(shape, "row", "float32"); // the rounded matrix, y double
            double tol = BenchmarkMethodsTest.tol(s);
            double[] ss = new double[1];
            double[] gRef = BenchmarkMethodsTest.referenceGradient(s, s.theta.clone(), s.b, ss);
            // mapped: the <f4 table rounds y too (one array): its reference has y rounded
            double[] yDouble = s.y.clone();
            for (int i = 0; i < s.m; i++) s.y[i] = (float) s.y[i];
            double[] ssMapped = new double[1];
            double[] gMapped = BenchmarkMethodsTest.referenceGradient(s, s.theta.clone(), s.b, ssMapped);
            System.arraycopy(yDouble, 0, s.y, 0, s.m);
            s.tearDown();
            StorageBenchmark sb = new StorageBenchmark();
            double[][] grads = new double[3][];
            for (int k = 0; k < 3; k++) {
                String storage = List.of("offheap", "mapped", "heap").get(k);
                boolean mapped = storage.equals("mapped");
                StorageBenchmark.Data d = new StorageBenchmark.Data().setup(shape, storage, "float32");
                try {
                    if (storage.equals("heap")) { // a float[] through the heap float32 kernels, no segment
                        assertTrue(d.float32 && d.heapFloat != null && d.x == null, storage + ": " + d.heapFloat);
                    } else {
                        assertTrue(d.float32 && d.x.isFloat32(), storage + ": " + d.x);
                    }
                    if (mapped) {
                        assertTrue(Files.size(d.file) < 8L * s.m * (s.n + 1) || s.m * (s.n + 1) < 32, "a <f4 table");
                        assertEquals(s.n + 1, d.x.ld(), "X strided in the table");
                    }
                    java.util.Arrays.fill(d.g, 12345.0);
                    double loss = sb.simd(d);
                    double[] want = mapped ? gMapped : gRef;
                    double wantSs = mapped ? ssMapped[0] : ss[0];
                    assertEquals(wantSs, loss, tol * Math.max(1, wantSs), storage + " float32: Σr² at " + shape);
                    assertArrayEquals(want, d.g, tol, storage + " float32: gradient at " + shape);
                    grads[k] = d.g.clone();
                    // the probe reads X's floats (mapped: the whole float table, y's column too) and y's doubles
                    double plain = 0;
                    for (int i = 0; i < s.m; i++) {
                        for (int j = 0; j < s.n; j++) plain += s.matrix.get(i, j);
                        plain += mapped ? 2.0 * (float) yDouble[i] : yDouble[i];
                    }
                    assertEquals(plain, sb.readProbe(d), 1e-6 * ((double) s.m * s.n + s.m) + 1e-9, storage + " readProbe");
                } finally {
                    d.tearDown();
                }
            }
            // the same floats on the heap (FloatKernels) and off-heap (the float32 segment kernels): the same bits
            assertArrayEquals(grads[0], grads[2], 0.0, "heap float32 vs offheap float32 at " + shape);
            // float64 storages keep their probe: X then y (mapped: the table, y's column included, once)
            for (String storage : List.of("heap", "offheap", "mapped")) {
                StorageBenchmark.Data d = new StorageBenchmark.Data().setup(shape, storage, "float64");
                try {
                    assertFalse(d.float32);
                    BenchState b = new BenchState().setup(shape, "row");
                    double plain = 0;
                    for (double v : b.x) plain += v;
                    for (double v : b.y) plain += v;
                    assertEquals(plain, sb.readProbe(d), 1e-12 * (b.m * (b.n + 1.0)) + 1e-12, storage + " float64 readProbe");
                } finally {
                    d.tearDown();
                }
            }
        } finally {
            if (before == null) System.clearProperty("vecgd.bench.tmp");
            else System.setProperty("vecgd.bench.tmp", before);
        }
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "nothing left in the temporary directory");
        }
    }

    static Stream<String> storageShapes() {
        return Stream.of("1031x5", "64x3", "5000x17", "1x1");
    }

    @Test
    void float32SimdAndProbesAllocateNothingPerOperation() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BenchState s = new BenchState().setup("4096x16", "row", "float32");
        BenchState c = new BenchState().setup("4096x16", "column", "float32");
        GradientBenchmark gb = new GradientBenchmark();
        try {
            double sink = 0;
            for (int k = 0; k < 2_000; k++) {
                sink += gb.simd(s) + gb.readProbe(s) + gb.readProbe2(s) + gb.readProbe4(s) + gb.simd(c);
            }
            List<String> over = new ArrayList<>();
            String[] names = {"simd float32 row", "simd float32 column", "readProbe float32", "readProbe2 float32",
                    "readProbe4 float32"};
            for (int which = 0; which < names.length; which++) {
                long allocated = Long.MAX_VALUE;
                // as BenchmarkMethodsTest: code still waiting for C2 may box; measured again once the JIT is quiet
                for (int round = 0; round < 4 && allocated >= 1_000; round++) {
                    if (round > 0) BenchmarkMethodsTest.awaitQuietJit();
                    long before = bean.getCurrentThreadAllocatedBytes();
                    for (int k = 0; k < 1_000; k++) {
                        sink += switch (which) {
                            case 0 -> gb.simd(s);
                            case 1 -> gb.simd(c);
                            case 2 -> gb.readProbe(s);
                            case 3 -> gb.readProbe2(s);
                            default -> gb.readProbe4(s);
                        };
                    }
                    allocated = bean.getCurrentThreadAllocatedBytes() - before;
                }
                // the library's float32 kernel: under 1 B/op; the module's own probes as in BenchmarkMethodsTest
                long limit = which <= 1 ? 1_000 : 128_000;
                if (allocated >= limit) {
                    over.add(names[which] + " allocated " + allocated + " bytes in 1000 operations at 4096x16 ("
                            + dev.vecgd.kernel.SegmentKernels.floatImplementation() + ")");
                }
            }
            assertTrue(Double.isFinite(sink));
            assertTrue(over.isEmpty(), String.join("; ", over));
        } finally {
            s.tearDown();
            c.tearDown();
        }
    }
}
