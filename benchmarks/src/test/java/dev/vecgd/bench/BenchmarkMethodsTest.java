package dev.vecgd.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vecgd.kernel.Matrix;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Calls every benchmark method once, directly, on tiny shapes in both layouts, and checks its result
 * against a scalar reference computed here from the logical matrix. CI never allocates the real
 * benchmark sizes.
 */
class BenchmarkMethodsTest {

    /** Tiny shapes: tails for every vector width (103, 17), one row, one column, wide rows. */
    static final List<String> SHAPES = List.of("64x5", "103x3", "1x1", "257x17", "33x64", "1000x1");
    static final List<String> LAYOUTS = List.of("row", "column");
    /** Methods checked per (shape, layout); the count assertion fails if one drops out. */
    static final int METHODS = 9;
    static final AtomicInteger CHECKED = new AtomicInteger();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String s : SHAPES) for (String l : LAYOUTS) out.add(Arguments.of(s, l));
        return out.stream();
    }

    /** The reference: g_j = Σ r_i x_ij, g_n = Σ r_i, returns Σ r_i², summed in plain row order. */
    static double[] referenceGradient(BenchState s, double[] theta, double b, double[] ssOut) {
        Matrix x = s.matrix;
        double[] g = new double[s.n + 1];
        double ss = 0;
        for (int i = 0; i < s.m; i++) {
            double dot = 0;
            for (int j = 0; j < s.n; j++) dot += x.get(i, j) * theta[j];
            double ri = dot + b - s.y[i];
            for (int j = 0; j < s.n; j++) g[j] += ri * x.get(i, j);
            g[s.n] += ri;
            ss += ri * ri;
        }
        ssOut[0] = ss;
        return g;
    }

    /** Tolerance for sums of m terms of size ~n (values in [−1, 1)), different summation orders. */
    static double tol(BenchState s) {
        return 1e-12 * (s.m + 1) * (s.n + 1) * (s.n + 1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyMethodMatchesTheReference(String shape, String layout) {
        BenchState s = new BenchState().setup(shape, layout);
        double[] theta0 = s.theta.clone();
        double b0 = s.b;
        double[] ss = new double[1];
        double[] gRef = referenceGradient(s, theta0, b0, ss);
        double tol = tol(s);

        GradientBenchmark gb = new GradientBenchmark();
        for (var entry : List.<Object[]>of(
                new Object[] {"naive", (ToDoubleFunction<BenchState>) gb::naive},
                new Object[] {"scalarFused", (ToDoubleFunction<BenchState>) gb::scalarFused},
                new Object[] {"simd", (ToDoubleFunction<BenchState>) gb::simd})) {
            String name = (String) entry[0];
            @SuppressWarnings("unchecked")
            ToDoubleFunction<BenchState> method = (ToDoubleFunction<BenchState>) entry[1];
            java.util.Arrays.fill(s.g, 12345.0); // garbage: every method must zero g itself
            double loss = method.applyAsDouble(s);
            assertEquals(ss[0], loss, tol * Math.max(1, ss[0]), name + ": Σr² at " + shape + " " + layout);
            assertArrayEquals(gRef, s.g, tol, name + ": gradient at " + shape + " " + layout);
            CHECKED.incrementAndGet();
        }

        double sumXy = 0;
        for (int i = 0; i < s.m; i++) {
            for (int j = 0; j < s.n; j++) sumXy += s.matrix.get(i, j);
            sumXy += s.y[i];
        }
        assertEquals(sumXy, gb.readProbe(s), tol, "readProbe = Σ X + Σ y");
        CHECKED.incrementAndGet();
        assertEquals(sumXy, gb.readProbe2(s), tol, "readProbe2 = Σ X + Σ y");
        CHECKED.incrementAndGet();
        assertEquals(sumXy, gb.readProbe4(s), tol, "readProbe4 = Σ X + Σ y");
        CHECKED.incrementAndGet();

        KernelBenchmark kb = new KernelBenchmark();
        java.util.Arrays.fill(s.r, Double.NaN);
        assertEquals(ss[0], kb.residuals(s), tol * Math.max(1, ss[0]), "KernelBenchmark.residuals: Σr²");
        for (int i = 0; i < s.m; i++) {
            double dot = 0;
            for (int j = 0; j < s.n; j++) dot += s.matrix.get(i, j) * theta0[j];
            assertEquals(dot + b0 - s.y[i], s.r[i], tol, "r[" + i + "]");
        }
        CHECKED.incrementAndGet();
        java.util.Arrays.fill(s.g, 12345.0);
        assertEquals(gRef[s.n], kb.gradientAdd(s), tol, "KernelBenchmark.gradientAdd: Σr");
        for (int j = 0; j < s.n; j++) assertEquals(gRef[j], s.g[j], tol, "gradientAdd g[" + j + "]");
        CHECKED.incrementAndGet();

        SolverStepBenchmark sb = new SolverStepBenchmark();
        SolverStepBenchmark.Solver st = new SolverStepBenchmark.Solver();
        st.setup(s);
        double loss = sb.step(st);
        assertEquals(ss[0] / (2.0 * s.m), loss, tol * Math.max(1, ss[0]), "step returns the loss before the step");
        double scale = SolverStepBenchmark.ALPHA / s.m;
        for (int j = 0; j < s.n; j++) {
            assertEquals(theta0[j] - scale * gRef[j], st.p[j], tol, "θ[" + j + "] after one step");
        }
        assertEquals(b0 - scale * gRef[s.n], st.p[s.n], tol, "b after one step");
        double after = sb.step(st);
        assertTrue(after <= loss * (1 + 1e-12), "a step with α = " + SolverStepBenchmark.ALPHA + " must not raise the loss: "
                + loss + " -> " + after);
        CHECKED.incrementAndGet();
    }

    @Test
    void bothLayoutsHoldTheSameMatrix() {
        BenchState row = new BenchState().setup("103x7", "row");
        BenchState col = new BenchState().setup("103x7", "column");
        for (int i = 0; i < 103; i++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(row.matrix.get(i, j), col.matrix.get(i, j), 0.0, "X(" + i + ", " + j + ")");
            }
        }
        assertArrayEquals(row.y, col.y, 0.0);
        assertArrayEquals(row.theta, col.theta, 0.0);
    }

    @Test
    void simdAndReadProbeAllocateNothingPerOperation() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BenchState s = new BenchState().setup("4096x16", "row");
        GradientBenchmark gb = new GradientBenchmark();
        double sink = 0;
        for (int k = 0; k < 2_000; k++) sink += gb.simd(s) + gb.readProbe(s) + gb.readProbe2(s) + gb.readProbe4(s); // let the JIT settle
        List<String> over = new ArrayList<>();
        String[] names = {"simd", "readProbe", "readProbe2", "readProbe4"};
        for (int which = 0; which < names.length; which++) {
            long allocated = Long.MAX_VALUE;
            // Code still waiting for C2 (C1 code boxes every vector) allocates: a method over the limit is
            // measured again once the JIT has gone quiet, up to three times; a boxing kernel allocates every time.
            for (int round = 0; round < 4 && allocated >= 1_000; round++) {
                if (round > 0) awaitQuietJit();
                long before = bean.getCurrentThreadAllocatedBytes();
                for (int k = 0; k < 1_000; k++) {
                    sink += switch (which) {
                        case 0 -> gb.simd(s);
                        case 1 -> gb.readProbe(s);
                        case 2 -> gb.readProbe2(s);
                        default -> gb.readProbe4(s);
                    };
                }
                allocated = bean.getCurrentThreadAllocatedBytes() - before;
            }
            // simd (the library's kernel): well under 1 B/op even if the counter itself costs a few bytes. The
            // probes are this module's reference loops: their leftover-rows helper may be compiled inside them
            // and box one vector per call in some JVM histories (96 B per 2 GB read): allowed up to 128 B/op.
            long limit = which == 0 ? 1_000 : 128_000;
            if (allocated >= limit) {
                over.add(names[which] + " allocated " + allocated + " bytes in 1000 operations at 4096x16 row-major ("
                        + dev.vecgd.kernel.Kernels.implementation() + ")");
            }
        }
        assertTrue(Double.isFinite(sink));
        assertTrue(over.isEmpty(), String.join("; ", over));
    }

    /** The multi-stream probes over every row range of small tables: each row and each y read exactly once. */
    @Test
    void multiStreamProbesSumEveryRowRange() {
        int checked = 0;
        for (int n : new int[] {1, 2, 3, 7, 16, 17}) {
            for (int m : new int[] {0, 1, 5, 31, 64, 131}) {
                double[] x = new double[m * n];
                double[] y = new double[m];
                // Distinct powers of two would overflow; small integers make every sum exact in any order.
                for (int k = 0; k < x.length; k++) x[k] = (k * 7 + 3) % 101 - 50;
                for (int i = 0; i < m; i++) y[i] = 1000 * ((i * 13 + 5) % 17 - 8);
                for (int from = 0; from <= m; from += Math.max(1, m / 7)) {
                    for (int to = from; to <= m; to += Math.max(1, m / 5)) {
                        double plain = 0;
                        for (int k = from * n; k < to * n; k++) plain += x[k];
                        for (int i = from; i < to; i++) plain += y[i];
                        assertEquals(plain, ReadProbe.sum2(x, y, n, from, to), 0.0, "sum2 n=" + n + " rows " + from + ".." + to);
                        assertEquals(plain, ReadProbe.sum4(x, y, n, from, to), 0.0, "sum4 n=" + n + " rows " + from + ".." + to);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 300, "row ranges checked: " + checked);
        for (Runnable bad : List.<Runnable>of(() -> ReadProbe.sum2(new double[6], new double[3], 3, 0, 3),
                () -> ReadProbe.sum4(new double[6], new double[3], 2, 2, 4),
                () -> ReadProbe.sum2(new double[6], new double[3], 0, 0, 1))) {
            try {
                bad.run();
                throw new AssertionError("accepted bad arguments");
            } catch (IllegalArgumentException | IndexOutOfBoundsException expected) {
                // ok
            }
        }
    }

    /** A run labelled with another width than the kernels' fails in the setup instead of recording a result. */
    @Test
    void aWrongBitsLabelFailsTheSetup() {
        int actual = dev.vecgd.kernel.Kernels.vectorBits();
        BenchState ok = new BenchState();
        ok.bits = String.valueOf(actual);
        ok.setup("64x5", "row"); // the right label passes
        ok.bits = KernelWidth.AUTO;
        ok.setup("64x5", "row");
        BenchState wrong = new BenchState();
        wrong.bits = actual == 128 ? "256" : "128";
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> wrong.setup("64x5", "row"));
        assertTrue(e.getMessage().contains("-Dvecgd.vector.bits=" + wrong.bits), e.getMessage());
        ThreadsBenchmark.Data d = new ThreadsBenchmark.Data();
        d.bits = wrong.bits;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> d.setup("64x5", "row", 1));
        StorageBenchmark.Data st = new StorageBenchmark.Data();
        st.bits = wrong.bits;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> st.setup("64x5", "heap"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> KernelWidth.check("wide"));
    }

    @Test
    void shapesAreParsedAndLimited() {
        assertArrayEquals(new int[] {268435456, 1}, BenchState.parseShape("268435456x1"));
        assertArrayEquals(new int[] {1048576, 256}, BenchState.parseShape(" 1048576X256 "));
        for (String bad : List.of("16", "0x4", "4x0", "a x b", "65536x65536")) {
            try {
                BenchState.parseShape(bad);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                // ok
            }
        }
        assertEquals(8L * (4096 * 16 + 4096), BenchState.bytes(4096, 16));
    }

    @AfterAll
    static void noMethodDroppedOut() {
        assertEquals(SHAPES.size() * LAYOUTS.size() * METHODS, CHECKED.get(), "benchmark methods checked");
    }

    /** Waits until the JIT compilers have been idle for 300 ms (at most 20 s). */
    static void awaitQuietJit() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long deadline = System.nanoTime() + 20_000_000_000L;
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }
}
