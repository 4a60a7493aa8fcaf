package dev.vecgd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel implementation available in this JVM, through every {@link KernelImpl} method, on a
 * sweep of shapes and storage variants, against the scalar reference and a double-double oracle
 * (see {@link KernelChecker}).
 *
 * <p>One JVM tests one vector width (the species is fixed at class initialization from
 * {@code -Dvecgd.vector.bits}); the pom runs this class again with 256 and 128 bits.
 *
 * <p>The sweep cannot silently shrink: {@link #everyGeneratedCombinationRan()} checks that the number
 * of (implementation, case) invocations, and of kernel calls checked, is what was generated, and
 * {@link #implementationsOfThisJvm()} that the vector implementation is there when its module is.
 */
class KernelImplementationsTest {

    /** Column counts; each appears, for both layouts, against a set of row counts. */
    static final int[] N_ALL = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 100, 257};

    /** Column counts the full list of row counts is run against. */
    static final int[] N_FOR_M_SWEEP = {3, 8, 9, 17, 33};

    /** Column-major block size for the scalar kernels' sweep when the vector kernels are not in this JVM. */
    static final int DEFAULT_BLOCK_ROWS = 2048;

    /** Block sizes above this are not swept (a test must stay small); none is expected. */
    static final int MAX_SWEPT_ROWS = 1 << 14;

    static final List<KernelImpl> IMPLEMENTATIONS = implementations();

    /**
     * The implementations the sweep runs: all of them, except in a width fork of the pom
     * ({@code -Dvecgd.widthFork}), which runs the vector kernels only — the scalar kernels do not depend on the
     * vector width and the default run already swept them.
     */
    static final List<KernelImpl> SWEPT = System.getProperty("vecgd.widthFork") != null && IMPLEMENTATIONS.size() == 2
            ? List.of(IMPLEMENTATIONS.get(1)) : IMPLEMENTATIONS;

    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final AtomicInteger COMPLETED = new AtomicInteger();
    private static final AtomicInteger CALLS_CHECKED = new AtomicInteger();
    private static final Map<String, AtomicInteger> PER_IMPLEMENTATION = new ConcurrentHashMap<>();

    private static List<KernelImpl> implementations() {
        List<KernelImpl> list = new ArrayList<>();
        list.add(ScalarKernels.INSTANCE);
        KernelImpl vector = KernelProvider.loadVector();
        if (vector != null) list.add(vector);
        return List.copyOf(list);
    }

    /** Doubles per vector of impl (1 for the scalar kernels). */
    static int lanes(KernelImpl impl) {
        return Math.max(1, impl.vectorBits() / Double.SIZE);
    }

    /**
     * The column-major block size for n columns: {@code VectorKernels.blockRows(n)} when the vector kernels are
     * in this JVM (a direct call: renaming the method breaks the build, it cannot silently move the block-edge
     * cases), else {@link #DEFAULT_BLOCK_ROWS}. VectorKernels is loaded only on that branch.
     */
    static int blockRows(int n) {
        if (IMPLEMENTATIONS.size() < 2) return DEFAULT_BLOCK_ROWS;
        return VectorKernels.blockRows(n);
    }

    /** Row counts for an implementation with the given lanes and block size: all tail and block edges. */
    static int[] rowCounts(int lanes, int block) {
        int[] all = {0, 1, 2, lanes - 1, lanes, lanes + 1, 2 * lanes, 2 * lanes + 1, 4 * lanes - 1, 4 * lanes + 1,
                block - 1, block + 1, 103, 1000, 4099};
        return distinct(all);
    }

    /** Row counts the full list of column counts is run against. */
    static int[] rowCountsForNSweep(int lanes, int block) {
        return distinct(new int[] {lanes + 1, 4 * lanes - 1, 103, block + 1});
    }

    private static int[] distinct(int[] values) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int v : values) {
            if (v >= 0 && v <= MAX_SWEPT_ROWS) s.add(v);
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The cases run for impl: for each layout, every row count against {@link #N_FOR_M_SWEEP}, every
     * column count against {@link #rowCountsForNSweep}, and each shape with y separate and y in X,
     * all rows and a sub-range starting after row 0.
     */
    static List<KernelCase> cases(KernelImpl impl) {
        return cases(lanes(impl));
    }

    /** The cases for an implementation with this many doubles per vector (1: scalar). */
    static List<KernelCase> cases(int lanes) {
        List<KernelCase> out = new ArrayList<>();
        for (Layout layout : Layout.values()) {
            Set<List<Integer>> shapes = new LinkedHashSet<>();
            for (int n : N_FOR_M_SWEEP) {
                for (int m : rowCounts(lanes, blockRows(n))) shapes.add(List.of(m, n));
            }
            for (int n : N_ALL) {
                for (int m : rowCountsForNSweep(lanes, blockRows(n))) shapes.add(List.of(m, n));
            }
            for (List<Integer> shape : shapes) {
                for (KernelCase.YMode yMode : KernelCase.YMode.values()) {
                    for (boolean sub : new boolean[] {false, true}) {
                        int m = shape.get(0);
                        int n = shape.get(1);
                        long seed = 0x9E3779B97F4A7C15L * (31L * (31L * (31L * (31L * layout.ordinal() + m) + n)
                                + yMode.ordinal()) + (sub ? 1 : 0)) + 12345;
                        out.add(new KernelCase(layout, m, n, yMode, sub, seed));
                    }
                }
            }
        }
        return out;
    }

    static Stream<Arguments> sweep() {
        return SWEPT.stream()
                .flatMap(impl -> cases(impl).stream().map(c -> Arguments.of(impl.name(), impl, c)));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("sweep")
    void kernelMatchesReferenceAndOracle(String name, KernelImpl impl, KernelCase c) {
        STARTED.incrementAndGet();
        PER_IMPLEMENTATION.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        int calls = KernelChecker.check(impl, c);
        assertEquals(KernelChecker.CALLS_PER_CASE, calls, "kernel calls checked for " + c);
        CALLS_CHECKED.addAndGet(calls);
        COMPLETED.incrementAndGet();
    }

    /**
     * Column-major rows wider than the sweep's 257 columns: from n = 683 up the block is 32 rows (65536/n
     * rounds to 64, an even multiple of 32, which the odd-multiple rule lowers to 32), so a call spans many
     * blocks; each against the oracle, with a block tail and a sub-range.
     */
    @Test
    void columnMajorWideRowsSpanManyBlocks() {
        int checked = 0;
        for (KernelImpl impl : IMPLEMENTATIONS) {
            for (int n : new int[] {682, 683, 700, 1030}) {
                int block = blockRows(n);
                if (IMPLEMENTATIONS.size() == 2) {
                    assertTrue(block % 32 == 0 && block >= 32 && (block / 32) % 2 == 1, "blockRows(" + n + ") = " + block);
                    if (n >= 683) assertEquals(32, block, "blockRows(" + n + ")");
                }
                for (int m : new int[] {block - 1, 3 * block + 5}) {
                    for (boolean sub : new boolean[] {false, true}) {
                        KernelCase c = new KernelCase(Layout.COLUMN_MAJOR, m, n, KernelCase.YMode.SEPARATE, sub, 1000L * n + m);
                        assertEquals(KernelChecker.CALLS_PER_CASE, KernelChecker.check(impl, c), impl.name() + " " + c);
                        checked++;
                    }
                }
            }
        }
        assertEquals(16 * IMPLEMENTATIONS.size(), checked);
    }

    /**
     * The sweep's size per vector width, stated independently of the constants that generate it: a change of
     * the sweep that drops cases must change these numbers on purpose. (The block sizes come from the vector
     * kernels, so without them the column-major block edges differ: then this check is skipped.)
     */
    @Test
    void sweepSizesAreTheStatedOnes() {
        org.junit.jupiter.api.Assumptions.assumeTrue(IMPLEMENTATIONS.size() == 2, "vector kernels in this JVM");
        Map<Integer, Integer> sizes = new LinkedHashMap<>();
        for (int lanes : new int[] {1, 2, 4, 8}) sizes.put(lanes, cases(lanes).size());
        System.out.println("kernel sweep sizes by lanes: " + sizes);
        assertEquals(Map.of(1, 816, 2, 936, 4, 1016, 8, 1016), sizes, "cases per lanes (1 = scalar)");
    }

    /**
     * Every generated combination ran, when the sweep ran at all: running a single other test of this class
     * (e.g. {@code -Dtest=KernelImplementationsTest#implementationsOfThisJvm}) selects none of it, and then
     * there is nothing to count. CI counts this class's tests per fork from the reports (.ci/run).
     */
    @AfterAll
    static void everyGeneratedCombinationRan() {
        if (STARTED.get() == 0) return; // the sweep was not selected
        Map<String, Integer> expected = new LinkedHashMap<>();
        int total = 0;
        for (KernelImpl impl : SWEPT) {
            int k = cases(impl).size();
            expected.put(impl.name(), k);
            total += k;
        }
        Map<String, Integer> ran = new LinkedHashMap<>();
        PER_IMPLEMENTATION.forEach((k, v) -> ran.put(k, v.get()));
        assertEquals(total, STARTED.get(), "(implementation, case) combinations run; expected per implementation "
                + expected + ", ran " + ran);
        assertEquals(expected, ran, "combinations per implementation");
        if (COMPLETED.get() == STARTED.get()) {
            assertEquals(total * KernelChecker.CALLS_PER_CASE, CALLS_CHECKED.get(), "kernel calls checked");
        }
    }

    @Test
    void implementationsOfThisJvm() {
        assertEquals(ScalarKernels.INSTANCE, IMPLEMENTATIONS.get(0));
        boolean module = ModuleLayer.boot().findModule(KernelProvider.VECTOR_MODULE).isPresent();
        if (!module) {
            assertEquals(1, IMPLEMENTATIONS.size(), "without " + KernelProvider.VECTOR_MODULE + " only the scalar kernels");
            return;
        }
        assertEquals(2, IMPLEMENTATIONS.size(), KernelProvider.VECTOR_MODULE + " is in the boot layer, so "
                + KernelProvider.VECTOR_CLASS + " must load (KernelProvider.loadVector() returned null)");
        KernelImpl vector = IMPLEMENTATIONS.get(1);
        String wanted = System.getProperty(KernelProvider.BITS_PROPERTY, "preferred").trim();
        int preferred = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.vectorBitSize();
        if (wanted.equals("preferred")) {
            assertEquals(preferred, vector.vectorBits(), "vector width");
        } else {
            // a width wider than the hardware's runs at the hardware's (on a 128-bit host, 256 gives 128)
            assertEquals(Math.min(Integer.parseInt(wanted), preferred), vector.vectorBits(),
                    "vector width with -D" + KernelProvider.BITS_PROPERTY + "=" + wanted + " (hardware: " + preferred + ")");
        }
        assertNotNull(vector.name());
    }

    /** The generated sweep covers every listed m and n, for both layouts, y modes and range kinds. */
    @Test
    void sweepCoversEveryShapeAndVariant() {
        for (KernelImpl impl : SWEPT) {
            List<KernelCase> cases = cases(impl);
            for (Layout layout : Layout.values()) {
                Set<Integer> ms = new TreeSet<>();
                Set<Integer> ns = new TreeSet<>();
                Set<KernelCase.YMode> ys = EnumSet.noneOf(KernelCase.YMode.class);
                Set<Boolean> subs = new LinkedHashSet<>();
                for (KernelCase c : cases) {
                    if (c.layout() != layout) continue;
                    ms.add(c.m());
                    ns.add(c.n());
                    ys.add(c.yMode());
                    subs.add(c.sub());
                }
                for (int n : N_FOR_M_SWEEP) {
                    for (int m : rowCounts(lanes(impl), blockRows(n))) {
                        assertTrue(ms.contains(m), impl.name() + " " + layout + ": m=" + m + " missing from " + ms);
                    }
                }
                for (int n : N_ALL) {
                    assertTrue(ns.contains(n), impl.name() + " " + layout + ": n=" + n + " missing from " + ns);
                }
                assertEquals(EnumSet.allOf(KernelCase.YMode.class), ys);
                assertEquals(Set.of(false, true), subs);
            }
        }
    }
}
