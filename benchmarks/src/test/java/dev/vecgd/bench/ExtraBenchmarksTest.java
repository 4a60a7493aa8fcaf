package dev.vecgd.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Calls every method of {@link ThreadsBenchmark} and {@link StorageBenchmark} once, directly, on tiny
 * shapes, against the scalar reference of {@link BenchmarkMethodsTest}; the count assertion fails if
 * a method or a parameter value drops out.
 */
class ExtraBenchmarksTest {

    /** Tiny shapes: vector tails (1031, 5 and 3 columns), several 2048-row chunks (5000), one row. */
    static final List<String> SHAPES = List.of("1031x5", "64x3", "5000x17", "1x1");
    static final List<String> LAYOUTS = List.of("row", "column");
    static final List<Integer> THREADS = List.of(1, 2);
    static final List<String> STORAGES = List.of("heap", "offheap", "mapped");
    /** ThreadsBenchmark methods per (shape, layout, threads). */
    static final int THREADS_METHODS = 4;
    static final AtomicInteger THREADS_CHECKED = new AtomicInteger();
    static final AtomicInteger STORAGE_CHECKED = new AtomicInteger();

    static Stream<Arguments> threadCases() {
        List<Arguments> out = new ArrayList<>();
        for (String s : SHAPES) for (String l : LAYOUTS) for (int t : THREADS) out.add(Arguments.of(s, l, t));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} threads={2}")
    @MethodSource("threadCases")
    void threadsMethodsMatchTheReference(String shape, String layout, int threads) {
        ThreadsBenchmark.Data d = new ThreadsBenchmark.Data().setup(shape, layout, threads);
        try {
            BenchState s = d.s;
            double[] ss = new double[1];
            double[] gRef = BenchmarkMethodsTest.referenceGradient(s, s.theta.clone(), s.b, ss);
            double tol = BenchmarkMethodsTest.tol(s);
            ThreadsBenchmark tb = new ThreadsBenchmark();

            java.util.Arrays.fill(s.g, 12345.0); // garbage: simd must zero g itself
            double loss = tb.simd(d);
            assertEquals(ss[0], loss, tol * Math.max(1, ss[0]), "simd Σr² at " + shape + " " + layout + " t=" + threads);
            assertArrayEquals(gRef, s.g, tol, "simd gradient at " + shape + " " + layout + " t=" + threads);
            double[] first = s.g.clone();
            java.util.Arrays.fill(s.g, -7.0);
            assertEquals(loss, tb.simd(d), 0.0, "simd is deterministic");
            assertArrayEquals(first, s.g, 0.0, "simd gradient is deterministic");
            THREADS_CHECKED.incrementAndGet();

            double sumXy = 0;
            for (int i = 0; i < s.m; i++) {
                for (int j = 0; j < s.n; j++) sumXy += s.matrix.get(i, j);
                sumXy += s.y[i];
            }
            assertEquals(sumXy, tb.readProbe(d), tol, "readProbe = Σ X + Σ y at t=" + threads);
            THREADS_CHECKED.incrementAndGet();
            assertEquals(sumXy, tb.readProbe2(d), tol, "readProbe2 = Σ X + Σ y at t=" + threads);
            THREADS_CHECKED.incrementAndGet();
            assertEquals(sumXy, tb.readProbe4(d), tol, "readProbe4 = Σ X + Σ y at t=" + threads);
            THREADS_CHECKED.incrementAndGet();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            d.tearDown();
        }
        assertTrue(d.kernels == null && d.probePool == null, "tear-down releases the pools");
    }

    @Test
    void threadsGiveBitIdenticalGradients() {
        for (String layout : LAYOUTS) {
            ThreadsBenchmark.Data one = new ThreadsBenchmark.Data().setup("5000x17", layout, 1);
            ThreadsBenchmark.Data two = new ThreadsBenchmark.Data().setup("5000x17", layout, 2);
            try {
                ThreadsBenchmark tb = new ThreadsBenchmark();
                assertEquals(tb.simd(one), tb.simd(two), 0.0, layout + ": Σr², 1 vs 2 threads");
                assertArrayEquals(one.s.g, two.s.g, 0.0, layout + ": gradient, 1 vs 2 threads");
            } finally {
                one.tearDown();
                two.tearDown();
            }
        }
    }

    @Test
    void partsCoverTheArrayOnce() {
        for (int len : new int[] {0, 1, 7, 1031}) {
            for (int parts = 1; parts <= 3; parts++) {
                assertEquals(0, ThreadsBenchmark.bound(len, 0, parts));
                assertEquals(len, ThreadsBenchmark.bound(len, parts, parts));
                for (int k = 0; k < parts; k++) {
                    assertTrue(ThreadsBenchmark.bound(len, k, parts) <= ThreadsBenchmark.bound(len, k + 1, parts));
                }
            }
        }
        double[] a = new double[1031];
        SeededData.fill(a, 42);
        double plain = 0;
        for (double v : a) plain += v;
        assertEquals(plain, ReadProbe.sum(a, 0, 500) + ReadProbe.sum(a, 500, 1031), 1e-9);
        assertEquals(0.0, ReadProbe.sum(a, 3, 3), 0.0);
        assertEquals(a[3], ReadProbe.sum(a, 3, 4), 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void storagesGiveTheSameGradient(String shape, @TempDir Path tmp) throws Exception {
        String before = System.getProperty("vecgd.bench.tmp");
        System.setProperty("vecgd.bench.tmp", tmp.toString());
        try {
            BenchState s = new BenchState().setup(shape, "row");
            double[] ss = new double[1];
            double[] gRef = BenchmarkMethodsTest.referenceGradient(s, s.theta.clone(), s.b, ss);
            double tol = BenchmarkMethodsTest.tol(s);
            StorageBenchmark sb = new StorageBenchmark();
            double[][] grads = new double[STORAGES.size()][];
            double[] losses = new double[STORAGES.size()];
            for (int k = 0; k < STORAGES.size(); k++) {
                String storage = STORAGES.get(k);
                StorageBenchmark.Data d = new StorageBenchmark.Data().setup(shape, storage);
                try {
                    if (storage.equals("mapped")) {
                        assertNotNull(d.file);
                        assertTrue(Files.size(d.file) >= 8L * s.m * (s.n + 1), "the .npy holds the whole table");
                        assertTrue(d.file.startsWith(tmp), "the .npy is written under -Dvecgd.bench.tmp");
                    }
                    java.util.Arrays.fill(d.g, 12345.0);
                    losses[k] = sb.simd(d);
                    grads[k] = d.g.clone();
                    assertEquals(ss[0], losses[k], tol * Math.max(1, ss[0]), storage + ": Σr² at " + shape);
                    assertArrayEquals(gRef, grads[k], tol, storage + ": gradient at " + shape);
                    STORAGE_CHECKED.incrementAndGet();
                } finally {
                    d.tearDown();
                }
                if (d.file != null) assertFalse(Files.exists(d.file), "tear-down deletes the .npy");
            }
            // offheap and mapped run the same segment kernel on the same values in the same order.
            assertEquals(losses[1], losses[2], 0.0, "Σr²: offheap vs mapped bit-identical");
            assertArrayEquals(grads[1], grads[2], 0.0, "gradient: offheap vs mapped bit-identical");
        } finally {
            if (before == null) System.clearProperty("vecgd.bench.tmp");
            else System.setProperty("vecgd.bench.tmp", before);
        }
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "nothing left in the temporary directory");
        }
    }

    static Stream<String> shapes() {
        return SHAPES.stream();
    }

    @AfterAll
    static void noMethodDroppedOut() {
        assertEquals(SHAPES.size() * LAYOUTS.size() * THREADS.size() * THREADS_METHODS, THREADS_CHECKED.get(),
                "ThreadsBenchmark methods checked");
        assertEquals(SHAPES.size() * STORAGES.size(), STORAGE_CHECKED.get(), "StorageBenchmark methods checked");
    }
}
